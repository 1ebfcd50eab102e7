/**
 * The worker's poll and session handlers in Node, with the browser seam faked and the API real
 * (the local server over HTTP): what each poll costs in requests and storage writes, and what it
 * decides on errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { createFakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { poll } = await import('../../src/background/sync');
const { signIn } = await import('../../src/background/session');
const { refreshBadge } = await import('../../src/background/badge');
const { openNotification } = await import('../../src/background/notify');

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

  it('with a new message writes the book list once and notifies once', async () => {
    server.control.postAs('bob', 'alice', 'support-inbox', 'Ticket reopened');
    await poll(alarm);
    expect(requests()).toEqual(['getAllBooks']);
    expect(fake.browser.writes).toEqual(['local']);
    expect([...fake.browser.shown.keys()]).toEqual(['book:alice/support-inbox']);
    expect(fake.browser.shown.get('book:alice/support-inbox')?.message).toBe('Bob Okafor: Ticket reopened');
  });

  it('after sign-in raises no notification for what was already unread', async () => {
    expect(fake.browser.shown.size).toBe(0);
    expect(Object.keys((local('bookCache') as { books: object }).books).length).toBeGreaterThan(10);
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
