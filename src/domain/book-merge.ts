/**
 * How a `getAllBooks` delta is merged into the cached book list. Pure: no storage, no browser, so
 * tests and the benchmark call it directly. Only the worker runs it.
 */
import type { Book, Contact } from '../api';
import { bookKey, type BookCache, type BookSummary } from './books';

/** Notifications show the start of a message; more is not worth keeping. */
export const MESSAGE_PREVIEW_LENGTH = 160;

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

/** A delta with no book and no contact, which changes nothing of a list already fetched. */
export function bringsNothing(delta: { books: readonly Book[]; contacts?: readonly Contact[] }): boolean {
  return delta.books.length === 0 && (delta.contacts ?? []).length === 0;
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
