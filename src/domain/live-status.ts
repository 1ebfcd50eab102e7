/**
 * The message socket's state as the worker keeps it, apart from the connection's decisions
 * (`live.ts`), so that the pages that show it load only this.
 */

/** What the worker keeps of the connection (in session storage): what the pages show, what a restart resumes. */
export interface LiveStatus {
  state: 'off' | 'connecting' | 'live' | 'down';
  /** The address in use (or last tried). */
  address: string | null;
  /** Why it is down. */
  reason?: 'neverOpened' | 'closed' | 'noAnswer' | 'sessionRefused' | 'badAddress';
  /** Failed attempts in a row, and when the next may start (ms since the epoch). */
  failures: number;
  retryAt: number | null;
  /** Frames that could not be read, or of a type we do not use, since the worker started. */
  ignoredFrames: number;
}

export const LIVE_OFF: LiveStatus = { state: 'off', address: null, failures: 0, retryAt: null, ignoredFrames: 0 };
