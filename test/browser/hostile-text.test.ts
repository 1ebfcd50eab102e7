/**
 * Text from the server never runs and shows as written, in every place it reaches: book titles
 * (popup list and quick-send box, options' muted books, the right-click menu, the "Choose book…" window),
 * a sender's name, message text and file names (a thumbnail's alt text, a document's link). Every
 * text of `test/corpus/hostile-text.json` goes into each of them. A text that ran would set
 * `window.__ttcPwned` or ask the test's own tripwire server for something; neither may happen.
 *
 * Headful under Xvfb, so that the right-click menu is Chromium's real native one, read through the
 * accessibility bus.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import type { OutboxItem } from '../../src/domain/outbox';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { startPageServer, type PageServer } from '../../harness/page-server';

const CORPUS: string[] = JSON.parse(readFileSync(new URL('../corpus/hostile-text.json', import.meta.url), 'utf8')).texts;

let tripwire: PageServer;
/** Every request the tripwire got: a text that ran or loaded something. */
const hits: string[] = [];
let texts: string[];
let server: LocalServer;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;

const book = (i: number) => ({ b_o: 'mallory', b_c: `hostile-${i}` });
const AMPERSAND_BOOK = () => book(texts.indexOf('R&D 100% %s'));
const SENDER = () => `${texts[0]} ${texts[2]}`;
const FILES = () => [`${texts[1]}.png`, `${texts[3]}.pdf`];

beforeAll(async () => {
  tripwire = await startPageServer((req, res) => {
    // The page the right-click tests use is served here too, at another path.
    if (req.url?.startsWith('/hit')) hits.push(req.url);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Page</title><p id="text">the selected words</p>');
  });
  const origin = tripwire.origin;
  texts = CORPUS.map((text) => text.replaceAll('{HIT}', `${origin}/hit`));

  server = await startServer({ seed: 'demo' });
  const state = server.control.state;
  state.addUser({ u_c: 'mallory', login: 'mallory', email: 'mallory@example.com', password: 'mallory-pw', firstName: texts[0]!, lastName: texts[2]! });
  texts.forEach((title, i) =>
    server.control.addBook({ ...book(i), title, members: [{ u_c: 'demo', right: 2, invite: 'accepted' }] }),
  );
  // In the first book, Mallory writes every text, then a picture and a document with hostile names.
  for (const text of texts) state.postMessage('mallory', 'mallory', 'hostile-0', { msg: text });
  const withFiles = state.postMessage('mallory', 'mallory', 'hostile-0', { msg: 'files', nbMedias: 1, nbDocs: 1 }).message.smid;
  const [image, doc] = FILES();
  state.attachFile('mallory', 'mallory', 'hostile-0', withFiles, { originName: image!, contentType: 'image/png', bytes: solidPng(8, 8, [200, 30, 30]) });
  state.attachFile('mallory', 'mallory', 'hostile-0', withFiles, { originName: doc!, contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n') });

  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ nativeMenus: menus });
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByLabel('Message').waitFor();
  await popup.close();
  page = await extension.context.newPage();
  await page.goto(`${origin}/page`);
});
afterAll(async () => {
  await extension?.close();
  await menus?.close();
  await tripwire?.close();
  await server?.close();
});

/** Nothing ran: no global set in the page or the worker, nothing asked of the tripwire. */
async function nothingRan(...pages: Page[]) {
  for (const p of pages) expect(await p.evaluate(() => (window as { __ttcPwned?: unknown }).__ttcPwned ?? null)).toBeNull();
  expect(await extension.inWorker(() => (globalThis as { __ttcPwned?: unknown }).__ttcPwned ?? null)).toBeNull();
  expect(await page.evaluate(() => document.getElementById('ttc-injected'))).toBeNull();
  expect(hits).toEqual([]);
}

const textsOf = (p: Page, selector: string) => p.locator(selector).evaluateAll((nodes) => nodes.map((node) => node.textContent));

