/**
 * The worker's poll and session handlers in Node, with the browser seam faked and the API real
 * (the local server over HTTP): what each poll costs in requests and storage writes, what it
 * decides on errors, how the poll alarm follows the idle state, and quiet hours.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { createFakeBrowser } from '../support/fake-browser';
import { sortBooks, type BookCache, type FirstScreen } from '../../src/domain/books';
import { firstScreenOf } from '../../src/domain/first-screen';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { poll } = await import('../../src/background/sync');
const { coverNamedBooks } = await import('../../src/background/book-store');
const { signIn } = await import('../../src/background/session');
const { refreshBadge } = await import('../../src/background/badge');
const { openNotification } = await import('../../src/background/notify');
const { POLL_ALARM, onAlarm, onIdleStateChanged, followPollRhythm, startPollRhythm } = await import('../../src/background/schedule');
const { QUIET_END_ALARM, onQuietEndAlarm, settleQuietHours } = await import('../../src/background/quiet-hours');

// Node 20 has no Web Locks; one poll at a time is what the tests do anyway.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

let server: LocalServer;
const alarm = { kind: 'alarm', lateByMs: 0 } as const;
const requests = () => server.control.log().map((entry) => entry.req);
const local = (key: string) => fake.browser.storage.local.data.get(key);

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(() => server.close());

beforeEach(async () => {
  server.control.reset();
  fake.browser = createFakeBrowser();
  await fake.browser.storage.sync.set({ server: server.url });
  expect(await signIn('demo', 'demo')).toEqual({ ok: true });
  await poll({ kind: 'signIn' });
  server.control.clearLog();
  fake.browser.writes.length = 0;
});

describe('a poll', () => {
  it('that brings nothing costs one request and no storage write', async () => {
    await poll(alarm);
    expect(requests()).toEqual(['getAllBooks']);
    expect(fake.browser.writes).toEqual([]);
  });

  it('that brings nothing reads the stamp of the book list, not the list', async () => {
    const read: string[] = [];
    const get = fake.browser.storage.local.get;
    fake.browser.storage.local.get = (keys) => {
      read.push(...(keys === null ? ['(all)'] : [keys].flat()));
      return get(keys);
    };
    await poll(alarm);
    expect(read).toContain('bookStamp');
    expect(read).not.toContain('bookCache');
    expect(fake.browser.writes).toEqual([]);
  });

  it('stores the stamp and the first screenful once beside a list stored without them', async () => {
    await fake.browser.storage.local.remove(['bookStamp', 'firstScreen']);
    fake.browser.writes.length = 0;
    await poll(alarm);
    expect(fake.browser.writes).toEqual(['local']);
    const stored = JSON.parse(local('bookCache') as string) as BookCache;
    expect(local('bookStamp')).toBe(stored.sstamp);
    expect(local('firstScreen')).toEqual(firstScreenOf(stored, [null]));
    await poll(alarm);
    expect(fake.browser.writes).toEqual(['local']);
  });

  it('makes the first screenful again when the quick-send box names a book it lacks', async () => {
    const screen = () => local('firstScreen') as FirstScreen;
    const stored = JSON.parse(local('bookCache') as string) as BookCache;
    // A book the list does not show first (a pending invitation, or an archived one).
    const lacking = Object.keys(stored.books).find((key) => !(key in screen().books))!;
    expect(lacking).toBeDefined();
    await coverNamedBooks();
    expect(fake.browser.writes).toEqual([]);
    await fake.browser.storage.local.set({ quickSendDraft: { book: lacking, text: '' } });
    await coverNamedBooks();
    expect(screen().books[lacking]).toEqual(stored.books[lacking]);
    expect(screen()).toEqual(firstScreenOf(stored, [lacking]));
  });

  it('writes the stamp and the first screenful with the list, in one write', async () => {
    server.control.postAs('alice', 'demo', 'marketing-2027', 'Moves up the list');
    await poll(alarm);
    expect(fake.browser.writes).toEqual(['local']);
    const stored = JSON.parse(local('bookCache') as string) as BookCache;
    expect(local('bookStamp')).toBe(stored.sstamp);
    expect(local('firstScreen')).toEqual(firstScreenOf(stored, [null]));
    expect(Object.keys((local('firstScreen') as FirstScreen).books)[0]).toBe('demo/marketing-2027');
  });

  it('with a new message writes the book list once and notifies once', async () => {
    server.control.postAs('bob', 'alice', 'support-inbox', 'Ticket reopened');
    await poll(alarm);
    expect(requests()).toEqual(['getAllBooks']);
    expect(fake.browser.writes).toEqual(['local']);
    expect([...fake.browser.shown.keys()]).toEqual(['book:alice/support-inbox']);
    expect(fake.browser.shown.get('book:alice/support-inbox')?.message).toBe('Bob Okafor: Ticket reopened');
  });

  it('stores the books in the order the popup shows them', async () => {
    server.control.postAs('alice', 'demo', 'marketing-2027', 'Moves up the list');
    await poll(alarm);
    const stored = JSON.parse(local('bookCache') as string) as BookCache;
    expect(Object.values(stored.books)).toEqual(sortBooks(Object.values(stored.books)));
    expect(Object.keys(stored.books).slice(0, 1)).toEqual(['demo/marketing-2027']);
  });

  it('after sign-in raises no notification for what was already unread', async () => {
    expect(fake.browser.shown.size).toBe(0);
    expect(Object.keys(JSON.parse(local('bookCache') as string).books).length).toBeGreaterThan(10);
  });

  it('renews an expired session key once and carries on', async () => {
    const before = (local('auth') as { sesskey: string }).sesskey;
    server.control.expireSessions('demo');
    await poll(alarm);
    expect(requests()).toEqual(['getAllBooks', 'createSesskey', 'getAllBooks']);
    expect((local('auth') as { sesskey: string }).sesskey).not.toBe(before);
    expect(local('syncStatus')).toEqual({ state: 'ok' });
  });

  it('renews, rather than signs out, when a data call speaks of credentials', async () => {
    server.control.injectFaults({ kind: 'nok', req: 'getAllBooks', errorCode: 'apiProcess164', errorMsg: 'invalid oauthkey or o_u' });
    await poll(alarm);
    expect(requests()).toEqual(['getAllBooks', 'createSesskey', 'getAllBooks']);
    expect(local('auth')).toBeDefined();
    expect(local('syncStatus')).toEqual({ state: 'ok' });
  });

  it('signs out with "sign in again" only when the oauthkey is refused', async () => {
    server.control.expireSessions('demo');
    server.control.revokeOauthkeys('demo');
    await poll(alarm);
    expect(local('auth')).toBeUndefined();
    expect(local('syncStatus')).toEqual({ state: 'signInAgain' });
    await refreshBadge();
    expect(fake.browser.badge).toMatchObject({ text: '!', title: 'TimeTonic: sign in again' });
  });

  it('never signs out on a network error or a 5xx, and keeps the count', async () => {
    const count = server.control.unreadTotal('demo');
    server.control.injectFaults({ kind: 'drop', req: 'getAllBooks' });
    await poll(alarm);
    expect(local('syncStatus')).toMatchObject({ state: 'offline' });
    server.control.injectFaults({ kind: 'http503', req: 'getAllBooks' });
    await poll(alarm);
    expect(local('syncStatus')).toMatchObject({ state: 'serverError' });
    expect(local('auth')).toBeDefined();
    await refreshBadge();
    expect(fake.browser.badge.text).toBe(String(count));
    // Only the status changed: the book list was not rewritten.
    expect(fake.browser.writes).toEqual(['local', 'local']);
  });

  it('on a bad reply keeps the last good list, and the next good poll restores the state', async () => {
    server.control.injectFaults({ kind: 'malformed', req: 'getAllBooks' });
    await poll(alarm);
    expect(local('syncStatus')).toMatchObject({ state: 'badReply' });
    await poll(alarm);
    expect(local('syncStatus')).toEqual({ state: 'ok' });
    await refreshBadge();
    expect(fake.browser.badge.text).toBe(String(server.control.unreadTotal('demo')));
  });
});

describe('notifications the system refuses', () => {
  it('do not fail the poll that found the news', async () => {
    fake.browser.notifications.create = async () => {
      throw new Error('notifications are turned off');
    };
    server.control.injectFaults({ kind: 'drop', req: 'getAllBooks' });
    await poll(alarm);
    expect(local('syncStatus')).toMatchObject({ state: 'offline' });
    server.control.postAs('bob', 'alice', 'support-inbox', 'Ticket reopened');
    await poll(alarm);
    expect(local('syncStatus')).toEqual({ state: 'ok' });
  });
});

describe('a notification click', () => {
  it('opens the book in TimeTonic on the configured server and clears the notification', async () => {
    server.control.postAs('bob', 'alice', 'support-inbox', 'Ticket reopened');
    await poll(alarm);
    await openNotification('book:alice/support-inbox');
    expect(fake.browser.openedTabs).toEqual([`${server.url}/live/#book/alice/support-inbox`]);
    expect(fake.browser.shown.size).toBe(0);
  });
});

describe('the poll alarm', () => {
  const pollAlarm = () => fake.browser.alarmsSet.get(POLL_ALARM);

  it('is set at worker start for the state the machine is in, with a five-minute idle threshold', async () => {
    await startPollRhythm();
    expect(fake.browser.idleNow.detectionIntervalSeconds).toBe(300);
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 1 });
    // One already at the right period runs on: a worker start does not push the next poll back.
    const scheduled = pollAlarm()!.scheduledTime;
    fake.browser.idleNow.state = 'active';
    await startPollRhythm();
    expect(pollAlarm()!.scheduledTime).toBe(scheduled);
    expect(requests()).toEqual([]);
  });

  it('is re-created at worker start when the browser lost it', async () => {
    fake.browser.idleNow.state = 'idle';
    await startPollRhythm();
    fake.browser.alarmsSet.clear();
    await startPollRhythm();
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 10 });
  });

  it('is cleared while the screen is locked, and none is set at a start while locked', async () => {
    await startPollRhythm();
    fake.browser.idleNow.state = 'locked';
    await onIdleStateChanged('locked');
    expect(pollAlarm()).toBeUndefined();
    await startPollRhythm();
    await followPollRhythm();
    expect(pollAlarm()).toBeUndefined();
    expect(requests()).toEqual([]);
  });

  it('fires every ten minutes while the machine is idle, without polling on the change', async () => {
    await startPollRhythm();
    fake.browser.idleNow.state = 'idle';
    await onIdleStateChanged('idle');
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 10 });
    expect(requests()).toEqual([]);
  });

  it('fires at the chosen interval while active, and a poll goes at once when the user comes back', async () => {
    await fake.browser.storage.sync.set({ pollMinutes: 5 });
    fake.browser.idleNow.state = 'locked';
    await onIdleStateChanged('locked');
    server.control.postAs('bob', 'alice', 'support-inbox', 'Posted while the screen was locked');
    fake.browser.idleNow.state = 'active';
    const before = Date.now();
    await onIdleStateChanged('active');
    expect(requests()).toEqual(['getAllBooks']);
    expect([...fake.browser.shown.keys()]).toEqual(['book:alice/support-inbox']);
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 5 });
    expect(pollAlarm()!.scheduledTime).toBeGreaterThanOrEqual(before + 5 * 60_000);
  });

  it('follows a new interval while active, and keeps ten minutes while idle', async () => {
    await startPollRhythm();
    await fake.browser.storage.sync.set({ pollMinutes: 2 });
    await followPollRhythm();
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 2 });
    fake.browser.idleNow.state = 'idle';
    await onIdleStateChanged('idle');
    await fake.browser.storage.sync.set({ pollMinutes: 5 });
    await followPollRhythm();
    expect(pollAlarm()).toMatchObject({ periodInMinutes: 10 });
  });

  it('polls when it fires', async () => {
    await startPollRhythm();
    await onAlarm({ name: POLL_ALARM, scheduledTime: Date.now() });
    expect(requests()).toEqual(['getAllBooks']);
  });
});

describe('quiet hours', () => {
  // 8 p.m. to 8 a.m., every day. Only the clock is faked: the server's timers stay real.
  const nightly = { enabled: true, start: 20 * 60, end: 8 * 60, days: [0, 1, 2, 3, 4, 5, 6] };
  const monday = (hours: number) => new Date(2025, 0, 6, hours);
  const tuesdayMorning = new Date(2025, 0, 7, 8);

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(monday(21));
    await fake.browser.storage.sync.set({ quietHours: nightly });
  });
  afterEach(() => vi.useRealTimers());

  async function quietEvening() {
    server.control.postAs('bob', 'alice', 'support-inbox', 'Ticket reopened');
    await poll(alarm);
    vi.setSystemTime(monday(23));
    server.control.postAs('bob', 'alice', 'support-inbox', 'Customer called again');
    server.control.postAs('alice', 'bob', 'team-offsite', 'Flights booked');
    await poll(alarm);
  }

  it('raise no notification for new messages, while the badge counts them', async () => {
    const before = server.control.unreadTotal('demo');
    await quietEvening();
    expect(fake.browser.shown.size).toBe(0);
    await refreshBadge();
    expect(fake.browser.badge.text).toBe(String(before + 3));
    expect(fake.browser.alarmsSet.get(QUIET_END_ALARM)?.scheduledTime).toBe(tuesdayMorning.getTime());
  });

  it('end with one summary of what arrived, and nothing held after it', async () => {
    await quietEvening();
    // Still quiet: the alarm (at a worker start, say) raises nothing yet.
    await settleQuietHours();
    expect(fake.browser.shown.size).toBe(0);

    vi.setSystemTime(tuesdayMorning);
    await onQuietEndAlarm({ name: QUIET_END_ALARM, scheduledTime: tuesdayMorning.getTime() });
    expect([...fake.browser.shown.entries()]).toEqual([
      ['quiet-summary', { title: '3 new messages in 2 books while quiet', message: 'Support inbox (2), Team offsite – Lisbon (1)' }],
    ]);
    expect(local('quietNews')).toBeUndefined();
    expect(fake.browser.alarmsSet.has(QUIET_END_ALARM)).toBe(false);

    // After quiet hours, news is told as it comes again.
    server.control.postAs('bob', 'alice', 'hiring-frontend', 'Two more candidates');
    await poll(alarm);
    expect(fake.browser.shown.has('book:alice/hiring-frontend')).toBe(true);
  });

  it('end with no notification when nothing arrived', async () => {
    await poll(alarm);
    vi.setSystemTime(tuesdayMorning);
    await onQuietEndAlarm({ name: QUIET_END_ALARM, scheduledTime: tuesdayMorning.getTime() });
    expect(fake.browser.shown.size).toBe(0);
  });

  it('turned off end at once, with the summary', async () => {
    await quietEvening();
    await fake.browser.storage.sync.set({ quietHours: { ...nightly, enabled: false } });
    await settleQuietHours();
    expect([...fake.browser.shown.keys()]).toEqual(['quiet-summary']);
  });

  it('forget what was held when the user signs out', async () => {
    await quietEvening();
    expect(local('quietNews')).toHaveLength(2);
    const { signOut } = await import('../../src/background/session');
    await signOut();
    vi.setSystemTime(tuesdayMorning);
    await onQuietEndAlarm({ name: QUIET_END_ALARM, scheduledTime: tuesdayMorning.getTime() });
    expect(fake.browser.shown.size).toBe(0);
  });
});
