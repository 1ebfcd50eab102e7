/**
 * What the pages show of the outbox: each item's state, and how many wait. Pure, and kept
 * apart from the delivery decisions (outbox.ts), which only the worker runs.
 */
import type { Attachment, OutboxItem } from './outbox';
import { sameAccount, type Account } from './refs';
import type { Words } from './words';

/** How the popup tells an item's state. */
export type ItemView =
  | { state: 'sending' }
  | { state: 'sent' }
  | { state: 'waiting'; reason: string }
  /** Made by another account: it goes when that user signs in again. */
  | { state: 'waitingForUser'; o_u: string }
  | { state: 'failed'; reason: string }
  /** Taken back: its copies are being deleted; `reason` when the last try failed. */
  | { state: 'deleting'; reason: string | null }
  /** Taken back: deleted, or `cancelled` before anything went. */
  | { state: 'deleted'; cancelled: boolean }
  /** Delivered, and the server refused to delete it. */
  | { state: 'notDeleted'; reason: string };

/** A delivered send may be taken back (Undo) this long. */
export const UNDO_WINDOW_MS = 30_000;

export function viewOf(t: Words, item: OutboxItem, account: Account | null): ItemView {
  if (item.status === 'undone') return { state: 'deleted', cancelled: item.undo?.cancelled ?? false };
  if (item.status === 'undoing') return { state: 'deleting', reason: item.reason };
  if (item.status === 'sent') return item.reason === null ? { state: 'sent' } : { state: 'notDeleted', reason: item.reason };
  if (item.status === 'failed') return { state: 'failed', reason: item.reason ?? t('popupNotDelivered') };
  if (!sameAccount(item.account, account)) return { state: 'waitingForUser', o_u: item.account.o_u };
  if (item.reason !== null) return { state: 'waiting', reason: item.reason };
  return { state: 'sending' };
}

/**
 * Until when the user may take the send back (ms since the epoch): for as long as it goes, and
 * `UNDO_WINDOW_MS` once delivered. `null` when it may not: a save into a table, a send that failed
 * (Discard drops it), or one already taken back or that could not be.
 */
export function undoableUntil(item: OutboxItem): number | null {
  if (item.table) return null;
  if (item.status === 'pending') return Number.POSITIVE_INFINITY;
  if (item.status === 'sent' && item.reason === null && item.sentAt !== null) return item.sentAt + UNDO_WINDOW_MS;
  return null;
}

/** The item's files, in their order (an item kept by an older version has at most one). */
export function filesOf(item: OutboxItem): readonly Attachment[] {
  return item.attachments ?? (item.attachment ? [item.attachment] : []);
}

/** How many of the item's files are on its message, of how many. */
export function filesSent(item: OutboxItem): { sent: number; total: number } {
  const files = filesOf(item);
  return { sent: files.filter((file) => file.uploaded).length, total: files.length };
}

/** Items on their way or waiting for a retry: what "2 waiting" counts. */
export function waitingCount(items: readonly OutboxItem[]): number {
  return items.filter((item) => item.status === 'pending').length;
}
