/**
 * Sign-in and background sync, in Chromium against the local server: the key chain through the
 * popup, the badge, delta polls, notifications, session renewal, bad replies, worker restarts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';

const PASSWORD = 'Correct-Horse-Battery-7';
const BOOK = { b_o: 'alice', b_c: 'support-inbox' };

let server: LocalServer;
let extension: LoadedExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  // A password that appears nowhere else, so that finding it in storage could only mean it was kept.
  server.control.state.findUser('demo')!.password = PASSWORD;
  extension = await loadExtension();
  await extension.setServer(server.url);
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const requestsOf = (req: string) => server.control.log().filter((entry) => entry.req === req);
const expectedBadge = () => String(server.control.unreadTotal('demo'));

async function signIn(popup: Page, login: string, password: string) {
  await signInThroughPopup(popup, login, password);
}

/** Waits until the worker has made one more poll than `before` and the badge settled. */
async function pollNow(before = requestsOf('getAllBooks').length) {
  await extension.firePollAlarm();
  await expect.poll(() => requestsOf('getAllBooks').length).toBeGreaterThan(before);
}

describe('signing in', () => {
  it('says so in plain words when the password is wrong', async () => {
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', 'not-the-password');
    await expect.poll(() => popup.getByRole('alert').last().textContent()).toBe('Wrong login or password');
    await popup.close();
  });

  it('says the server cannot be reached when it is down', async () => {
    await extension.setServer('http://127.0.0.1:9'); // the discard port: nothing listens there
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', PASSWORD);
    await expect.poll(() => popup.getByRole('alert').last().textContent()).toBe('Cannot reach TimeTonic at http://127.0.0.1:9');
    await popup.close();
    await extension.setServer(server.url);
  });

  it('signs in through the popup, lists the books and shows the unread total on the badge', async () => {
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', PASSWORD);
    await expect.poll(() => popup.getByRole('button', { name: /^Support inbox/ }).isVisible()).toBe(true);
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    expect(Number(await extension.badgeText())).toBeGreaterThan(0);
    await expect.poll(() => popup.getByRole('heading').textContent()).toBe(`TimeTonic${expectedBadge()} unread`);
    expect(await extension.inExtension(() => chrome.action.getTitle({}))).toBe(`TimeTonic: ${expectedBadge()} unread messages`);
    await popup.close();
  });

  it('opens a book from the popup in the web app of the server', async () => {
    const popup = await extension.openPopup();
    await popup.getByRole('button', { name: /^Support inbox/ }).click();
    const link = popup.getByRole('link', { name: 'Open in TimeTonic' });
    expect(await link.getAttribute('href')).toBe(`${server.url}/live/#book/alice/support-inbox`);
    const [opened] = await Promise.all([extension.context.waitForEvent('page'), link.click()]);
    await expect.poll(() => opened.locator('#book').textContent()).toBe('Book support-inbox of alice would open here.');
    await opened.close();
    await popup.close();
  });

  it('keeps the password in no storage area', async () => {
    const dump = await extension.storageDump();
    expect(dump).toContain('sesskey');
    expect(dump).not.toContain(PASSWORD);
  });
});

