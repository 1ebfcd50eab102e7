/**
 * Quiet hours in the worker: news a poll finds meanwhile is held in storage rather than shown, an
 * alarm is set for the end of the quiet period, and then one summary is raised. The badge is not
 * concerned: it counts as always. The one writer of `quietNewsItem`.
 */
import type { BookNews } from '../domain/notifications';
import { holdNews, quietSummary, quietUntil } from '../domain/quiet-hours';
import browser, { type Alarms } from '../shared/browser';
import { t } from '../shared/i18n';
import { notificationsSetting, quietHoursSetting } from '../shared/settings';
import { quietNewsItem } from '../shared/state';
import { showNotifications } from './notify';

export const QUIET_END_ALARM = 'quiet-end';

/** Holding news and raising the summary take turns: nothing held in between is lost. */
function heldNewsTurn<T>(task: () => Promise<T>): Promise<T> {
  return navigator.locks.request('timetonic-quiet-news', task);
}

/** Keeps a poll's news for the summary at `quietEnd`, the end of the quiet period it arrived in. */
export function holdDuringQuietHours(news: readonly BookNews[], quietEnd: Date): Promise<void> {
  if (news.length === 0) return Promise.resolve();
  return heldNewsTurn(async () => {
    await quietNewsItem.set(holdNews(await quietNewsItem.get(), news));
    await setQuietEndAlarm(quietEnd);
  });
}

/**
 * Raises the summary of what was held if quiet hours are over, or sets the alarm for their end if
 * not. Runs on that alarm, at worker start (an alarm may not survive a browser restart) and when
 * the user changes the quiet hours (turned off, they end now).
 */
export function settleQuietHours(): Promise<void> {
  return heldNewsTurn(async () => {
    const held = await quietNewsItem.get();
    if (held.length === 0) return;
    const quietEnd = quietUntil(await quietHoursSetting.get(), new Date());
    if (quietEnd) {
      await setQuietEndAlarm(quietEnd);
      return;
    }
    const summary = quietSummary(t, held);
    // Notifications turned off meanwhile: the news is dropped, as it would not have been shown.
    if (summary && (await notificationsSetting.get())) await showNotifications([summary]);
    await quietNewsItem.remove();
    await browser.alarms.clear(QUIET_END_ALARM);
  });
}

export async function onQuietEndAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name === QUIET_END_ALARM) await settleQuietHours();
}

/** Signing out: what was held belongs to the account that leaves. */
export function forgetHeldNews(): Promise<void> {
  return heldNewsTurn(() => quietNewsItem.remove());
}

async function setQuietEndAlarm(quietEnd: Date): Promise<void> {
  const existing = await browser.alarms.get(QUIET_END_ALARM);
  if (existing?.scheduledTime !== quietEnd.getTime()) await browser.alarms.create(QUIET_END_ALARM, { when: quietEnd.getTime() });
}
