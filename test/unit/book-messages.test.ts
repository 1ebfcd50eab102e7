/**
 * The worker's side of the book view in Node, the browser seam faked and the API real (the local
 * server over HTTP): what a fetch asks, what it keeps in the message cache, how it fails, and how
 * the pages' requests are answered.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import type { MessageCache } from '../../src/domain/messages';
import { createFakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { loadOlderMessages, refreshBookMessages } = await import('../../src/background/book-messages');
const { signIn, signOut } = await import('../../src/background/session');
const { onMessage } = await import('../../src/background/requests');

// Node 20 has no Web Locks; these tests make one call at a time.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

const BOOK = { b_o: 'alice', b_c: 'support-inbox' };
let server: LocalServer;
const messageCache = () => fake.browser.storage.local.data.get('messageCache') as MessageCache | undefined;
const kept = () => messageCache()?.books['alice/support-inbox'];
const fetches = () => server.control.log().filter((entry) => entry.req === 'getBookMessages');

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(() => server.close());

beforeEach(async () => {
  server.control.reset();
  fake.browser = createFakeBrowser();
  await fake.browser.storage.sync.set({ server: server.url });
  expect(await signIn('demo', 'demo')).toEqual({ ok: true });
  server.control.clearLog();
});

describe('fetching a book’s messages', () => {
  it('keeps the newest page, then asks only for what changed since', async () => {
    for (let i = 1; i <= 25; i++) server.control.postAs('bob', BOOK.b_o, BOOK.b_c, `Update ${i}`);
    expect(await refreshBookMessages(BOOK)).toEqual({ ok: true });
    expect(fetches()[0]!.params).toMatchObject({ nbMax: '20' });
    expect(fetches()[0]!.params.sstamp).toBeUndefined();
    expect(kept()!.messages).toHaveLength(20);
    expect(kept()!.messages[0]).toMatchObject({ u_c: 'bob', text: 'Update 25' });
    expect(kept()!.hasOlder).toBe(true);
    expect(messageCache()!.account).toEqual({ server: server.url, o_u: 'demo' });

    const stamp = kept()!.sstamp;
    const [deleted] = server.control.messages(BOOK.b_o, BOOK.b_c).filter((m) => m.msg === 'Update 24');
    server.control.state.deleteMessage('bob', BOOK.b_o, BOOK.b_c, deleted!.smid);
    server.control.postAs('alice', BOOK.b_o, BOOK.b_c, 'Newest');
    await refreshBookMessages(BOOK);
    expect(fetches()[1]!.params.sstamp).toBe(String(stamp));
    expect(kept()!.messages.slice(0, 3).map((m) => m.text)).toEqual(['Newest', 'Update 25', 'Update 23']);
  });

  it('pages further back until the book starts', async () => {
    for (let i = 1; i <= 25; i++) server.control.postAs('bob', BOOK.b_o, BOOK.b_c, `Update ${i}`);
    await refreshBookMessages(BOOK);
    const oldest = kept()!.messages.at(-1)!.smid;
    expect(await loadOlderMessages(BOOK)).toEqual({ ok: true });
    expect(fetches().at(-1)!.params).toMatchObject({ smidLast: String(oldest), nbMax: '20' });
    // 25 posted and 5 seeded: 30 in all.
    expect(kept()!.messages).toHaveLength(30);
    expect(kept()!.messages.at(-1)!.text).toBe("Ticket #4821: a customer can't reset their password from the mobile app.");
    expect(kept()!.hasOlder).toBe(false);
    const requests = fetches().length;
    await loadOlderMessages(BOOK);
    expect(fetches()).toHaveLength(requests);
  });

  it('keeps the files of a message by their internal names', async () => {
    await refreshBookMessages({ b_o: 'demo', b_c: 'house-renovation' });
    const paint = messageCache()!.books['demo/house-renovation']!.messages.find((m) => m.text === 'Paint sample for the kitchen');
    expect(paint!.files).toEqual([{ kind: 'image', internName: 'pNtSmPl16a.png', name: 'paint-sample.png' }]);
  });

  it('says in words what went wrong, and keeps what it had', async () => {
    await refreshBookMessages(BOOK);
    const before = kept();
    server.control.injectFaults({ kind: 'drop', req: 'getBookMessages' });
    expect(await refreshBookMessages(BOOK)).toEqual({ ok: false, error: 'TimeTonic could not be reached' });
    expect(kept()).toEqual(before);
    expect(await refreshBookMessages({ b_o: 'alice', b_c: 'no-such-book' })).toEqual({ ok: false, error: 'This book no longer exists' });
  });

  it('renews an expired session and carries on', async () => {
    server.control.expireSessions('demo');
    expect(await refreshBookMessages(BOOK)).toEqual({ ok: true });
    expect(server.control.log().map((entry) => entry.req)).toEqual(['getBookMessages', 'createSesskey', 'getBookMessages']);
  });

  it('asks nothing when signed out, and signing out forgets the messages', async () => {
    await refreshBookMessages(BOOK);
    expect(kept()).toBeDefined();
    await signOut();
    expect(messageCache()).toBeUndefined();
    server.control.clearLog();
    expect(await refreshBookMessages(BOOK)).toEqual({ ok: false, error: 'Sign in to read this book' });
    expect(server.control.log()).toEqual([]);
    expect(fake.browser.storage.local.data.get('account')).toBeUndefined();
  });

  it('drops an answer that comes back after its user signed out and another signed in', async () => {
    server.control.injectFaults({ kind: 'delay', req: 'getBookMessages', delayMs: 300 });
    const fetching = refreshBookMessages(BOOK);
    await expect.poll(() => server.control.log().some((entry) => entry.outcome === 'delay')).toBe(true);
    await signOut();
    expect(await signIn('alice', 'alice-pw')).toEqual({ ok: true });
    expect(await fetching).toEqual({ ok: false, error: 'Sign in to read this book' });
    expect(messageCache()).toBeUndefined();
    await refreshBookMessages(BOOK);
    expect(messageCache()!.account).toEqual({ server: server.url, o_u: 'alice' });
  });
});

describe('answering the pages', () => {
  const ours = { id: 'fake-extension', url: 'chrome-extension://fake-extension/src/popup/index.html' };

  it('answers a request of our own pages through sendResponse', async () => {
    const answered = new Promise((resolve) => expect(onMessage({ type: 'bookMessages', book: BOOK }, ours, resolve)).toBe(true));
    expect(await answered).toEqual({ ok: true });
    expect(kept()).toBeDefined();
  });

  it('answers a handler that throws with a failure the page turns into an error', async () => {
    fake.browser.storage.local.get = async () => {
      throw new Error('storage is gone');
    };
    const answered = new Promise((resolve) => onMessage({ type: 'bookMessages', book: BOOK }, ours, resolve));
    expect(await answered).toEqual({ workerFailure: 'Error: storage is gone' });
  });

  it('leaves other senders and unknown requests unanswered', () => {
    const answer = vi.fn();
    expect(onMessage({ type: 'bookMessages', book: BOOK }, { id: 'another', url: 'https://example.com/' }, answer)).toBeUndefined();
    expect(onMessage({ type: 'format disk' }, ours, answer)).toBeUndefined();
    expect(answer).not.toHaveBeenCalled();
  });
});
