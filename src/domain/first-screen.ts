/**
 * The popup's first screenful of the book list, kept beside the list by the worker: with thousands
 * of books, handing the whole list to a fresh page is what its first frame would wait for. The
 * popup draws its first frame from this and reads the whole list right after; both draw the same.
 * Pure.
 */
import { bookKey, countsTowardUnread, sortBooks, type BookCache, type BookSummary } from './books';

/**
 * The books the list shows first. The popup draws 20 rows before it is measured, and about as
 * many once measured (the rows in view and a few around them).
 */
export const FIRST_SCREEN_ROWS = 30;

/** Counts of the whole list, as the popup's first frame shows them (no query, no muted book yet). */
export interface ListTotals {
  /** Books whose invitation is accepted: the ones the list is made of. */
  accepted: number;
  /** Of those, the archived ones, which the list hides unless asked. */
  archived: number;
  /** Unread messages in the accepted books that are not archived. */
  unread: number;
  /** Books the quick-send box may send to. */
  writable: number;
}

export interface FirstScreen {
  sstamp: number | null;
  /**
   * In display order: the first books the list shows, the books of `named` the account has, and the
   * first writable book by title (the quick-send box's choice when nothing is named).
   */
  books: Record<string, BookSummary>;
  /** The names the previews of those books use. */
  names: Record<string, string>;
  /** The keys (`b_o/b_c`) this screenful was made for: the quick-send draft's book and the recent sends'. */
  named: string[];
  totals: ListTotals;
}

/** A book the quick-send box may send to. */
export const isWritable = (book: BookSummary) => book.accepted && !book.archived && book.canWrite !== false;

export const byTitle = (a: BookSummary, b: BookSummary) => a.title.localeCompare(b.title);

/** The popup's first frame has read no muted book yet. */
const NONE_MUTED: ReadonlySet<string> = new Set();

/** The first screenful of `cache` (its books are usually in display order already, which makes the sort cheap). */
export function firstScreenOf(cache: BookCache, named: readonly (string | null)[]): FirstScreen {
  const keys = new Set(named.filter((key): key is string => key !== null && key in cache.books));
  const totals: ListTotals = { accepted: 0, archived: 0, unread: 0, writable: 0 };
  let firstByTitle: BookSummary | null = null;
  let listed = 0;
  const inOrder = sortBooks(Object.values(cache.books));
  for (const book of inOrder) {
    if (!book.accepted) continue;
    totals.accepted++;
    if (book.archived) totals.archived++;
    else if (listed < FIRST_SCREEN_ROWS) {
      listed++;
      keys.add(bookKey(book));
    }
    if (countsTowardUnread(book, NONE_MUTED)) totals.unread += book.nbNotRead;
    if (isWritable(book)) {
      totals.writable++;
      if (firstByTitle === null || byTitle(book, firstByTitle) < 0) firstByTitle = book;
    }
  }
  if (firstByTitle) keys.add(bookKey(firstByTitle));
  const books: Record<string, BookSummary> = {};
  const names: Record<string, string> = {};
  for (const book of inOrder) {
    const key = bookKey(book);
    if (!keys.has(key)) continue;
    books[key] = book;
    const sender = book.lastMsg?.u_c;
    if (sender !== undefined && sender in cache.names) names[sender] = cache.names[sender]!;
  }
  return { sstamp: cache.sstamp, books, names, named: named.filter((key): key is string => key !== null), totals };
}

/** Whether `screen` was made for these named books, so that the quick-send box preselects as with the whole list. */
export function coversNamed(screen: FirstScreen, named: readonly (string | null)[]): boolean {
  return named.every((key) => key === null || screen.named.includes(key));
}

/** The screenful as a book list, which the popup draws as it would draw the whole one. */
export function screenCache(screen: FirstScreen): BookCache {
  return { sstamp: screen.sstamp, books: screen.books, names: screen.names };
}
