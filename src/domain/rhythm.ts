/**
 * How often to poll, from what the browser says of the user: at the chosen interval while they are
 * at the computer, slower while it sits idle, not at all while the screen is locked (nobody can see
 * a badge or a notification then). Pure: the worker (background/schedule.ts) and the benchmark
 * call it as it is.
 */

/** The browser's `idle` states. Firefox reports no 'locked': there a locked machine counts as idle. */
export type IdleState = 'active' | 'idle' | 'locked';

/** Minutes between polls while the machine is idle. */
export const IDLE_POLL_MINUTES = 10;

/**
 * After this long without input the browser reports 'idle'. Chrome's default, 60 s, would take
 * someone reading a long page or on a call for away and slow the badge down under their eyes;
 * five minutes keeps short pauses at the chosen rhythm and still slows down soon after they leave.
 */
export const IDLE_DETECTION_SECONDS = 5 * 60;

/** Minutes between polls while the message socket is healthy: a safety net only, pushes bring the news. */
export const SAFETY_NET_POLL_MINUTES = 15;

/**
 * Minutes between two polls in `idleState`, or null for no polling at all. `live`: the message
 * socket is healthy and keeps the worker running, so polls are only a safety net.
 */
export function pollPeriodFor(idleState: IdleState, chosenMinutes: number, live = false): number | null {
  if (live && idleState !== 'locked') return Math.max(SAFETY_NET_POLL_MINUTES, chosenMinutes);
  switch (idleState) {
    case 'active':
      return chosenMinutes;
    // Never faster than the user's own choice: idle polling is meant to cost less, not more.
    case 'idle':
      return Math.max(IDLE_POLL_MINUTES, chosenMinutes);
    case 'locked':
      return null;
  }
}
