/**
 * The worker's socket connection in Node, with the browser seam faked, the `ws` client standing in
 * for the browser's WebSocket and the local server real: a locked screen closes it, coming back
 * opens it, a renewed session key is attached again, signing out closes it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startServer, type LocalServer } from '../../server';
import { createFakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));
// Node 20 has no Web Locks and no WebSocket: a lock that runs at once, and the ws client.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() }, onLine: true });
vi.stubGlobal('WebSocket', WebSocket);

const { signIn, signOut, renewRefusedSession } = await import('../../src/background/session');
const { startLive, onIdleForLive, onSessionRenewed, closeLive, LIVE_WATCHDOG_ALARM } = await import('../../src/background/live');
const { authItem, liveStatusItem } = await import('../../src/shared/state');

let server: LocalServer;
const attached = () => server.control.socket.attached().filter((u_c) => u_c === 'demo').length;
const state = async () => (await liveStatusItem.get()).state;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(async () => {
  await closeLive();
  await server.close();
});

beforeEach(async () => {
  fake.browser = createFakeBrowser();
  await fake.browser.storage.sync.set({ server: server.url });
  expect(await signIn('demo', 'demo')).toEqual({ ok: true });
  // What the worker does at its start, and on a sign-in.
  await startLive();
});
afterEach(() => closeLive());

describe('the worker’s socket', () => {
  it('closes while the screen is locked, stays open while idle, and opens again on unlock', async () => {
    await expect.poll(state).toBe('live');
    expect(attached()).toBe(1);
    expect(fake.browser.alarmsSet.has(LIVE_WATCHDOG_ALARM)).toBe(true);

    fake.browser.idleNow.state = 'idle';
    await onIdleForLive('idle');
    expect(await state()).toBe('live');

    fake.browser.idleNow.state = 'locked';
    await onIdleForLive('locked');
    await expect.poll(attached).toBe(0);
    expect(await state()).toBe('down');
    expect(fake.browser.alarmsSet.has(LIVE_WATCHDOG_ALARM)).toBe(false);

    fake.browser.idleNow.state = 'active';
    await onIdleForLive('active');
    await expect.poll(state).toBe('live');
    expect(attached()).toBe(1);
  });

  it('attaches again with a renewed session key', async () => {
    await expect.poll(state).toBe('live');
    server.control.socket.clearLog();
    const renewed = await renewRefusedSession((await authItem.get())!);
    onSessionRenewed(renewed);
    await expect.poll(() => server.control.socket.log().filter((entry) => entry.direction === 'in' && entry.type === 4).length).toBe(1);
    // The old key is gone: the socket goes on with the new one.
    server.control.socket.clearLog();
    server.control.postAs('bob', 'alice', 'support-inbox', 'Still there?');
    await expect.poll(() => server.control.socket.log().some((entry) => entry.type === 8 && entry.u_c === 'demo')).toBe(true);
    expect(attached()).toBe(1);
  });

  it('closes cleanly on sign-out', async () => {
    await expect.poll(state).toBe('live');
    await signOut();
    await closeLive();
    await expect.poll(attached).toBe(0);
    expect(await state()).toBe('off');
  });
});
