/**
 * The message socket in Chromium against the local server: another user's post on the badge within
 * a second, reads from the popup reaching the server, and every fault ending connected again. No
 * alarm is fired by hand: what happens is what the extension does by itself.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import type { LiveStatus } from '../../src/domain/live-status';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox' };

let server: LocalServer;
let extension: LoadedExtension;

/** A browser with the extension, signed in as demo: a fresh one starts its back-off from the beginning. */
async function signedInExtension(): Promise<LoadedExtension> {
  const loaded = await loadExtension();
  await loaded.setServer(server.url);
  const popup = await loaded.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByRole('button', { name: /^Support inbox/ }).waitFor({ timeout: 15_000 });
  await popup.close();
  return loaded;
}

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  extension = await signedInExtension();
});
beforeEach(() => {
  socket().refuseFor(0);
  socket().answerPings(true);
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const socket = () => server.control.socket;
const liveStatus = () => extension.inExtension(async () => (await chrome.storage.session.get('liveStatus')).liveStatus as LiveStatus | undefined);
const unreadOnServer = () => String(server.control.unreadTotal('demo') || '');
const pollPeriod = () => extension.inExtension(async () => (await chrome.alarms.get('poll'))?.periodInMinutes ?? null);

/** Waits until demo is attached on a connection made after `connectionsBefore`, and the worker says Live. */
async function attachedAgain(connectionsBefore: number, timeout = 30_000) {
  await expect.poll(() => socket().connections() > connectionsBefore && socket().attached().includes('demo'), { timeout }).toBe(true);
  await expect.poll(async () => (await liveStatus())?.state, { timeout }).toBe('live');
}

/** Bob posts in a book of demo's; resolves with the time the badge took to show the new total. */
async function postReachesBadge(book = SUPPORT, text = 'Are you there?'): Promise<number> {
  await expect.poll(() => extension.badgeText()).toBe(unreadOnServer());
  const start = performance.now();
  server.control.postAs('bob', book.b_o, book.b_c, text);
  const expected = unreadOnServer();
  await expect.poll(() => extension.badgeText(), { timeout: 10_000, interval: 10 }).toBe(expected);
  return performance.now() - start;
}

async function openPopup(): Promise<Page> {
  const popup = await extension.openPopup();
  await expect.poll(() => popup.getByRole('button', { name: /^Support inbox/ }).isVisible()).toBe(true);
  return popup;
}

describe('live', () => {
  it('is live once signed in: polls are a safety net every 15 minutes, and the popup says Live', async () => {
    await attachedAgain(0);
    expect(await pollPeriod()).toBe(15);
    const popup = await openPopup();
    await expect.poll(() => popup.locator('.live').textContent()).toBe('Live');
    await popup.close();
  });

  it("shows another user's post on the badge within a second", async () => {
    const ms = await postReachesBadge();
    expect(ms).toBeLessThan(1000);
  });

  it('opening a book in the popup clears its unread count on the server and the badge', async () => {
    await postReachesBadge();
    const book = () => server.control.state.memberOf(server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c), 'demo');
    expect(book().nbNotRead).toBeGreaterThan(0);
    const popup = await openPopup();
    socket().clearLog();
    await popup.getByRole('button', { name: /^Support inbox/ }).click();
    await expect.poll(() => book().nbNotRead).toBe(0);
    await expect.poll(() => extension.badgeText()).toBe(unreadOnServer());
    const sent = socket().log().filter((entry) => entry.direction === 'in' && entry.type === 11);
    expect(sent.map((entry) => [entry.msg, entry.b_o, entry.b_c])).toEqual(
      expect.arrayContaining([
        ['logOpenBook', SUPPORT.b_o, SUPPORT.b_c],
        ['clearNotRead', SUPPORT.b_o, SUPPORT.b_c],
      ]),
    );
    await popup.close();
  });

  it('marks every book read with Mark all as read', async () => {
    await postReachesBadge(SUPPORT);
    await postReachesBadge({ b_o: 'bob', b_c: 'team-offsite' }, 'Flights booked');
    expect(Number(await extension.badgeText())).toBeGreaterThan(1);
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Mark all as read' }).click();
    await expect.poll(() => extension.badgeText()).toBe('');
    await expect.poll(() => server.control.unreadTotal('demo')).toBe(0);
    await expect.poll(() => popup.getByRole('button', { name: 'Mark all as read' }).count()).toBe(0);
    await popup.close();
  });

  it('keeps a read made while disconnected, sends it on reconnecting, and the badge never jumps back up', async () => {
    await postReachesBadge();
    const supportUnread = () => server.control.state.memberOf(server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c), 'demo').nbNotRead;
    const counted = server.control.unreadTotal('demo');
    const inSupport = supportUnread();
    const afterReading = String(counted - inSupport || '');
    expect(inSupport).toBeGreaterThan(0);
    // The socket goes, and stays away a few seconds.
    socket().refuseFor(4_000);
    socket().dropAll();
    await expect.poll(async () => (await liveStatus())?.state).toBe('down');
    const connections = socket().connections();
    const badges: string[] = [];
    const watch = setInterval(() => void extension.badgeText().then((text) => badges.push(text)), 50);
    try {
      const popup = await openPopup();
      await popup.getByRole('button', { name: /^Support inbox/ }).click();
      await expect.poll(() => extension.badgeText()).toBe(afterReading);
      await popup.close();
      // The server has not heard of it. Someone edits a message there, so the next poll brings the
      // book with the server's old count, which must not show.
      expect(supportUnread()).toBe(inSupport);
      const [first] = server.control.messages(SUPPORT.b_o, SUPPORT.b_c);
      server.control.state.editMessage(first!.u_c, SUPPORT.b_o, SUPPORT.b_c, first!.smid, 'Edited while you were away');
      const polls = server.control.log().filter((entry) => entry.req === 'getAllBooks').length;
      const again = await openPopup();
      await expect.poll(() => server.control.log().filter((entry) => entry.req === 'getAllBooks').length).toBeGreaterThan(polls);
      await expect.poll(() => again.locator('.sync').textContent()).toBe('Up to date');
      expect(await extension.badgeText()).toBe(afterReading);
      await again.close();
      await attachedAgain(connections);
      await expect.poll(() => supportUnread()).toBe(0);
      expect(await extension.inExtension(async () => (await chrome.storage.local.get('pendingReads')).pendingReads)).toEqual({});
    } finally {
      clearInterval(watch);
    }
    const afterRead = badges.slice(badges.indexOf(afterReading));
    expect(afterRead.length).toBeGreaterThan(0);
    expect(afterRead.every((text) => text === afterReading)).toBe(true);
    // A new message in that book counts again.
    await postReachesBadge();
    expect(Number(await extension.badgeText())).toBe(Number(afterReading) + 1);
  });

  describe('faults, each ending connected again', () => {
    // Each fault in a browser of its own: the back-off of one does not slow down the next.
    beforeEach(async () => {
      await extension.close();
      extension = await signedInExtension();
      await attachedAgain(0);
    });
    it('a server that drops every socket', async () => {
      const connections = socket().connections();
      expect(socket().dropAll()).toBeGreaterThan(0);
      await attachedAgain(connections);
      expect(await postReachesBadge()).toBeLessThan(1000);
    });

    it('a server that refuses connections for a while: polling as chosen meanwhile, the options page says why', async () => {
      const connections = socket().connections();
      socket().refuseFor(60_000);
      socket().dropAll();
      await expect.poll(async () => (await liveStatus())?.reason, { timeout: 15_000 }).toBe('neverOpened');
      expect(await pollPeriod()).toBe(1);
      const options = await extension.openOptions();
      await expect.poll(() => options.locator('#live-state').textContent()).toMatch(/did not accept the connection.*every 1 minute/);
      expect(await options.getByText('ws://127.0.0.1').textContent()).toBe(`${server.url.replace('http', 'ws')}/socket`);
      await options.close();
      // The rest of the minute is cut short: the test waits for the back-off, not for the clock.
      socket().refuseFor(0);
      await attachedAgain(connections, 30_000);
      expect(await pollPeriod()).toBe(15);
    });

    it('an attach answered by a close for an invalid session: renewed, then attached again', async () => {
      const renewals = server.control.log().filter((entry) => entry.req === 'createSesskey').length;
      const connections = socket().connections();
      server.control.expireSessions('demo');
      socket().dropAll();
      await expect.poll(() => server.control.log().filter((entry) => entry.req === 'createSesskey').length, { timeout: 15_000 }).toBeGreaterThan(renewals);
      await attachedAgain(connections);
      expect(await postReachesBadge()).toBeLessThan(1000);
    });

    it('frames it cannot read, or of a type it does not know: counted and ignored', async () => {
      const connections = socket().connections();
      const before = (await liveStatus())!.ignoredFrames;
      expect(socket().sendRaw('{not json', 'demo')).toBe(1);
      socket().sendRaw('{"type":99}', 'demo');
      socket().sendRaw('[8]', 'demo');
      await expect.poll(async () => (await liveStatus())!.ignoredFrames).toBe(before + 3);
      expect(socket().connections()).toBe(connections);
      expect(await postReachesBadge()).toBeLessThan(1000);
    });

    it('a worker stopped while connected', async () => {
      const connections = socket().connections();
      await extension.stopWorker();
      await expect.poll(() => socket().attached().includes('demo')).toBe(false);
      // Its watchdog alarm starts it again within half a minute, and the start connects.
      await attachedAgain(connections, 45_000);
      expect(await postReachesBadge()).toBeLessThan(1000);
    }, 60_000);

    it('the network going away and coming back: polls go on failing meanwhile, and a post made then arrives', async () => {
      const connections = socket().connections();
      // For real: the server stops listening and drops every connection, so every request and
      // socket of the worker is refused by the system. (Playwright's setOffline blocks new
      // requests and sockets and turns navigator.onLine false in the worker, but dispatches no
      // online event there, so the worker's own return to the network cannot be shown that way.)
      await server.takeOffline();
      try {
        await expect.poll(async () => (await liveStatus())?.state).toBe('down');
        await expect.poll(() => pollPeriod()).toBe(1);
        // Opening the popup polls at once: that poll fails, and the status line says so.
        const popup = await extension.openPopup();
        await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 15_000 }).toBe('Offline');
        await expect.poll(() => popup.locator('.live').textContent()).toBe('Checking every 1 min');
        await popup.close();
        server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'Posted while you were offline');
      } finally {
        await server.bringOnline();
      }
      // Back by itself within the back-off; its attach polls, which brings the post.
      await attachedAgain(connections, 45_000);
      await expect.poll(() => extension.badgeText()).toBe(unreadOnServer());
      expect(await postReachesBadge()).toBeLessThan(1000);
    }, 60_000);

    it('a ping never answered on a live connection: closed, made again, attached, and posts arrive', async () => {
      // A ping every second rather than every 20 s, from the next connection on.
      await extension.inExtension((timing) => chrome.storage.local.set({ liveTiming: timing }), { pingIntervalMs: 1_000, attachTimeoutMs: 10_000 });
      socket().dropAll();
      await attachedAgain(socket().connections() - 1);
      socket().clearLog();
      const connections = socket().connections();
      socket().answerPings(false);
      await expect.poll(async () => (await liveStatus())?.reason, { timeout: 15_000 }).toBe('noAnswer');
      // No answer to two pings: given up while the socket itself was still open.
      expect(socket().log().filter((entry) => entry.direction === 'in' && entry.type === 9).length).toBeGreaterThanOrEqual(2);
      await expect.poll(() => pollPeriod()).toBe(1);
      const attaches = () => socket().log().filter((entry) => entry.direction === 'in' && entry.type === 4).length;
      socket().answerPings(true);
      await attachedAgain(connections, 30_000);
      expect(attaches()).toBeGreaterThan(0);
      expect(await postReachesBadge()).toBeLessThan(1000);
    }, 60_000);

    it('a ping never answered at the attach, on the default timings: the connection is given up and made again', async () => {
      socket().answerPings(false);
      const connections = socket().connections();
      socket().dropAll();
      // It connects, but its attach's ping goes unanswered: given up, it tries another connection.
      await expect.poll(() => socket().connections(), { timeout: 15_000 }).toBeGreaterThan(connections + 1);
      expect((await liveStatus())?.state).not.toBe('live');
      expect((await liveStatus())?.reason).toBe('noAnswer');
      const stuck = socket().connections();
      socket().answerPings(true);
      await attachedAgain(stuck, 45_000);
      expect(await postReachesBadge()).toBeLessThan(1000);
    }, 90_000);
  });

  it('the options page refuses a live address that is not ws:// or wss://, and says when one is saved', async () => {
    const options = await extension.openOptions();
    await options.getByText('Advanced').click();
    const field = options.getByLabel('Live server address');
    const status = options.locator('#live-address-status');
    await field.fill('http://elsewhere');
    await options.locator('details').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => status.textContent()).toBe('The live address must start with ws:// or wss://.');
    expect(await status.getAttribute('class')).toBe('error');
    expect(await extension.inExtension(async () => (await chrome.storage.sync.get('socketAddress')).socketAddress ?? '')).toBe('');
    await field.fill('');
    await expect.poll(() => status.textContent()).toBe('');
    await options.locator('details').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => status.textContent()).toBe('Saved. The extension connects to this address now.');
    expect(await status.getAttribute('class')).toBe('success');
    await options.close();
  });

  it('closes cleanly on sign-out', async () => {
    const options = await extension.openOptions();
    await options.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => socket().attached().includes('demo')).toBe(false);
    await expect.poll(async () => (await liveStatus())?.state).toBe('off');
    await options.close();
  });
});