describe('polling', () => {
  it('costs one request and fetches nothing when nothing changed', async () => {
    // The book opened just before was marked read on the server: one poll learns it.
    await pollNow();
    server.control.clearLog();
    await pollNow(0);
    const log = server.control.log();
    expect(log.map((entry) => entry.req)).toEqual(['getAllBooks']);
    expect(log[0]!.params.sstamp).toMatch(/^\d+$/);
    // The entry is logged as the request arrives, and its size once the answer is written.
    await expect.poll(() => server.control.log()[0]!.responseBytes).toBeGreaterThan(0);
    expect(server.control.log()[0]!.responseBytes).toBeLessThan(300);
    // The sign-in sync (finished before this poll could start) only learned the state.
    expect(await extension.inExtension(() => chrome.notifications.getAll())).toEqual({});
  });

  it('grows the badge by one and notifies when someone else posts', async () => {
    const before = Number(await extension.badgeText());
    server.control.postAs('bob', BOOK.b_o, BOOK.b_c, 'The customer called back about #4821');
    await pollNow();
    await expect.poll(() => extension.badgeText()).toBe(String(before + 1));
    await expect
      .poll(async () => Object.keys(await extension.inExtension(() => chrome.notifications.getAll())))
      .toEqual([`book:${BOOK.b_o}/${BOOK.b_c}`]);
  });

  it('shows hostile message text as text in the popup', async () => {
    const hostile = '<img src=x onerror="document.title=1"><b>bold</b>';
    server.control.postAs('bob', BOOK.b_o, BOOK.b_c, hostile);
    await pollNow();
    const popup = await extension.openPopup();
    await expect.poll(() => popup.getByText(`Bob Okafor: ${hostile}`).isVisible()).toBe(true);
    expect(await popup.locator('main img, main b').count()).toBe(0);
    await popup.close();
  });

  it('renews an expired session without asking to sign in again', async () => {
    server.control.expireSessions('demo');
    const sesskeysBefore = requestsOf('createSesskey').length;
    const oauthkeysBefore = requestsOf('createOauthkey').length;
    server.control.postAs('bob', BOOK.b_o, BOOK.b_c, 'Me too');
    await pollNow();
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    expect(requestsOf('createSesskey')).toHaveLength(sesskeysBefore + 1);
    expect(requestsOf('createOauthkey')).toHaveLength(oauthkeysBefore);
    const popup = await extension.openPopup();
    await expect.poll(() => popup.getByRole('button', { name: /^Support inbox/ }).isVisible()).toBe(true);
    expect(await popup.getByLabel('Password').count()).toBe(0);
    await popup.close();
  });

  it('keeps the count and shows an error state on a malformed reply, then recovers', async () => {
    const good = await extension.badgeText();
    server.control.injectFaults({ kind: 'malformed', req: 'getAllBooks' });
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/unexpected answer/);
    expect(await extension.badgeText()).toBe(good);
    expect(await extension.inExtension(() => chrome.action.getBadgeBackgroundColor({}))).toEqual([123, 63, 160, 255]);

    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/unread messages$/);
    expect(await extension.badgeText()).toBe(expectedBadge());
  });

  it('shows offline, not signed out, when the server cannot be reached', async () => {
    server.control.injectFaults({ kind: 'drop', req: 'getAllBooks' });
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/offline/);
    expect(await extension.badgeText()).toBe(expectedBadge());
    server.control.injectFaults({ kind: 'http500', req: 'getAllBooks' });
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/server error/);
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/unread messages$/);
  });

  it('loses nothing when the service worker is stopped between polls', async () => {
    await extension.stopWorker();
    server.control.postAs('alice', BOOK.b_o, BOOK.b_c, 'Posted while the worker slept');
    server.control.clearLog();
    // Opening the popup wakes the worker, which polls from the stamp it kept in storage.
    const popup = await extension.openPopup();
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    const polls = requestsOf('getAllBooks');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((entry) => /^\d+$/.test(entry.params.sstamp ?? ''))).toBe(true);
    expect(requestsOf('createOauthkey')).toHaveLength(0);
    await popup.close();
  });

  it('asks to sign in again only when the oauthkey is refused', async () => {
    server.control.revokeOauthkeys('demo');
    server.control.expireSessions('demo');
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toBe('TimeTonic: sign in again');
    expect(await extension.badgeText()).toBe('!');
    const popup = await extension.openPopup();
    await expect.poll(() => popup.getByText('Sign in again', { exact: false }).first().isVisible()).toBe(true);
    await signIn(popup, 'demo', PASSWORD);
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    await popup.close();
  });
});

describe('the options page', () => {
  it('mutes a book: its count leaves the badge', async () => {
    const options = await extension.openOptions();
    const unread = () => server.control.state.memberOf(server.control.state.getBook(BOOK.b_o, BOOK.b_c), 'demo').nbNotRead;
    const mute = options.getByLabel('Mute Support inbox');
    await mute.check();
    await expect.poll(() => extension.badgeText()).toBe(String(server.control.unreadTotal('demo') - unread()));
    await mute.uncheck();
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    await options.close();
  });

  it('signs out my other sessions and keeps this one', async () => {
    const { createClient } = await import('../../src/api');
    const api = createClient({ server: server.url });
    const appkey = await api.createAppkey('another device');
    const other = await api.createOauthkey({ login: 'demo', pwd: PASSWORD, appkey });
    const otherKeys = { o_u: other.o_u, sesskey: await api.createSesskey(other) };

    const options = await extension.openOptions();
    await options.getByRole('button', { name: 'Sign out my other sessions' }).click();
    await expect.poll(() => options.locator('#account-status').textContent()).toBe('Your other sessions are signed out.');
    await expect(api.getAllBooks(otherKeys)).rejects.toMatchObject({ kind: 'invalidSession' });
    await pollNow();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toMatch(/unread messages$/);
    await options.close();
  });

  it('signs out: every key forgotten, the badge and the popup say so', async () => {
    const options = await extension.openOptions();
    await options.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => extension.inExtension(() => chrome.action.getTitle({}))).toBe('TimeTonic: not signed in');
    expect(await extension.badgeText()).toBe('');
    const local = await extension.inExtension(() => chrome.storage.local.get(null));
    expect(Object.keys(local).sort()).toEqual(['appkey', 'syncStatus']);
    await expect.poll(() => options.getByText('Not signed in.', { exact: false }).isVisible()).toBe(true);
    const popup = await extension.openPopup();
    await expect.poll(() => popup.getByLabel('Password').isVisible()).toBe(true);
    await popup.close();
    await options.close();
  });

  it('changes how often the worker checks', async () => {
    const options = await extension.openOptions();
    await options.getByLabel('Check for new messages every').selectOption('5');
    await expect.poll(() => extension.inExtension(async () => (await chrome.alarms.get('poll'))?.periodInMinutes)).toBe(5);
    await options.close();
  });
});
