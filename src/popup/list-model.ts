/** The book list: the books as the worker last saw them, narrowed by what the user types. */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { sortBooks, unreadTotal, type BookCache, type ListTotals } from '../domain/books';
import { findBooks } from '../domain/find';

/** Before the list is measured (its first frame), it draws this many rows: the popup shows about ten. */
const FIRST_FRAME_ROWS = 20;
/** A row's height until one is measured, in CSS pixels. */
const ROW_HEIGHT_ESTIMATE = 50;
/** Rows drawn beyond each edge of the view, so that the next ones are there as it scrolls. */
const OVERSCAN = 6;

/** Where the list is scrolled to and how much of it shows, in CSS pixels; 0 until measured. */
export interface ListViewport {
  top: number;
  height: number;
  rowHeight: number;
}

/** The rows to draw, `start` included and `end` not, and the height of the rows left out on each side. */
export interface RowWindow {
  start: number;
  end: number;
  rowHeight: number;
  before: number;
  after: number;
}

/**
 * The rows in view and a few around them, out of `count`: with thousands of books, drawing them
 * all is what makes the popup slow to open and Find a book slow to type in. Before the list is
 * measured, the first screenful.
 */
export function rowWindow(count: number, view: ListViewport): RowWindow {
  const rowHeight = view.rowHeight || ROW_HEIGHT_ESTIMATE;
  const first = Math.floor(view.top / rowHeight);
  // Unmeasured, a screenful and no more: the first frame does not wait for a layout.
  const [shown, overscan] = view.height > 0 ? [Math.ceil(view.height / rowHeight), OVERSCAN] : [FIRST_FRAME_ROWS, 0];
  const start = Math.max(0, Math.min(first - overscan, count - shown - overscan));
  const end = Math.min(count, Math.max(start, first - overscan) + shown + 2 * overscan);
  return { start, end, rowHeight, before: start * rowHeight, after: (count - end) * rowHeight };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function revealTop(index: number, view: ListViewport): number {
  const rowHeight = view.rowHeight || ROW_HEIGHT_ESTIMATE;
  const height = view.height || FIRST_FRAME_ROWS * rowHeight;
  const rowTop = index * rowHeight;
  if (rowTop < view.top) return rowTop;
  if (rowTop + rowHeight > view.top + height) return rowTop + rowHeight - height;
  return view.top;
}

/**
 * `totals`: the whole list's counts while `cache` holds only its first screenful (first-paint.ts),
 * which the list draws as it would draw the whole list; null once the whole list is read.
 */
export function createListModel(cache: ReadonlySignal<BookCache>, muted: ReadonlySignal<string[]>, totals: ReadonlySignal<ListTotals | null>) {
  const query = signal('');
  const showArchived = signal(false);
  const viewport = signal<ListViewport>({ top: 0, height: 0, rowHeight: 0 });

  const mutedSet = computed(() => new Set(muted.value));
  /** A pending invitation is not listed: its book cannot be read before it is accepted. */
  const books = computed(() => sortBooks(Object.values(cache.value.books).filter((book) => book.accepted)));
  /** The books shown, and `count`, how many: of a first screenful, the first of them only. */
  const found = computed(() => {
    const { shown, archivedHidden } = findBooks(books.value, query.value, showArchived.value);
    const whole = totals.value;
    return whole ? { shown, archivedHidden: whole.archived, count: whole.accepted - whole.archived } : { shown, archivedHidden, count: shown.length };
  });
  /** The list has books, of which some archived. */
  const hasBooks = computed(() => (totals.value?.accepted ?? books.value.length) > 0);
  const hasArchived = computed(() => (totals.value ? totals.value.archived > 0 : books.value.some((book) => book.archived)));
  /** The rows drawn. */
  const visible = computed(() => rowWindow(found.value.count, viewport.value));
  const rows = computed(() => found.value.shown.slice(visible.value.start, visible.value.end));
  const unread = computed(() => totals.value?.unread ?? unreadTotal(books.value, mutedSet.value));
  /** The worker has fetched the list once: from here on it is shown, never a placeholder. */
  const synced = computed(() => cache.value.sstamp !== null);

  const toTop = () => (viewport.value = { ...viewport.value, top: 0 });

  return {
    query,
    showArchived,
    mutedSet,
    books,
    found,
    hasBooks,
    hasArchived,
    viewport,
    visible,
    rows,
    unread,
    synced,
    setQuery: (text: string) => {
      query.value = text;
      toTop();
    },
    setShowArchived: (show: boolean) => {
      showArchived.value = show;
      toTop();
    },
    /** The list scrolled, or was measured. */
    viewed: (view: ListViewport) => {
      const now = viewport.value;
      if (view.top !== now.top || view.height !== now.height || view.rowHeight !== now.rowHeight) viewport.value = view;
    },
    /** Scrolls so that the row at `index` of the books shown is in view, and so drawn. */
    reveal: (index: number) => {
      const top = revealTop(index, viewport.value);
      if (top !== viewport.value.top) viewport.value = { ...viewport.value, top };
    },
  };
}

export type ListModel = ReturnType<typeof createListModel>;
