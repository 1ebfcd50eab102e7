/**
 * The connection to TimeTonic's message socket: attach with the session, ping to stay alive, a
 * delta poll when the server says there is news, pending reads sent as `clearNotRead`, and
 * reconnecting with back-off. Every decision is domain/live.ts's; this module does the I/O.
 *
 * The socket itself cannot live in storage: it belongs to this run of the worker. What the pages
 * show and what a restarted worker must resume (the back-off) is kept in `liveStatusItem`.
 */
import type { BookRef } from '../api';
import {
  ATTACH_TIMEOUT_MS,
  closeMeaning,
  failuresAfterClose,
  IDLE_THROTTLE,
  onNews,
  onTrailingPoll,
  PING_INTERVAL_MS,
  pingTick,
  readFrame,
  reconnectDelayMs,
  socketAddress,
  socketWanted,
  type LiveStatus,
} from '../domain/live';
import { IDLE_DETECTION_SECONDS, type IdleState } from '../domain/rhythm';
import browser, { type Alarms } from '../shared/browser';
import { socketAddressSetting } from '../shared/settings';
import { authItem, liveStatusItem, type Auth } from '../shared/state';
import { readAcknowledged, readsToSend } from './reads';
import { renewRefusedSession } from './session';
import { followPollRhythm, SOCKET_KEEPS_WORKER_ALIVE } from './schedule';
import { poll } from './sync';

interface Connection {
  socket: WebSocket;
  auth: Auth;
  /** When the first pong came back: the attach was accepted. */
  liveSince: number | null;
  unanswered: number;
  pingTimer: ReturnType<typeof setInterval> | null;
  attachTimer: ReturnType<typeof setTimeout> | null;
  /** System messages sent, in order, for acknowledgements that name none. */
  awaitingAck: string[];
  /** uuids of the reads sent on this connection. */
  readsSent: Set<string>;
  /** Closed by us (sign-out, lock, a new connection): nothing to reconnect. */
  closedOnPurpose: boolean;
}

/**
 * Wakes the worker while the socket is wanted, so that a worker stopped with its socket (an update,
 * a crash; Firefox stops its background page whatever the socket does) starts and connects again.
 * It asks the server nothing: the poll alarm does that.
 */
export const LIVE_WATCHDOG_ALARM = 'live-watchdog';
const WATCHDOG_MINUTES = 0.5;

let connection: Connection | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let throttle = IDLE_THROTTLE;

/** One change of the status at a time; the poll rhythm follows whether the socket is live. */
function updateStatus(change: (status: LiveStatus) => LiveStatus): Promise<LiveStatus> {
  return navigator.locks.request('timetonic-live-status', async () => {
    const before = await liveStatusItem.get();
    const after = change(before);
    await liveStatusItem.set(after);
    if ((before.state === 'live') !== (after.state === 'live')) void followPollRhythm();
    return after;
  });
}

/** Worker start: connect, unless a back-off from the previous run still holds. */
export async function startLive(): Promise<void> {
  await followWatchdog();
  // A stopped worker's socket went with it, whatever the status says.
  const status = await updateStatus((s) => ({ ...s, state: s.state === 'live' || s.state === 'connecting' ? 'down' : s.state, ignoredFrames: 0 }));
  const wait = status.retryAt === null ? 0 : status.retryAt - Date.now();
  if (wait > 0) scheduleRetry(wait);
  else await connect();
}

/** The watchdog woke the worker (whose start connected already), or found it running: connect if due. */
export async function onLiveAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name !== LIVE_WATCHDOG_ALARM || connection || retryTimer !== null) return;
  const status = await liveStatusItem.get();
  if (status.retryAt === null || status.retryAt <= Date.now()) await connect();
  else scheduleRetry(status.retryAt - Date.now());
}

/** The watchdog runs while someone is signed in and the screen is not locked. */
async function followWatchdog(idleState?: IdleState): Promise<void> {
  const [auth, state] = await Promise.all([authItem.get(), idleState ?? browser.idle.queryState(IDLE_DETECTION_SECONDS)]);
  if (!auth || state === 'locked') await browser.alarms.clear(LIVE_WATCHDOG_ALARM);
  else if (!(await browser.alarms.get(LIVE_WATCHDOG_ALARM))) await browser.alarms.create(LIVE_WATCHDOG_ALARM, { periodInMinutes: WATCHDOG_MINUTES });
}