describe('hostile text', () => {
  it('shows every book title as written in the popup, and runs none', async () => {
    const popup = await extension.openPopup();
    // The list draws only the rows in view: scroll it from top to bottom, gathering every title drawn.
    const seen = new Set<string | null>();
    await expect
      .poll(async () => {
        for (const title of await textsOf(popup, '.book-title')) seen.add(title);
        await popup.locator('ul.books').evaluate((list) => (list.scrollTop += list.clientHeight / 2));
        return [...seen];
      })
      .toEqual(expect.arrayContaining(texts));
    // The quick-send box's choice of book too, which lists every book once gone to.
    await popup.getByRole('combobox', { name: 'Book' }).focus();
    await expect.poll(() => popup.locator('select option').count()).toBeGreaterThan(1);
    expect(await textsOf(popup, 'select option')).toEqual(expect.arrayContaining(texts));
    await nothingRan(popup);
    await popup.close();
  });

  it("shows messages, the sender's name and file names as written in the book view", async () => {
    const popup = await extension.openPopup();
    await popup.locator(`[data-key="mallory/hostile-0"]`).click();
    await expect.poll(() => textsOf(popup, '.message-text')).toEqual(expect.arrayContaining(texts));
    expect(await popup.locator('#book-title').textContent()).toBe(texts[0]);
    expect(new Set(await textsOf(popup, '.message:not(.mine) .sender'))).toEqual(new Set([SENDER()]));
    const [image, doc] = FILES();
    await expect.poll(() => popup.locator('.thumb img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))).toEqual([image]);
    expect(await popup.locator('.thumb').getAttribute('title')).toBe(image);
    expect(await textsOf(popup, 'a.doc')).toEqual([doc]);
    // The thumbnail is the real picture, fetched from the server by its internal name.
    await expect.poll(() => popup.locator('.thumb img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(8);
    await nothingRan(popup);
    await popup.close();
  });

  it("shows the titles as written among the options' muted books", async () => {
    const options = await extension.openOptions();
    await expect.poll(() => textsOf(options, 'label')).toEqual(expect.arrayContaining(texts.map((title) => `Mute ${title}`)));
    await nothingRan(options);
    await options.close();
  });

  it('shows R&D 100% %s as written in the native right-click menu, and sends to that book', async () => {
    const target = AMPERSAND_BOOK();
    await extension.inExtension((keys) => chrome.storage.local.set({ recentBooks: keys }), [`${target.b_o}/${target.b_c}`, 'mallory/hostile-0']);
    await expect
      .poll(() => extension.inExtension(async () => JSON.stringify((await chrome.storage.session.get('menuShown')).menuShown ?? [])))
      .toContain('R&&D 100% %\u2060s');
    await page.locator('#text').click({ clickCount: 3 });
    // Read on the accessibility bus, the item's name is the title with a word joiner (invisible)
    // between % and s: not "RD 100% the selected words", as an unescaped title would read.
    await menus.pickContextMenuItem(page, page.locator('#text'), ['Send to TimeTonic', 'R&D 100% %\u2060s']);
    await expect.poll(() => server.control.messages(target.b_o, target.b_c).map((message) => message.msg)).toEqual([
      expect.stringMatching(/^> the selected words\n/),
    ]);
    await nothingRan(page);
  });

  it('shows every title as written in the "Choose book…" window, and sends to the one chosen', async () => {
    await page.evaluate(() => getSelection()?.removeAllRanges());
    const picker = extension.context.waitForEvent('page');
    await menus.pickContextMenuItem(page, { x: 600, y: 400 }, ['Send to TimeTonic', 'Choose book…']);
    const window = await picker;
    await expect.poll(() => textsOf(window, '[role=option]')).toEqual(expect.arrayContaining(texts));
    const chosen = book(1);
    await window.getByRole('option', { name: texts[1]!, exact: true }).click();
    await expect.poll(() => server.control.messages(chosen.b_o, chosen.b_c).length).toBe(1);
    const sent = await extension.inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
    expect(sent.some((item) => item.book.b_c === chosen.b_c)).toBe(true);
    await nothingRan(page);
  });
});
