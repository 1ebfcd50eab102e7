/**
 * A book's title shows as written in Firefox's own right-click menu, which, as Chromium's, reads
 * `&` as the mark of an access key and puts the selected text in place of `%s`.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { labelled, loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';
import { startPageServer, type PageServer } from '../../harness/page-server';

// Firefox's own `browser` global, as code run inside an extension page sees it.
declare const browser: import('webextension-polyfill').Browser;

const BOOK = { b_o: 'demo', b_c: 'r-and-d', title: 'R&D 100% %s' };

let server: LocalServer;
let site: PageServer;
let extension: FirefoxExtension;
let page: Page;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  server.control.addBook({ ...BOOK, members: [{ u_c: 'demo', right: 3, invite: 'accepted' }] });
  site = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Notes</title><p id="text">the selected words</p>'));
  extension = await loadFirefoxExtension();
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signIn(popup, 'demo', 'demo');
  await popup.locator(labelled('Message')).wait();
  await popup.close();
  await extension.inExtension((key) => browser.storage.local.set({ recentBooks: [key] }), `${BOOK.b_o}/${BOOK.b_c}`);
  page = await extension.openTab(`${site.origin}/`);
});
afterAll(async () => {
  await extension?.close();
  await site?.close();
  await server?.close();
});

it('shows R&D 100% %s as written with text selected, and sends to that book', async () => {
  await expect
    .poll(() => extension.inExtension(async () => JSON.stringify((await browser.storage.session.get('menuShown')).menuShown ?? [])))
    .toContain('R&&D 100% %\u2060s');
  await page.evaluate(() => getSelection()!.selectAllChildren(document.getElementById('text')!));
  // The label as Firefox shows it: `&&` is one `&`, and the word joiner between % and s is invisible.
  await extension.pickContextMenuItem(page, '#text', ['Send to TimeTonic', 'R&D 100% %\u2060s']);
  await expect.poll(() => server.control.messages(BOOK.b_o, BOOK.b_c).map((message) => message.msg)).toEqual([expect.stringMatching(/^> the selected words\n/)]);
});
