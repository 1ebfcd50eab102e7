/**
 * Reads made in the popup (a book opened, Mark as read, a send from within a book): the count goes
 * down in the cached list at once, and the read is kept, one per book, until the server has
 * acknowledged its `clearNotRead` over the message socket (background/live.ts sends it).
 */
import { acknowledge, holdReads, markRead, type PendingReads } from '../domain/read-state';
import type { BookCache } from '../domain/books';
import type { BookRef } from '../domain/refs';
import { bookCacheItem, pendingReadsItem } from '../shared/state';
import { storeBooks } from './book-store';

/**
 * One change of the pending reads (and of the counts they hold down) at a time: a poll writing its
 * merged list cannot bring back a count a read set to 0 between its read and its write.
 */
export function withReads<T>(task: () => Promise<T>): Promise<T> {
  return navigator.locks.request('timetonic-reads', task);
}

/** The user read these books: their counts to 0 now, the reads kept for the server. */
export function recordReads(books: readonly BookRef[]): Promise<void> {
  return withReads(async () => {
    const [cache, pending] = await Promise.all([bookCacheItem.get(), pendingReadsItem.get()]);
    const next = markRead(cache, pending, books);
    await pendingReadsItem.set(next.pending);
    await storeBooks(next.cache);
  });
}

/** Writes a poll's merged list with the pending reads held against it. */
export function writeMergedBooks(cache: BookCache): Promise<void> {
  return withReads(async () => {
    holdReads(cache.books, await pendingReadsItem.get());
    await storeBooks(cache);
  });
}

/**
 * Gives every pending read not sent on this connection a new uuid and returns those to send.
 * `sentHere`: the uuids already sent on the current connection.
 */
export function readsToSend(sentHere: ReadonlySet<string>): Promise<PendingReads> {
  return withReads(async () => {
    const pending = await pendingReadsItem.get();
    const toSend: PendingReads = {};
    for (const [key, read] of Object.entries(pending)) {
      if (read.uuid && sentHere.has(read.uuid)) continue;
      toSend[key] = { ...read, uuid: crypto.randomUUID() };
    }
    if (Object.keys(toSend).length > 0) await pendingReadsItem.set({ ...pending, ...toSend });
    return toSend;
  });
}

/** The server acknowledged the system message `uuid`. */
export function readAcknowledged(uuid: string): Promise<void> {
  return withReads(async () => {
    const next = acknowledge(await pendingReadsItem.get(), uuid);
    if (next) await pendingReadsItem.set(next);
  });
}
