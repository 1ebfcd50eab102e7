/**
 * The Firefox build in Firefox ESR against the local server: the background script starts, the
 * options page saves a loopback server, sign-in through the popup fills the book list and the badge.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { button, labelled, loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';

// Firefox's own `browser` global, as code run inside an extension page sees it.
declare const browser: import('webextension-polyfill').Browser;

const BOOK = { b_o: 'alice', b_c: 'support-inbox' };

let server: LocalServer;
let extension: FirefoxExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  extension = await loadFirefoxExtension();
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const expectedBadge = () => String(server.control.unreadTotal('demo'));
const title = () => extension.inExtension(() => browser.action.getTitle({}));
const textOf = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent);

describe('the Firefox build', () => {
  it('runs its background script, which sets the signed-out title', async () => {
    const manifest = await extension.inExtension(() => browser.runtime.getManifest());
    expect(manifest.background).toMatchObject({ scripts: [`${extension.origin}/service-worker-loader.js`], type: 'module' });
    await expect.poll(title).toBe('TimeTonic: not signed in');
    expect(await extension.badgeText()).toBe('');
  });

  it('has the loopback host permission granted on install', async () => {
    // Firefox grants an MV3 extension's manifest host permissions at install, a temporary one too.
    const granted = await extension.inExtension(() => browser.permissions.contains({ origins: ['http://127.0.0.1/*'] }));
    expect(granted).toBe(true);
  });

  it('saves the local server in the options page', async () => {
    const options = await extension.openOptions();
    const field = labelled('TimeTonic server');
    await expect.poll(() => options.$eval(field, (input) => (input as HTMLInputElement).value)).toBe('https://timetonic.com');
    // An address with a port: the access it asks for must still be the granted loopback one.
    await options.locator(field).fill(server.url);
    await options.locator(button('Save')).click();
    await expect.poll(() => textOf(options, '#server-status')).toBe('Saved.');
    expect(await extension.inExtension(() => browser.storage.sync.get('server'))).toEqual({ server: server.url });
    await options.close();
  });
});

describe('signing in through the popup', () => {
  beforeAll(() => extension.setServer(server.url));

  it('says so when the password is wrong', async () => {
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', 'not-the-password');
    await expect.poll(() => textOf(popup, '[role="alert"]')).toBe('Wrong login or password');
    await popup.close();
  });

  it('lists the books and shows the unread total on the badge', async () => {
    const popup = await extension.openPopup();
    await signIn(popup, 'demo', 'demo');
    await popup.locator('::-p-xpath(//button[.//*[contains(@class, "book-title") and normalize-space() = "Support inbox"]])').wait();
    await expect.poll(() => extension.badgeText()).toBe(expectedBadge());
    expect(Number(await extension.badgeText())).toBeGreaterThan(0);
    await expect.poll(title).toBe(`TimeTonic: ${expectedBadge()} unread messages`);
    await popup.close();
  });

  it('grows the badge when someone else posts and the poll alarm fires', async () => {
    const before = Number(await extension.badgeText());
    server.control.postAs('bob', BOOK.b_o, BOOK.b_c, 'The customer called back about #4821');
    await extension.firePollAlarm();
    await expect.poll(() => extension.badgeText()).toBe(String(before + 1));
    expect(await extension.badgeText()).toBe(expectedBadge());
  });
});
