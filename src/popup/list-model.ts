/** The book list: the books as the worker last saw them, narrowed by what the user types. */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { sortBooks, unreadTotal, type BookCache } from '../domain/books';
import { findBooks } from '../domain/find';

/** The popup shows about ten books: the first frame draws this many, the rest follow right after it. */
const FIRST_FRAME_ROWS = 20;

export function createListModel(cache: ReadonlySignal<BookCache>, muted: ReadonlySignal<string[]>, painted: ReadonlySignal<boolean>) {
  const query = signal('');
  const showArchived = signal(false);

  const mutedSet = computed(() => new Set(muted.value));
  /** A pending invitation is not listed: its book cannot be read before it is accepted. */
  const books = computed(() => sortBooks(Object.values(cache.value.books).filter((book) => book.accepted)));
  const found = computed(() => findBooks(books.value, query.value, showArchived.value));
  const rows = computed(() => (painted.value ? found.value.shown : found.value.shown.slice(0, FIRST_FRAME_ROWS)));
  const unread = computed(() => unreadTotal(books.value, mutedSet.value));
  /** The worker has fetched the list once: from here on it is shown, never a placeholder. */
  const synced = computed(() => cache.value.sstamp !== null);

  return {
    query,
    showArchived,
    mutedSet,
    books,
    found,
    rows,
    unread,
    synced,
    setQuery: (text: string) => (query.value = text),
    setShowArchived: (show: boolean) => (showArchived.value = show),
  };
}

export type ListModel = ReturnType<typeof createListModel>;
