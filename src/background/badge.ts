/** The toolbar button: badge text, colour and tooltip, always derived from what storage holds. */
import { badgeFor } from '../domain/badge';
import { sendingFromMenu } from '../domain/outbox';
import browser from '../shared/browser';
import { t } from '../shared/i18n';
import { mutedBooksSetting } from '../shared/settings';
import { bookCacheItem, outboxItem, syncStatusItem } from '../shared/state';

export async function refreshBadge(): Promise<void> {
  const [status, cache, muted, outbox] = await Promise.all([syncStatusItem.get(), bookCacheItem.get(), mutedBooksSetting.get(), outboxItem.get()]);
  const badge = badgeFor(t, status, Object.values(cache.books), new Set(muted), sendingFromMenu(outbox));
  await Promise.all([
    browser.action.setBadgeText({ text: badge.text }),
    browser.action.setBadgeBackgroundColor({ color: badge.color }),
    browser.action.setTitle({ title: badge.title }),
  ]);
}
