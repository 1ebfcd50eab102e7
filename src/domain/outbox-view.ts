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
  | { state: 'failed'; reason: string };

export function viewOf(t: Words, item: OutboxItem, account: Account | null): ItemView {
  if (item.status === 'sent') return { state: 'sent' };
  if (item.status === 'failed') return { state: 'failed', reason: item.reason ?? t('popupNotDelivered') };
  if (!sameAccount(item.account, account)) return { state: 'waitingForUser', o_u: item.account.o_u };
  if (item.reason !== null) return { state: 'waiting', reason: item.reason };
  return { state: 'sending' };
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
