/**
 * The poll alarm follows the user (domain/rhythm.ts): the chosen interval while they are active,
 * slower while the machine is idle, none while the screen is locked, and a poll at once when they
 * come back; only a safety net while the message socket is live (background/live.ts). Set at worker
 * start, on every idle state change, when the interval setting changes and when the socket comes up
 * or goes down.
 */
import { IDLE_DETECTION_SECONDS, pollPeriodFor, type IdleState } from '../domain/rhythm';
import browser, { type Alarms } from '../shared/browser';
import { pollMinutesSetting } from '../shared/settings';
import { liveStatusItem } from '../shared/state';
import { poll } from './sync';

export const POLL_ALARM = 'poll';

/**
 * Chrome (116+) keeps a service worker running while socket messages flow, so a live socket can
 * stand in for polling there. Firefox's background page is stopped whatever its socket does: there
 * the socket only speeds things up while the background runs, and polling goes on as before.
 */
export const SOCKET_KEEPS_WORKER_ALIVE = 'ServiceWorkerGlobalScope' in globalThis;

/** At worker start: the detection interval, then the alarm for the state the machine is in now. */
export async function startPollRhythm(): Promise<void> {
  // Set at every start: the worker cannot tell whether the browser still holds it, and it costs nothing.
  browser.idle.setDetectionInterval(IDLE_DETECTION_SECONDS);
  await followIdleState(() => browser.idle.queryState(IDLE_DETECTION_SECONDS));
}

/** The user came back (unlocked, woke the machine, touched it again), went idle, or locked the screen. */
export async function onIdleStateChanged(state: IdleState): Promise<void> {
  await followIdleState(async () => state);
  // Back from idle with the socket live all along, the badge is current already.
  if (state === 'active' && !(await liveKeepsCurrent())) await poll({ kind: 'wake' });
}

/** The popup opened: fresh numbers, unless the live socket keeps them fresh already. */
export async function onPopupOpened(): Promise<void> {
  if (!(await liveKeepsCurrent())) await poll({ kind: 'popup' });
}

/** The message socket is live in a worker it keeps running: pushes bring every change. */
async function liveKeepsCurrent(): Promise<boolean> {
  return SOCKET_KEEPS_WORKER_ALIVE && (await liveStatusItem.get()).state === 'live';
}

/** The user chose another interval, or the message socket came up or went down. */
export function followPollRhythm(): Promise<void> {
  return followIdleState(() => browser.idle.queryState(IDLE_DETECTION_SECONDS));
}


/**
 * One change of the alarm at a time, each reading the state inside its turn: a start that asked
 * for the state just before the screen locked cannot re-create the alarm after the lock cleared it.
 */
function followIdleState(currentState: () => Promise<IdleState>): Promise<void> {
  return navigator.locks.request('timetonic-poll-alarm', async () => {
    const [state, chosenMinutes, live] = await Promise.all([currentState(), pollMinutesSetting.get(), liveStatusItem.get()]);
    await applyPollPeriod(pollPeriodFor(state, chosenMinutes, SOCKET_KEEPS_WORKER_ALIVE && live.state === 'live'));
  });
}

/** Creates, replaces or clears the alarm; one already at the right period is left to run on. */
async function applyPollPeriod(minutes: number | null): Promise<void> {
  if (minutes === null) {
    await browser.alarms.clear(POLL_ALARM);
    return;
  }
  const existing = await browser.alarms.get(POLL_ALARM);
  if (existing?.periodInMinutes === minutes) return;
  await browser.alarms.create(POLL_ALARM, { periodInMinutes: minutes, delayInMinutes: minutes });
}

export async function onAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name !== POLL_ALARM) return;
  // A periodic alarm missed during sleep fires once on wake, late by about the sleep's length.
  await poll({ kind: 'alarm', lateByMs: Math.max(0, Date.now() - alarm.scheduledTime) });
}
