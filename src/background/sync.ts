/**
 * One poll of the server: `getAllBooks` with the last server stamp, the delta merged into the
 * cached book list, the status updated, notifications raised (during quiet hours, the news held
 * for one summary when they end). Storage is written only for what changed, so a poll that brings
 * nothing costs one request, no write, and a read of the list's stamp alone.
 */
import { isApiError } from '../api';
import { bringsNothing, mergeBooks } from '../domain/book-merge';
import { newsFor, notificationsFor, type NotificationContext } from '../domain/notifications';
import { quietUntil } from '../domain/quiet-hours';
import type { SyncStatus } from '../domain/status';
import { sameStatus, statusForError } from '../domain/status-change';
import { t } from '../shared/i18n';
import { mutedBooksSetting, notificationsSetting, quietHoursSetting } from '../shared/settings';
import { authItem, bookCacheItem, syncStatusItem } from '../shared/state';
import { storedStamp } from './book-store';
import { showNotifications } from './notify';
import { holdDuringQuietHours } from './quiet-hours';
import { writeMergedBooks } from './reads';
import { withSession } from './session';

export type PollReason =
  | { kind: 'alarm'; lateByMs: number }
  | { kind: 'startup' }
  | { kind: 'wake' }
  | { kind: 'popup' }
  | { kind: 'signIn' }
  /** The outbox delivered a message: the list shows it. */
  | { kind: 'sent' }
  /** The message socket said there is news, or attached again after a gap. */
  | { kind: 'live' };

/** How long the machine was away, as far as the reason tells: a wake or a late alarm means a gap. */
function gapMs(reason: PollReason): number {
  if (reason.kind === 'alarm') return reason.lateByMs;
  return reason.kind === 'wake' || reason.kind === 'startup' ? Number.POSITIVE_INFINITY : 0;
}

/**
 * Runs `task` while no poll runs, and no poll while it runs: polls (alarm, popup and wake can
 * coincide) take turns, and a sign-in or sign-out never interleaves with a poll's writes.
 */
export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  return navigator.locks.request('timetonic-sync', task);
}

export async function poll(reason: PollReason): Promise<void> {
  await exclusive(() => pollOnce(reason));
}

async function pollOnce(reason: PollReason): Promise<void> {
  const sstamp = await storedStamp();
  let status: SyncStatus;
  try {
    // Signed out: withSession asks nothing and answers null.
    const reply = await withSession(async (api, keys) => ({
      me: keys.o_u,
      delta: await api.getAllBooks(keys, { sstamp: sstamp ?? undefined }),
    }));
    if (reply === null) return;
    // An idle poll reads neither the book list nor the settings: nothing changed, so nothing can be news.
    const merged = sstamp !== null && bringsNothing(reply.delta) ? null : mergeBooks(await bookCacheItem.get(), reply.delta, reply.me);
    if (merged?.changed) await writeMergedBooks(merged.cache);
    if (merged && merged.updated.length > 0) {
      const [enabled, muted, quietHours] = await Promise.all([notificationsSetting.get(), mutedBooksSetting.get(), quietHoursSetting.get()]);
      const context: NotificationContext = {
        me: reply.me,
        firstSync: sstamp === null,
        enabled,
        muted: new Set(muted),
        sincePreviousPoll: gapMs(reason),
        names: merged.cache.names,
      };
      const quietEnd = quietUntil(quietHours, new Date());
      if (quietEnd) await holdDuringQuietHours(newsFor(merged.previous, merged.updated, context), quietEnd);
      else await showNotifications(notificationsFor(t, merged.previous, merged.updated, context));
    }
    status = { state: 'ok' };
  } catch (error) {
    if (!isApiError(error)) throw error;
    // A refused oauthkey has signed the user out already, with its own status.
    if (!(await authItem.get())) return;
    status = statusForError(error);
  }
  if (!sameStatus(status, await syncStatusItem.get())) await syncStatusItem.set(status);
}