/** Sign-in, the network back, the screen unlocked, the address changed: connect at once. */
export async function connectNow(): Promise<void> {
  await followWatchdog();
  await updateStatus((s) => ({ ...s, failures: 0, retryAt: null }));
  await connect();
}

/** Sign-out or a locked screen: close cleanly, and stay closed until `connectNow`. */
export async function closeLive(): Promise<void> {
  clearRetry();
  drop(1000);
  await followWatchdog();
  const auth = await authItem.get();
  await updateStatus((s) => ({ ...s, state: auth ? 'down' : 'off', reason: undefined, retryAt: null }));
}

/** The idle state changed: a locked screen closes the socket, coming back opens it. */
export async function onIdleForLive(state: IdleState): Promise<void> {
  if (state === 'locked') await closeLive();
  else if (!connection) await connectNow();
}

/** The session key was renewed: the server must know the new one. */
export function onSessionRenewed(auth: Auth): void {
  if (!connection || connection.socket.readyState !== WebSocket.OPEN) return;
  connection.auth = auth;
  attach(connection);
}

/** Sends what the user read (and, for a book opened, `logOpenBook`) if the socket is live; else it waits for the next attach. */
export async function sendReads(opened: readonly BookRef[] = []): Promise<void> {
  const current = connection;
  if (!current?.liveSince) return;
  for (const book of opened) sendSystem(current, 'logOpenBook', book, crypto.randomUUID());
  const reads = await readsToSend(current.readsSent);
  for (const read of Object.values(reads)) {
    current.readsSent.add(read.uuid!);
    sendSystem(current, 'clearNotRead', read, read.uuid!);
  }
}

function sendSystem(current: Connection, msg: string, book: BookRef, uuid: string): void {
  current.awaitingAck.push(uuid);
  send(current, { type: 11, ...keysOf(current.auth), uuid, msg, b_o: book.b_o, b_c: book.b_c });
}

const keysOf = (auth: Auth) => ({ o_u: auth.o_u, u_c: auth.o_u, sesskey: auth.sesskey });

function send(current: Connection, frame: Record<string, unknown>): void {
  if (current.socket.readyState === WebSocket.OPEN) current.socket.send(JSON.stringify(frame));
}

function attach(current: Connection): void {
  // The PHP SDK attaches with type 4 (the API text's example shows 7); then a ping, whose answer
  // tells that the attach was accepted (the attach itself has none).
  send(current, { type: 4, ...keysOf(current.auth) });
  send(current, { type: 9, ...keysOf(current.auth) });
}

function clearRetry(): void {
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
}

function scheduleRetry(ms: number): void {
  clearRetry();
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void connect();
  }, ms);
}

/** Closes the current socket, if any, without a reconnect. */
function drop(code: number): void {
  const current = connection;
  connection = null;
  if (!current) return;
  current.closedOnPurpose = true;
  if (current.pingTimer !== null) clearInterval(current.pingTimer);
  if (current.attachTimer !== null) clearTimeout(current.attachTimer);
  current.socket.close(code);
}

async function connect(): Promise<void> {
  if (connection) return;
  const [auth, override, idleState] = await Promise.all([authItem.get(), socketAddressSetting.get(), browser.idle.queryState(IDLE_DETECTION_SECONDS)]);
  // Asked twice at once (start and sign-in, say): the first one connects.
  if (connection) return;
  if (!socketWanted(!!auth, navigator.onLine, idleState)) {
    await updateStatus((s) => ({ ...s, state: auth ? 'down' : 'off', retryAt: null }));
    return;
  }
  const address = socketAddress(auth!.server, override);
  if (!address) {
    await updateStatus((s) => ({ ...s, state: 'down', address: override || null, reason: 'badAddress', retryAt: null }));
    return;
  }
  clearRetry();
  let socket: WebSocket;
  try {
    socket = new WebSocket(address);
  } catch {
    await updateStatus((s) => ({ ...s, state: 'down', address, reason: 'badAddress', retryAt: null }));
    return;
  }
  const current: Connection = {
    socket,
    auth: auth!,
    liveSince: null,
    unanswered: 0,
    pingTimer: null,
    attachTimer: null,
    awaitingAck: [],
    readsSent: new Set(),
    closedOnPurpose: false,
  };
  connection = current;
  current.attachTimer = setTimeout(() => giveUp(current), ATTACH_TIMEOUT_MS);
  // Listening before anything is awaited: a local server opens the socket within a few tasks.
  socket.addEventListener('open', () => {
    attach(current);
    // The attach's ping counts like any other: no answer to it and the next means dead.
    current.unanswered = 1;
    current.pingTimer = setInterval(() => onPingTick(current), PING_INTERVAL_MS);
  });
  socket.addEventListener('message', (event) => void onFrame(current, event.data));
  socket.addEventListener('close', (event) => void onClose(current, event.code, event.reason));
  await updateStatus((s) => ({ ...s, state: s.state === 'live' ? s.state : 'connecting', address }));
}

