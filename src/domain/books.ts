/**
 * The cached book list and how a `getAllBooks` delta is merged into it. Pure: no storage, no
 * browser, so tests and the benchmark call it directly.
 */
import type { Book, BookRef, Contact } from '../api';

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

/** Notifications show the start of a message; more is not worth keeping. */
export const MESSAGE_PREVIEW_LENGTH = 160;

export function bookKey(book: BookRef): string {
  return `${book.b_o}/${book.b_c}`;
}

/** Rights as the local server reads the API text: 1 read only, 2 read and write, 3 also delete. */
const READ_ONLY = 1;

/**
 * `me` is the signed-in user. A book whose members do not name them (a server that leaves the list
 * out) is taken as writable: the server still has the last word when a message is sent.
 */
export function summarize(book: Book, me = ''): BookSummary {
  const last = book.lastMsg;
  const member = book.members.find((m) => m.u_c === me);
  return {
    b_o: book.b_o,
    b_c: book.b_c,
    title: book.ownerPrefs.title || book.b_c,
    nbNotRead: book.nbNotRead,
    archived: book.archived,
    accepted: book.accepted,
    favorite: book.favorite,
    order: book.order,
    sstamp: book.sstamp,
    canWrite: !member || (member.right !== READ_ONLY && member.invite !== 'sent'),
    lastMsg:
      last && !last.del
        ? { smid: last.smid, u_c: last.u_c, text: preview(last.msg || last.msgBody), created: last.created }
        : null,
  };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_PREVIEW_LENGTH ? `${flat.slice(0, MESSAGE_PREVIEW_LENGTH - 1)}…` : flat;
}

export interface MergeResult {
  cache: BookCache;
  /** Books new or changed by this delta, as they are now. */
  updated: BookSummary[];
  /** Keys of the books that went away (deleted, or the user left them). */
  removed: string[];
  /** The cached version, before this delta, of every book it updated or removed. */
  previous: Record<string, BookSummary>;
  /** Whether the cache must be written back: false for a delta that brings nothing. */
  changed: boolean;
}

/**
 * Applies a delta (the books changed since `cache.sstamp`) to the cache. A full fetch (`cache.sstamp`
 * is null) replaces the list, so a book gone while we were not looking does not linger.
 *
 * A delta updates `cache.books` in place, so that its cost follows the size of the delta and not
 * of the account: a poll reads the cache from storage, merges and writes it back, and copying
 * thousands of books on every poll would be waste. The `previous` versions are returned instead.
 */
export function mergeBooks(
  cache: BookCache,
  delta: { sstamp: number; books: readonly Book[]; contacts?: readonly Contact[] },
  me = '',
): MergeResult {
  const full = cache.sstamp === null;
  const names = mergeNames(cache.names, delta.contacts ?? []);
  if (!full && delta.books.length === 0 && names === cache.names) {
    // Nothing of ours changed: keeping the older stamp is still correct and costs no write.
    return { cache, updated: [], removed: [], previous: {}, changed: false };
  }
  const books: Record<string, BookSummary> = full ? {} : cache.books;
  const updated: BookSummary[] = [];
  const removed: string[] = [];
  const previous: Record<string, BookSummary> = {};
  for (const book of delta.books) {
    const key = bookKey(book);
    const before = cache.books[key];
    if (before && !(key in previous)) previous[key] = before;
    if (book.del) {
      if (key in books) removed.push(key);
      delete books[key];
    } else {
      const summary = summarize(book, me);
      books[key] = summary;
      updated.push(summary);
    }
  }
  if (full) {
    for (const [key, before] of Object.entries(cache.books)) {
      if (key in books) continue;
      removed.push(key);
      previous[key] = before;
    }
  }
  return {
    cache: { sstamp: Math.max(delta.sstamp, cache.sstamp ?? 0), books, names },
    updated,
    removed,
    previous,
    changed: true,
  };
}

/** The same object when no name changed, so that an idle poll writes nothing. */
function mergeNames(names: Record<string, string>, contacts: readonly Contact[]): Record<string, string> {
  let merged = names;
  for (const contact of contacts) {
    const name = `${contact.firstName} ${contact.lastName}`.trim() || contact.u_c;
    if (merged[contact.u_c] !== name) {
      if (merged === names) merged = { ...names };
      merged[contact.u_c] = name;
    }
  }
  return merged;
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
