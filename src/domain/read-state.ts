/**
 * Reads the user made in the popup (a book opened, Mark as read) that the server has not
 * acknowledged yet: at most one per book, kept until a `clearNotRead` sent over the message socket
 * is acknowledged. Until then a poll must not bring the old count back, while a message newer than
 * the read still counts. Pure.
 */
import type { BookRef } from '../api';
import { bookKey, type BookCache, type BookSummary } from './books';

export interface PendingRead extends BookRef {
  /** The newest message the user had when reading (0: none). */
  lastSmid: number;
  /** The unread count the server had given before the read. */
  unreadAtRead: number;
  /** The `uuid` of the `clearNotRead` last sent for it, to match the acknowledgement. */
  uuid: string | null;
}

/** By book key. */
export type PendingReads = Record<string, PendingRead>;

/**
 * Marks books read in the cache (count to 0 at once) and records one pending read per book, which
 * replaces an older one. Books not in the cache are left out. Returns new objects.
 */
export function markRead(cache: BookCache, pending: PendingReads, books: readonly BookRef[]): { cache: BookCache; pending: PendingReads } {
  const nextBooks = { ...cache.books };
  const nextPending = { ...pending };
  for (const ref of books) {
    const key = bookKey(ref);
    const book = nextBooks[key];
    if (!book) continue;
    const earlier = pending[key];
    nextPending[key] = {
      b_o: book.b_o,
      b_c: book.b_c,
      lastSmid: book.lastMsg?.smid ?? 0,
      // A read over a read not yet acknowledged: the server still counts from before the first.
      unreadAtRead: earlier ? earlier.unreadAtRead + book.nbNotRead : book.nbNotRead,
      uuid: null,
    };
    if (book.nbNotRead !== 0) nextBooks[key] = { ...book, nbNotRead: 0 };
  }
  return { cache: { ...cache, books: nextBooks }, pending: nextPending };
}

/**
 * The count to show for a book the server sent while a read of it is pending: none if nothing is
 * newer than the read, else what the server counts beyond what was read (at least one).
 */
export function unreadDespiteRead(book: BookSummary, read: PendingRead): number {
  if (book.nbNotRead === 0 || (book.lastMsg?.smid ?? 0) <= read.lastSmid) return 0;
  return Math.max(1, book.nbNotRead - read.unreadAtRead);
}

/** The server acknowledged the system message `uuid`: the read sent with it, if any, is done. */
export function acknowledge(pending: PendingReads, uuid: string): PendingReads | null {
  const key = Object.keys(pending).find((k) => pending[k]!.uuid === uuid);
  if (!key) return null;
  const rest = { ...pending };
  delete rest[key];
  return rest;
}

/**
 * Holds the pending reads against a merged book list, in place (as the merge updates it): a book
 * the server still counts as unread shows only what is newer than the read. True if a count changed.
 */
export function holdReads(books: Record<string, BookSummary>, pending: PendingReads): boolean {
  let changed = false;
  for (const [key, read] of Object.entries(pending)) {
    const book = books[key];
    if (!book) continue;
    const unread = unreadDespiteRead(book, read);
    if (unread !== book.nbNotRead) {
      books[key] = { ...book, nbNotRead: unread };
      changed = true;
    }
  }
  return changed;
}
