/**
 * The requests of a day: a day of idle states simulated minute by minute on a virtual clock, through
 * the worker's real schedule code (background/schedule.ts: the poll alarm, the poll on coming back,
 * the popup's poll) and its real poll (background/sync.ts) against the local server, so that every
 * request is counted as the server logs it, session renewals included. The browser is the test
 * fake (alarms fired by the virtual clock), and `idle` reports 'idle' only five minutes after the
 * last input, as the browser does.
 *
 * With the socket, what background/live.ts does is played on the same clock: it is open whenever
 * the screen is not locked, an attach polls once, each push of another user's post polls once (the
 * posts are minutes apart, so none is coalesced), a ping every 20 s is answered, and the popup's
 * reads go as clearNotRead and logOpenBook. Its frames are counted, not sent.
 */
import type { LocalServer } from '../server';
import { PING_INTERVAL_MS } from '../src/domain/live';
import { IDLE_DETECTION_SECONDS, type IdleState } from '../src/domain/rhythm';
import { createFakeBrowser, type FakeBrowser } from '../test/support/fake-browser';

interface Stretch {
  state: IdleState;
  hours: number;
}

/** An office day: 8 hours active, 4 idle (meetings, breaks, the machine left on), 12 locked. */
export const OFFICE_DAY: readonly Stretch[] = [
  { state: 'locked', hours: 8 }, // 00:00 night
  { state: 'active', hours: 2 }, // 08:00
  { state: 'idle', hours: 0.5 }, // 10:00 coffee
  { state: 'active', hours: 2 }, // 10:30
  { state: 'locked', hours: 1 }, // 12:30 lunch
  { state: 'active', hours: 2 }, // 13:30
  { state: 'idle', hours: 1.5 }, // 15:30 meeting
  { state: 'active', hours: 2 }, // 17:00
  { state: 'idle', hours: 2 }, // 19:00 the machine left on
  { state: 'locked', hours: 3 }, // 21:00
];

/** The popup opened twice an hour of activity, a book read each time. */
export const POPUP_OPENS_PER_ACTIVE_HOUR = 2;
/** Messages other users post in the user's books during the working hours (08:00 to 19:00). */
export const POSTS_PER_DAY = 30;

export interface DayFigures {
  hours: Record<IdleState, number>;
  /** Requests to the server in the day, by call (`getAllBooks`, `createSesskey`...). */
  requests: Record<string, number>;
  totalRequests: number;
  /** Polls in the day, by cause. */
  polls: Record<string, number>;
  /** Socket frames in the day (sent and received); 0 without the socket. */
  frames: number;
  /** The longest wait from a post to the poll that shows it while active / idle, in minutes (without the socket). */
  worstDelayMinutes: Record<'active' | 'idle', number>;
}

type Worker = typeof import('../src/background/schedule') & typeof import('../src/background/sync') & typeof import('../src/background/session');

let loaded: { fake: FakeBrowser; worker: Worker } | null = null;

/**
 * The worker's modules with the fake browser behind the seam: webextension-polyfill hands back an
 * existing plain `browser` object as it is. Loaded once; each day gets a fresh fake.
 */
async function workerModules(): Promise<{ fake: FakeBrowser; worker: Worker }> {
  if (loaded) return loaded;
  const fake = createFakeBrowser();
  const target = fake as unknown as Record<string, unknown>;
  const global = globalThis as Record<string, unknown>;
  global.chrome = { runtime: { id: 'bench' } };
  global.browser = new Proxy({}, { get: (_, key) => Reflect.get(loaded?.fake ?? target, key) });
  Object.setPrototypeOf(global.browser, Object.prototype);
  // Node 20 has no Web Locks: one thing at a time is what the simulation does anyway.
  if (!('navigator' in globalThis)) global.navigator = {};
  (global.navigator as Record<string, unknown>).locks = { request: (_name: string, task: () => Promise<unknown>) => task() };
  // As in Chrome: a live socket keeps this worker running, so polls are a safety net.
  global.ServiceWorkerGlobalScope = class {};
  const worker = {
    ...(await import('../src/background/schedule')),
    ...(await import('../src/background/sync')),
    ...(await import('../src/background/session')),
  } as Worker;
  loaded = { fake, worker };
  return loaded;
}

/** What the browser reports each minute: 'idle' five minutes after the person leaves, as the idle API does. */
function reportedStates(day: readonly Stretch[]): IdleState[] {
  const planned = day.flatMap(({ state, hours }) => Array<IdleState>(hours * 60).fill(state));
  const detection = IDLE_DETECTION_SECONDS / 60;
  let lastInput = -Infinity;
  return planned.map((state, minute) => {
    if (state === 'active') lastInput = minute;
    if (state !== 'idle') return state;
    return minute - lastInput <= detection ? 'active' : 'idle';
  });
}

