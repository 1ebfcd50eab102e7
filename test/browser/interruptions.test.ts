/**
 * The worker stopped mid-work, and storage out of room, in Chromium against the local server:
 * afterwards the state is intact and the work is done once. (A worker stopped between sendMsg and
 * its answer: send.test.ts; during and before fileUpload: menu.test.ts.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../server';
import type { BookCache } from '../../src/domain/books';
import type { MessageCache } from '../../src/domain/messages';
import type { OutboxItem } from '../../src/domain/outbox';
import type { LoadedExtension } from '../../harness/extension';
import { closeSignedInPopup, openSignedInPopup, type SignedInPopup } from '../support/signed-in-popup';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
/** Long enough to be stopped first; shorter than the client's time-out. */
const HELD_MS = 3_000;

let setting: SignedInPopup;
let server: LocalServer;
let extension: LoadedExtension;
let popup: Page;

beforeAll(async () => {
  setting = await openSignedInPopup();
  ({ server, extension, popup } = setting);
});
afterAll(() => closeSignedInPopup(setting ?? {}));
beforeEach(() => {
  server.control.clearFaults();
  server.control.clearLog();
});

const local = <T>(key: string) => extension.inExtension(async (name) => (await chrome.storage.local.get(name))[name], key) as Promise<T>;
const bookCache = async () => JSON.parse(await local<string>('bookCache')) as BookCache;
const held = (req: string) => expect.poll(() => server.control.log().some((entry) => entry.req === req && entry.outcome === 'delay')).toBe(true);

describe('the worker stopped', () => {
  it('during a poll: the next poll counts the new message once, and nothing is lost', async () => {
    // The first sync is over: the badge counts what it found.
    await expect.poll(() => extension.badgeText()).toMatch(/^\d+$/);
    const before = Number(await extension.badgeText());
    const auth = await local<{ sesskey: string }>('auth');
    server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'Posted while the worker stopped');
    server.control.injectFaults({ kind: 'delay', req: 'getAllBooks', delayMs: HELD_MS });
    await extension.firePollAlarm();
    await held('getAllBooks');
    await extension.stopWorker();
    // The cache is as the stopped poll found it: that poll wrote nothing.
    expect((await bookCache()).books['alice/support-inbox']!.lastMsg?.text).not.toBe('Posted while the worker stopped');
    await extension.firePollAlarm();
    await expect.poll(async () => (await bookCache()).books['alice/support-inbox']!.lastMsg?.text).toBe('Posted while the worker stopped');
    await expect.poll(() => extension.badgeText()).toBe(String(before + 1));
    expect(await local('auth')).toEqual(auth);
    expect(await local('syncStatus')).toEqual({ state: 'ok' });
    const notifications = await extension.inExtension(() => chrome.notifications.getAll());
    expect(Object.keys(notifications)).toEqual(['book:alice/support-inbox']);
  });

  it('while the popup loads a book: Try again loads it, each message once', async () => {
    await popup.reload();
    server.control.injectFaults({ kind: 'delay', req: 'getBookMessages', delayMs: HELD_MS });
    await popup.getByRole('button', { name: /^Support inbox/ }).click();
    await held('getBookMessages');
    await extension.stopWorker();
    await expect.poll(() => popup.getByRole('alert').filter({ hasText: 'Could not load the messages' }).count()).toBe(1);
    await popup.getByRole('button', { name: 'Try again' }).click();
    const expected = server.control.messages(SUPPORT.b_o, SUPPORT.b_c).map((message) => message.msg).reverse();
    await expect.poll(() => popup.locator('.message .message-text').allTextContents()).toEqual(expected);
    const cached = await local<MessageCache>('messageCache');
    const smids = cached.books['alice/support-inbox']!.messages.map((message) => message.smid);
    expect(new Set(smids).size).toBe(smids.length);
    expect(smids).toHaveLength(expected.length);
    await popup.getByRole('button', { name: 'Back to books' }).click();
  });
});

describe('storage.local out of room', () => {
  it('refuses a send with a clear error, loses nothing, and sends once there is room', async () => {
    await popup.reload();
    const text = `Does not fit: ${'a long report line. '.repeat(150)}`;
    // The choice lists every book once gone to.
    await popup.getByLabel('Book', { exact: true }).focus();
    await popup.getByLabel('Book', { exact: true }).selectOption({ label: SUPPORT.title });
    await popup.getByLabel('Message').fill(text);
    const [outbox, books, auth] = await Promise.all([local<OutboxItem[]>('outbox'), bookCache(), local('auth')]);
    // Room left for less than this send, as a page of the extension would use it up.
    await extension.inExtension(async (room) => {
      const used = await chrome.storage.local.getBytesInUse(null);
      // QUOTA_BYTES: 10 MB in Chrome, which the types leave out.
      const quota = (chrome.storage.local as unknown as { QUOTA_BYTES: number }).QUOTA_BYTES;
      await chrome.storage.local.set({ filler: 'x'.repeat(quota - used - room) });
    }, 1_000);
    await popup.getByRole('button', { name: 'Send', exact: true }).click();
    await expect
      .poll(() => popup.locator('.quick-send .error').textContent())
      .toBe('Not sent: the browser’s storage for TimeTonic Companion is full. Nothing else was lost.');
    // Nothing went to the server, nothing kept was touched, and the text is still in the box.
    expect(server.control.log().filter((entry) => entry.req === 'sendMsg')).toEqual([]);
    expect(await local('outbox')).toEqual(outbox);
    expect((await bookCache()).books).toEqual(books.books);
    expect(await local('auth')).toEqual(auth);
    expect(await popup.getByLabel('Message').inputValue()).toBe(text);

    await extension.inExtension(() => chrome.storage.local.remove('filler'));
    await popup.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.msg === text).length).toBe(1);
    await expect.poll(async () => (await local<OutboxItem[]>('outbox')).find((item) => item.text === text)?.status).toBe('sent');
    expect(server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.msg === text)).toHaveLength(1);
  });
});
