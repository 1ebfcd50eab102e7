/**
 * The message socket in Firefox ESR against the local server: another user's post on the badge
 * within a second while the background runs, a book opened in the popup read on the server too,
 * and what Firefox does with a background whose socket is open but that has nothing else to do.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';

declare const browser: import('webextension-polyfill').Browser;

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox' };
/** Firefox stops an idle background after 30 s; shortened so that the test sees it happen. */
const BACKGROUND_IDLE_MS = 4_000;

let server: LocalServer;
let extension: FirefoxExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  extension = await loadFirefoxExtension({
    prefs: {
      'extensions.background.idle.timeout': BACKGROUND_IDLE_MS,
      // Firefox workaround: its MV3 content security policy adds upgrade-insecure-requests, which
      // turns ws://127.0.0.1 into wss:// (close 1015), loopback or not, whatever the manifest says;
      // plain HTTP to loopback is spared. The local server speaks plain ws, so the test lifts it.
      // A real server is https, its socket wss, and needs nothing.
      'extensions.webextensions.default-content-security-policy.v3': "script-src 'self'",
      'extensions.webextensions.base-content-security-policy.v3': "script-src 'self' 'wasm-unsafe-eval'",
    },
  });
  await extension.setServer(server.url);
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const bookButton = (title: string) => `::-p-xpath(//button[contains(@class, "book-open")][.//*[contains(@class, "book-title") and normalize-space() = "${title}"]])`;
const unreadOnServer = () => String(server.control.unreadTotal('demo') || '');
const pollPeriod = () => extension.inExtension(async () => (await browser.alarms.get('poll'))?.periodInMinutes ?? null);

async function openPopup(): Promise<Page> {
  const popup = await extension.openPopup();
  await popup.locator(bookButton('Support inbox')).wait();
  return popup;
}

describe('live in Firefox', () => {
  it('attaches once signed in, and keeps polling at the chosen interval: a socket does not keep its background running', async () => {
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', 'demo');
    await popup.locator(bookButton('Support inbox')).wait();
    await expect.poll(() => server.control.socket.attached().includes('demo'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => popup.$eval('.live', (element) => element.textContent)).toBe('Live');
    await popup.close();
    expect(await pollPeriod()).toBe(1);
  });

  it("shows another user's post on the badge within a second while the background runs", async () => {
    await expect.poll(() => extension.badgeText()).toBe(unreadOnServer());
    const start = performance.now();
    server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'Ping from Bob');
    const expected = unreadOnServer();
    await expect.poll(() => extension.badgeText(), { interval: 10 }).toBe(expected);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('opening a book in the popup clears its unread count on the server and the badge', async () => {
    const unreadInSupport = () => server.control.state.memberOf(server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c), 'demo').nbNotRead;
    expect(unreadInSupport()).toBeGreaterThan(0);
    const popup = await openPopup();
    await popup.locator(bookButton('Support inbox')).click();
    await expect.poll(() => unreadInSupport()).toBe(0);
    await expect.poll(() => extension.badgeText()).toBe(unreadOnServer());
    await popup.close();
  });

  it('marks every book read with Mark all as read', async () => {
    const popup = await openPopup();
    await popup.locator('::-p-aria([name="Mark all as read"][role="button"])').click();
    await expect.poll(() => server.control.unreadTotal('demo')).toBe(0);
    await expect.poll(() => extension.badgeText()).toBe('');
    await popup.close();
  });

  it('loses the socket when Firefox stops the idle background, and goes on polling', async () => {
    // Nothing but the socket keeps the background busy now: Firefox stops it after its idle time.
    await expect.poll(() => server.control.socket.attached().includes('demo'), { timeout: BACKGROUND_IDLE_MS * 5 }).toBe(false);
    expect(await pollPeriod()).toBe(1);
  }, 30_000);
});
