/**
 * What the worker does when storage changes: redraw the badge, reschedule polls, settle quiet
 * hours, sign out on a new server, rebuild the right-click menu, deliver the outbox when someone
 * signs in or the server answers again, open, close or re-attach the message socket, keep the popup's
 * first screenful holding the books the quick-send box may preselect.
 */
import { mutedBooksSetting, pollMinutesSetting, quietHoursSetting, serverSetting, socketAddressSetting } from '../shared/settings';
import { draftItem, type Draft } from '../shared/draft';
import { authItem, bookCacheItem, outboxItem, recentBooksItem, syncStatusItem, type Auth } from '../shared/state';
import type { Storage } from '../shared/browser';
import type { SyncStatus } from '../domain/status';
import { refreshBadge } from './badge';
import { coverNamedBooks } from './book-store';
import { closeLive, connectNow, onSessionRenewed } from './live';
import { rebuildMenu } from './menu';
import { deliver } from './outbox';
import { withReads } from './reads';
import { settleQuietHours } from './quiet-hours';
import { followPollRhythm } from './schedule';
import { signOut } from './session';
import { exclusive } from './sync';

function changed(changes: Record<string, Storage.StorageChange>, area: string, item: { area: string; key: string }): boolean {
  return area === item.area && item.key in changes;
}

export function onStorageChanged(changes: Record<string, Storage.StorageChange>, area: string): void {
  if ([bookCacheItem, syncStatusItem, mutedBooksSetting, outboxItem].some((item) => changed(changes, area, item))) void refreshBadge();
  if (changed(changes, area, pollMinutesSetting)) void followPollRhythm();
  if (changed(changes, area, quietHoursSetting)) void settleQuietHours();
  if (changed(changes, area, serverSetting)) void exclusive(signOutOfOtherServer);
  if ([authItem, bookCacheItem, recentBooksItem].some((item) => changed(changes, area, item))) void rebuildMenu();
  if (changed(changes, area, authItem) && signedIn(changes[authItem.key]!)) void deliver({ now: true });
  if (changed(changes, area, syncStatusItem) && recovered(changes[syncStatusItem.key]!)) void deliver({ now: true });
  if (changed(changes, area, authItem)) void followSession(changes[authItem.key]!);
  if (changed(changes, area, socketAddressSetting)) void closeLive().then(connectNow);
  // Under the reads' lock too: a read lowering a count meanwhile must not be undone by a stale screenful.
  if (changed(changes, area, recentBooksItem) || (changed(changes, area, draftItem) && otherBook(changes[draftItem.key]!)))
    void exclusive(() => withReads(coverNamedBooks));
}

/** The message socket follows the session: open on sign-in, closed on sign-out, attached again with a renewed key. */
async function followSession(change: Storage.StorageChange): Promise<void> {
  const before = change.oldValue as Auth | undefined;
  const after = change.newValue as Auth | undefined;
  if (!after) await closeLive();
  else if (!before || before.o_u !== after.o_u || before.server !== after.server) await closeLive().then(connectNow);
  else if (before.sesskey !== after.sesskey) onSessionRenewed(after);
}

/** The quick-send draft names another book (not merely other text). */
function otherBook(change: Storage.StorageChange): boolean {
  return (change.oldValue as Draft | undefined)?.book !== (change.newValue as Draft | undefined)?.book;
}

/** Someone signed in: what they left waiting goes now. */
function signedIn(change: Storage.StorageChange): boolean {
  return !change.oldValue && !!change.newValue;
}

/** The server answers again after an error: what waits for a retry goes now. */
function recovered(change: Storage.StorageChange): boolean {
  const before = (change.oldValue as SyncStatus | undefined)?.state;
  const after = (change.newValue as SyncStatus | undefined)?.state;
  return after === 'ok' && (before === 'offline' || before === 'serverError' || before === 'badReply');
}

/** Keys belong to the server that issued them. */
async function signOutOfOtherServer(): Promise<void> {
  const [auth, server] = await Promise.all([authItem.get(), serverSetting.get()]);
  if (auth && auth.server !== server) await signOut();
}
