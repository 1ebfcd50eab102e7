/**
 * What the pages show of the outbox: each item's state, and how many wait. Pure, and kept
 * apart from the delivery decisions (outbox.ts), which only the worker runs.
 */
import type { OutboxItem } from './outbox';
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

/** Items on their way or waiting for a retry: what "2 waiting" counts. */
export function waitingCount(items: readonly OutboxItem[]): number {
  return items.filter((item) => item.status === 'pending').length;
}
