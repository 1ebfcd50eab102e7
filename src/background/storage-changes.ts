/** What the worker does when storage changes: redraw the badge, reschedule, sign out on a new server. */
import { mutedBooksSetting, pollMinutesSetting, serverSetting } from '../shared/settings';
import { authItem, bookCacheItem, syncStatusItem } from '../shared/state';
import type { Storage } from '../shared/browser';
import { refreshBadge } from './badge';
import { ensurePollAlarm } from './schedule';
import { signOut } from './session';
import { exclusive } from './sync';

function changed(changes: Record<string, Storage.StorageChange>, area: string, item: { area: string; key: string }): boolean {
  return area === item.area && item.key in changes;
}

export function onStorageChanged(changes: Record<string, Storage.StorageChange>, area: string): void {
  if ([bookCacheItem, syncStatusItem, mutedBooksSetting].some((item) => changed(changes, area, item))) void refreshBadge();
  if (changed(changes, area, pollMinutesSetting)) void ensurePollAlarm({ replace: true });
  if (changed(changes, area, serverSetting)) void exclusive(signOutOfOtherServer);
}

/** Keys belong to the server that issued them. */
async function signOutOfOtherServer(): Promise<void> {
  const [auth, server] = await Promise.all([authItem.get(), serverSetting.get()]);
  if (auth && auth.server !== server) await signOut();
}