/** No answer: the connection is dead, whatever the browser believes. */
function giveUp(current: Connection): void {
  current.socket.close(4000, 'no answer');
  void onClose(current, 4000, 'noAnswer');
}

function onPingTick(current: Connection): void {
  if (pingTick(current.unanswered) === 'dead') {
    giveUp(current);
    return;
  }
  current.unanswered++;
  send(current, { type: 9, ...keysOf(current.auth) });
}

async function onFrame(current: Connection, data: unknown): Promise<void> {
  if (connection !== current) return;
  const frame = readFrame(data);
  switch (frame.kind) {
    case 'pong':
      current.unanswered = 0;
      if (current.liveSince === null) {
        current.liveSince = Date.now();
        if (current.attachTimer !== null) clearTimeout(current.attachTimer);
        await updateStatus((s) => ({ ...s, state: 'live', reason: undefined, retryAt: null }));
        // Whatever was posted while the socket was down, and the reads made meanwhile. Where the
        // socket does not keep the background running (Firefox), it reconnects at every wake and
        // the regular polls, which go on there, see to that.
        if (SOCKET_KEEPS_WORKER_ALIVE) void poll({ kind: 'live' });
        await sendReads();
      }
      return;
    case 'news':
      onNewsFrame();
      return;
    case 'systemAck': {
      const uuid = frame.uuid ?? current.awaitingAck[0] ?? null;
      current.awaitingAck = current.awaitingAck.filter((sent) => sent !== uuid);
      // A refused clearNotRead (the book is gone, say) is not sent again either: the next poll tells.
      if (uuid) await readAcknowledged(uuid);
      return;
    }
    case 'unknown':
    case 'unreadable':
      await updateStatus((s) => ({ ...s, ignoredFrames: s.ignoredFrames + 1 }));
  }
}

function onNewsFrame(): void {
  const next = onNews(throttle, Date.now());
  throttle = next.throttle;
  if (next.pollInMs === 0) void poll({ kind: 'live' });
  else if (next.pollInMs !== null) {
    setTimeout(() => {
      throttle = onTrailingPoll(Date.now());
      void poll({ kind: 'live' });
    }, next.pollInMs);
  }
}

async function onClose(current: Connection, code: number, reason: string): Promise<void> {
  if (current.pingTimer !== null) clearInterval(current.pingTimer);
  if (current.attachTimer !== null) clearTimeout(current.attachTimer);
  current.pingTimer = current.attachTimer = null;
  if (current.closedOnPurpose || connection !== current) return;
  connection = null;
  const now = Date.now();
  const refused = closeMeaning(code, reason) === 'sessionRefused';
  const why: LiveStatus['reason'] = refused ? 'sessionRefused' : reason === 'noAnswer' ? 'noAnswer' : current.liveSince === null ? 'neverOpened' : 'closed';
  const status = await updateStatus((s) => {
    const failures = failuresAfterClose(s.failures, current.liveSince, now);
    return { ...s, state: 'down', reason: why, failures, retryAt: now + reconnectDelayMs(Math.max(0, failures - 1), Math.random) };
  });
  if (refused) {
    // A new session key through the session module; the next attach uses it. A refused oauthkey
    // signs the user out, and the sign-out closes everything.
    await renewRefusedSession(current.auth).catch(() => undefined);
  }
  scheduleRetry(Math.max(0, (status.retryAt ?? now) - Date.now()));
}
