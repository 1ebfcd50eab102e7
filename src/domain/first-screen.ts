/**
 * How the worker makes the popup's first screenful of the book list (books.ts, FirstScreen): with
 * thousands of books, handing the whole list to a fresh page is what its first frame would wait
 * for. Pure; only the worker runs it.
 */
import { bookKey, byTitle, countsTowardUnread, isWritable, sortBooks, type BookCache, type BookSummary, type FirstScreen, type ListTotals } from './books';

/**
 * The books the list shows first. The popup draws 20 rows before it is measured, and about as
 * many once measured (the rows in view and a few around them).
 */
export const FIRST_SCREEN_ROWS = 30;

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
