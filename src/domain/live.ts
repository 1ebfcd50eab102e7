/**
 * The message socket's decisions: where it is, how long to wait before connecting again, when it
 * is dead, what each frame means, how pushes become polls, and when it should be open at all.
 * Pure: the worker's connection (background/live.ts) does only the I/O.
 */
import type { IdleState } from './rhythm';

/** TimeTonic's own socket, where its public PHP SDK connects. */
export const TIMETONIC_SOCKET = 'wss://timetonic.com:10100';
/** Path of the socket on any other server (the local one serves it there). */
export const SOCKET_PATH = '/socket';

export const PING_INTERVAL_MS = 20_000;
/**
 * A connection not attached (its first ping answered) this long after it was asked for is given
 * up and counted as a failure: a browser may leave a socket connecting for minutes.
 */
export const ATTACH_TIMEOUT_MS = 10_000;
/** Pings left unanswered before the connection counts as dead. */
export const UNANSWERED_PINGS_DEAD = 2;
export const RECONNECT_MIN_MS = 1_000;
export const RECONNECT_MAX_MS = 5 * 60_000;
/** A connection alive this long starts the back-off from the beginning again. */
export const HEALTHY_AFTER_MS = 60_000;
/** Pushes within this window of a poll give one more poll at its end, not one each. */
export const NEWS_WINDOW_MS = 1_000;
/** The close code (policy violation) with which a server refuses an attach's session. */
export const SESSION_REFUSED_CLOSE = 1008;

/**
 * The socket's address for a server: TimeTonic's own, or the same host and port with `ws`/`wss`
 * and `/socket`. A non-empty override wins. Null for an address that is no http(s) URL.
 */
export function socketAddress(server: string, override = ''): string | null {
  const chosen = override.trim();
  if (chosen) return /^wss?:\/\//i.test(chosen) ? chosen : null;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return null;
  }
  if (url.protocol === 'https:' && url.host === 'timetonic.com') return TIMETONIC_SOCKET;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${SOCKET_PATH}`;
}

/**
 * How long to wait before connection attempt number `failures` + 1: doubling from about a second
 * up to five minutes, each wait drawn between half and all of it so that many clients dropped
 * together do not come back together. `random` is in [0, 1).
 */
export function reconnectDelayMs(failures: number, random: () => number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(failures, 20));
  return Math.max(RECONNECT_MIN_MS, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** Failures counted after a connection ended: none if it had been healthy for a minute. */
export function failuresAfterClose(failures: number, liveSince: number | null, now: number): number {
  return liveSince !== null && now - liveSince >= HEALTHY_AFTER_MS ? 0 : failures + 1;
}

/** At each ping tick: send one more ping, or give the connection up. */
export function pingTick(unanswered: number): 'ping' | 'dead' {
  return unanswered >= UNANSWERED_PINGS_DEAD ? 'dead' : 'ping';
}

/** What a frame from the server means to us. */
export type Frame =
  /** Book updates are ready (8), or a message arrived (1): poll. */
  | { kind: 'news' }
  | { kind: 'pong' }
  /** A system message was acknowledged (12); `uuid` when the server names it. */
  | { kind: 'systemAck'; uuid: string | null; ok: boolean }
  /** JSON with a type we do not use (acks of data messages, others' system messages...). */
  | { kind: 'unknown' }
  /** Not JSON, or not an object with a numeric type: counted and ignored. */
  | { kind: 'unreadable' };

export function readFrame(data: unknown): Frame {
  if (typeof data !== 'string') return { kind: 'unreadable' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { kind: 'unreadable' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'unreadable' };
  const frame = parsed as Record<string, unknown>;
  switch (frame.type) {
    case 1:
    case 8:
      return { kind: 'news' };
    case 10:
      return { kind: 'pong' };
    case 12:
      return { kind: 'systemAck', uuid: typeof frame.uuid === 'string' && frame.uuid ? frame.uuid : null, ok: frame.status === 'ok' };
    default:
      return typeof frame.type === 'number' ? { kind: 'unknown' } : { kind: 'unreadable' };
  }
}

/** Why a connection ended, from its close event. */
export function closeMeaning(code: number, reason: string): 'sessionRefused' | 'other' {
  return code === SESSION_REFUSED_CLOSE || /sess/i.test(reason) ? 'sessionRefused' : 'other';
}

/** Whether the socket should be open: signed in, online, and the screen not locked. */
export function socketWanted(signedIn: boolean, online: boolean, idleState: IdleState): boolean {
  return signedIn && online && idleState !== 'locked';
}

/**
 * Pushes into polls. The first push polls at once; those that follow within the window ask for one
 * more poll at its end, which sees them all. Ten pushes in a second: two polls.
 */
export interface NewsThrottle {
  lastPollAt: number | null;
  /** A poll is already planned at the end of the window. */
  trailing: boolean;
}

export const IDLE_THROTTLE: NewsThrottle = { lastPollAt: null, trailing: false };

/** A push arrived at `now`: poll in `pollInMs` (0: at once), or not at all (null). */
export function onNews(throttle: NewsThrottle, now: number): { throttle: NewsThrottle; pollInMs: number | null } {
  if (throttle.lastPollAt === null || now - throttle.lastPollAt >= NEWS_WINDOW_MS) {
    return { throttle: { lastPollAt: now, trailing: false }, pollInMs: 0 };
  }
  if (throttle.trailing) return { throttle, pollInMs: null };
  return { throttle: { ...throttle, trailing: true }, pollInMs: throttle.lastPollAt + NEWS_WINDOW_MS - now };
}

/** The planned poll at the end of the window runs at `now`. */
export function onTrailingPoll(now: number): NewsThrottle {
  return { lastPollAt: now, trailing: false };
}

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