export async function simulateDay(server: LocalServer, day: readonly Stretch[], chosenMinutes: number, live: boolean): Promise<DayFigures> {
  const modules = await workerModules();
  const fake = createFakeBrowser();
  modules.fake = fake;
  const { worker } = modules;
  const realNow = Date.now;
  const dayStart = Date.UTC(2026, 0, 5); // a Monday
  let now = dayStart - 12 * 3600_000;
  Date.now = () => now;
  const hours = { active: 0, idle: 0, locked: 0 };
  for (const { state, hours: length } of day) hours[state] += length;
  const polls: Record<string, number> = {};
  let frames = 0;
  const pollFor = async (cause: string, run: () => Promise<void>) => {
    const before = server.control.log().filter((entry) => entry.req === 'getAllBooks').length;
    await run();
    const after = server.control.log().filter((entry) => entry.req === 'getAllBooks').length;
    if (after > before) polls[cause] = (polls[cause] ?? 0) + (after - before);
  };
  const pollTimes: number[] = [];

  try {
    server.control.reset();
    await fake.storage.sync.set({ server: server.url, pollMinutes: chosenMinutes });
    // Signed in the evening before: the session key (24 h on the local server) runs out during the day.
    await worker.signIn('demo', 'demo');
    await worker.poll({ kind: 'signIn' });
    const states = reportedStates(day);
    fake.idleNow.state = states[states.length - 1]!;
    now = dayStart;
    server.control.clearLog();
    await worker.startPollRhythm();
    const setLive = async (on: boolean) => {
      await fake.storage.session.set({ liveStatus: { state: on ? 'live' : 'down', address: null, failures: 0, retryAt: null, ignoredFrames: 0 } });
      await worker.followPollRhythm();
    };
    const attach = async () => {
      frames += 3; // attach, ping, pong
      await setLive(true);
      await pollFor('attach', () => worker.poll({ kind: 'live' }));
    };
    if (live && states[states.length - 1] !== 'locked') await attach();

    const workMinutes = { from: 8 * 60, to: 19 * 60 };
    const postEvery = (workMinutes.to - workMinutes.from) / POSTS_PER_DAY;
    const activeMinutes = states.filter((state) => state === 'active').length;
    const popupEvery = Math.round(60 / POPUP_OPENS_PER_ACTIVE_HOUR);
    let activeSoFar = 0;
    let previous = states[states.length - 1]!;
    let nextPing = 0;
    for (let minute = 0; minute < states.length; minute++) {
      now = dayStart + minute * 60_000;
      const state = states[minute]!;
      if (state !== previous) {
        fake.idleNow.state = state;
        if (live && state === 'locked') {
          frames += 1; // the close
          await setLive(false);
        }
        await pollFor('return', () => worker.onIdleStateChanged(state));
        if (live && previous === 'locked') await attach();
        previous = state;
      }
      // Pings while the socket is open: one sent, one answered.
      if (live && state !== 'locked') {
        for (; nextPing < now + 60_000; nextPing += PING_INTERVAL_MS) if (nextPing >= now) frames += 2;
      } else nextPing = now + 60_000;
      for (const alarm of [...fake.alarmsSet.values()]) {
        if (alarm.scheduledTime > now) continue;
        if (alarm.periodInMinutes) alarm.scheduledTime += alarm.periodInMinutes * 60_000;
        else fake.alarmsSet.delete(alarm.name);
        await pollFor('alarm', () => worker.onAlarm(alarm));
      }
      if (minute >= workMinutes.from && minute < workMinutes.to && Math.floor((minute - workMinutes.from) % postEvery) === 0 && (minute - workMinutes.from) / postEvery < POSTS_PER_DAY) {
        server.control.postAs('bob', 'alice', 'support-inbox', `Message at minute ${minute}`);
        if (live && state !== 'locked') {
          frames += 1; // the push
          await pollFor('push', () => worker.poll({ kind: 'live' }));
        }
      }
      if (state === 'active') {
        activeSoFar++;
        if (activeSoFar % popupEvery === 0 && activeSoFar <= activeMinutes) {
          await pollFor('popup', () => worker.onPopupOpened());
          if (live) frames += 4; // logOpenBook and clearNotRead, and their acknowledgements
        }
      }
      const count = server.control.log().filter((entry) => entry.req === 'getAllBooks').length;
      while (pollTimes.length < count) pollTimes.push(minute);
    }
    const requests: Record<string, number> = {};
    for (const entry of server.control.log()) requests[entry.req] = (requests[entry.req] ?? 0) + 1;

    // Without the socket, a post just after one poll waits for the next: the longest gap between
    // two polls with the machine in one state all along.
    const worstDelayMinutes = { active: 0, idle: 0 };
    for (let i = 1; i < pollTimes.length; i++) {
      const [from, to] = [pollTimes[i - 1]!, pollTimes[i]!];
      const state = states[to]!;
      if (state === 'locked' || states.slice(from, to + 1).some((other) => other !== state)) continue;
      worstDelayMinutes[state] = Math.max(worstDelayMinutes[state], to - from);
    }
    return {
      hours,
      requests,
      totalRequests: Object.values(requests).reduce((sum, n) => sum + n, 0),
      polls,
      frames,
      worstDelayMinutes,
    };
  } finally {
    Date.now = realNow;
  }
}
