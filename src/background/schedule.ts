/** The poll alarm: created when missing, re-created when the interval setting changes. */
import browser, { type Alarms } from '../shared/browser';
import { pollMinutesSetting } from '../shared/settings';
import { poll } from './sync';

export const POLL_ALARM = 'poll';

export async function ensurePollAlarm(options: { replace?: boolean } = {}): Promise<void> {
  const minutes = await pollMinutesSetting.get();
  const existing = await browser.alarms.get(POLL_ALARM);
  if (existing && existing.periodInMinutes === minutes && !options.replace) return;
  await browser.alarms.create(POLL_ALARM, { periodInMinutes: minutes, delayInMinutes: minutes });
}

export async function onAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name !== POLL_ALARM) return;
  // A periodic alarm missed during sleep fires once on wake, late by about the sleep's length.
  await poll({ kind: 'alarm', lateByMs: Math.max(0, Date.now() - alarm.scheduledTime) });
}
