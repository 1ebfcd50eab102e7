/**
 * The cached book list, and what the pages derive from it: the order, which counts are unread,
 * a book's address in the web app. Pure. How a `getAllBooks` delta is merged in is book-merge.ts,
 * which only the worker runs.
 */
import type { BookRef } from './refs';

/** What the extension keeps of a book: enough for the badge, the popup and notifications. */
export interface BookSummary extends BookRef {
  title: string;
  nbNotRead: number;
  archived: boolean;
  /** The invitation is accepted (a pending book is listed but not counted). */
  accepted: boolean;
  favorite: boolean;
  order: number;
  sstamp: number;
  /** The user may post in it (read-only members and pending invitations may not). */
  canWrite: boolean;
  lastMsg: { smid: number; u_c: string; text: string; created: number } | null;
}

/** The book list as last seen, and the server stamp it is up to date with. */
export interface BookCache {
  /** `null` before the first full fetch: then every book is fetched. */
  sstamp: number | null;
  books: Record<string, BookSummary>;
  /** Display names of the user's contacts by user id. */
  names: Record<string, string>;
}

export const EMPTY_CACHE: BookCache = { sstamp: null, books: {}, names: {} };

export function bookKey(book: BookRef): string {
  return `${book.b_o}/${book.b_c}`;
}

/**
 * The address of a book in the TimeTonic web app. The API text does not describe the web app's
 * addresses; this is the app's start page with the book named in the fragment.
 */
export function bookWebUrl(server: string, book: BookRef | null): string {
  const base = `${server}/live/`;
  return book ? `${base}#book/${encodeURIComponent(book.b_o)}/${encodeURIComponent(book.b_c)}` : base;
}

/** Books in the order the popup shows them: unread first, then favourites, then by recency. */
export function sortBooks(books: Iterable<BookSummary>): BookSummary[] {
  return [...books].sort(
    (a, b) =>
      Number(b.nbNotRead > 0) - Number(a.nbNotRead > 0) ||
      Number(b.favorite) - Number(a.favorite) ||
      (b.lastMsg?.created ?? 0) - (a.lastMsg?.created ?? 0) ||
      a.title.localeCompare(b.title),
  );
}

/**
 * The cache with its books in the order the popup shows them. Stored that way, the popup's sort
 * finds them in order, which costs it one comparison a book: what its first frame waits for.
 */
export function inDisplayOrder(cache: BookCache): BookCache {
  return { ...cache, books: Object.fromEntries(sortBooks(Object.values(cache.books)).map((book) => [bookKey(book), book])) };
}

/** Books whose unread messages count: accepted, not archived, not muted by the user. */
export function countsTowardUnread(book: BookSummary, muted: ReadonlySet<string>): boolean {
  return book.accepted && !book.archived && !muted.has(bookKey(book));
}

export function unreadTotal(books: Iterable<BookSummary>, muted: ReadonlySet<string>): number {
  let total = 0;
  for (const book of books) if (countsTowardUnread(book, muted)) total += book.nbNotRead;
  return total;
}

/** A book the quick-send box may send to. */
export const isWritable = (book: BookSummary) => book.accepted && !book.archived && book.canWrite !== false;

export const byTitle = (a: BookSummary, b: BookSummary) => a.title.localeCompare(b.title);

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

/**
 * The popup's first screenful of the book list, which the worker stores beside it (first-screen.ts):
 * the popup draws its first frame from this and reads the whole list right after; both draw the same.
 */
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

/** Whether `screen` was made for these named books, so that the quick-send box preselects as with the whole list. */
export function coversNamed(screen: FirstScreen, named: readonly (string | null)[]): boolean {
  return named.every((key) => key === null || screen.named.includes(key));
}

/** The screenful as a book list, which the popup draws as it would draw the whole one. */
export function screenCache(screen: FirstScreen): BookCache {
  return { sstamp: screen.sstamp, books: screen.books, names: screen.names };
}
