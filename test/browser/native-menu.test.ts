/**
 * Chromium's real right-click menu, picked as a user picks it: a fixture extension adds
 * "Send to TimeTonic" > "Book A" / "Book B" for a page, a link, a selection and an image, and
 * records what Chromium tells it about the click.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadExtension, type LoadedExtension } from '../support/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../support/native-menu';

const MENU = ['Send to TimeTonic', 'Book B'];

const MANIFEST = {
  manifest_version: 3,
  name: 'Context menu fixture',
  version: '1.0',
  permissions: ['contextMenus', 'storage'],
  background: { service_worker: 'worker.js' },
};

const WORKER = `
const contexts = ['page', 'link', 'selection', 'image'];
// contextMenus.create returns the id, not a promise: its callback says when the item exists.
const create = (item) => new Promise((resolve) => chrome.contextMenus.create({ ...item, contexts }, resolve));
chrome.runtime.onInstalled.addListener(async () => {
  await create({ id: 'send', title: 'Send to TimeTonic' });
  await create({ id: 'book-a', parentId: 'send', title: 'Book A' });
  await create({ id: 'book-b', parentId: 'send', title: 'Book B' });
  await chrome.storage.local.set({ ready: true });
});
chrome.contextMenus.onClicked.addListener(({ menuItemId, pageUrl, linkUrl, srcUrl, selectionText }) => {
  chrome.storage.local.set({ clicked: { menuItemId, pageUrl, linkUrl, srcUrl, selectionText } });
});
`;

// A 1×1 PNG, shown large enough to aim at.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const HTML = `<!doctype html>
<title>Menu page</title>
<style>body { font: 20px sans-serif; margin: 40px; } img { width: 64px; height: 64px; display: block; }</style>
<p><span id="text">Quarterly figures are in.</span></p>
<p><a href="/report">The report</a></p>
<img src="/pixel.png" alt="Pixel">
`;

let fixtureDir: string;
let server: Server;
let origin: string;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;

beforeAll(async () => {
  fixtureDir = await mkdtemp(join(tmpdir(), 'ttc-menu-fixture-'));
  await writeFile(join(fixtureDir, 'manifest.json'), JSON.stringify(MANIFEST));
  await writeFile(join(fixtureDir, 'worker.js'), WORKER);

  server = createServer((req, res) => {
    if (req.url === '/pixel.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(PIXEL);
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ extensionPath: fixtureDir, nativeMenus: menus });
  // The menu items exist once the worker says so; a menu opened before would lack them.
  await vi.waitFor(async () => expect(await extension.inWorker(() => chrome.storage.local.get('ready'))).toEqual({ ready: true }), {
    timeout: 20_000,
    interval: 50,
  });
  page = await extension.context.newPage();
  await page.goto(`${origin}/`); // waits for the load event, so the image is in
});
afterAll(async () => {
  await extension?.close();
  await menus?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await extension.inWorker(() => chrome.storage.local.remove('clicked'));
});

const clicked = () => extension.inWorker(async () => (await chrome.storage.local.get('clicked')).clicked ?? null);

describe('the native context menu', () => {
  it('sends the page', async () => {
    // Empty margin to the right of the text: the page itself, no link, image or selection.
    await menus.pickContextMenuItem(page, { x: 900, y: 300 }, MENU);
    await expect.poll(clicked).toEqual({ menuItemId: 'book-b', pageUrl: `${origin}/` });
  });

  it('sends a link', async () => {
    await menus.pickContextMenuItem(page, page.getByRole('link', { name: 'The report' }), MENU);
    await expect.poll(clicked).toEqual({ menuItemId: 'book-b', pageUrl: `${origin}/`, linkUrl: `${origin}/report` });
  });

  it('sends the selected text', async () => {
    const paragraph = page.locator('#text');
    await paragraph.click({ clickCount: 3 });
    await expect.poll(() => page.evaluate(() => getSelection()?.toString().trim())).toBe('Quarterly figures are in.');
    await menus.pickContextMenuItem(page, paragraph, MENU);
    await expect.poll(clicked).toEqual({ menuItemId: 'book-b', pageUrl: `${origin}/`, selectionText: 'Quarterly figures are in.' });
  });

  it('sends an image', async () => {
    // A selection left from the test before would add itself to what the menu reports.
    await page.evaluate(() => getSelection()?.removeAllRanges());
    await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Pixel' }), MENU);
    await expect.poll(clicked).toEqual({ menuItemId: 'book-b', pageUrl: `${origin}/`, srcUrl: `${origin}/pixel.png` });
  });

  it('names the items it saw when one is missing', async () => {
    await expect(menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', 'Book C'], 2_000)).rejects.toThrow(
      /No item 'Book C' in the submenu 'Send to TimeTonic' \(seen: 'Book A', 'Book B'\)/,
    );
    // The failed pick closed its menu, so the next one works as usual.
    await menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', 'Book A']);
    await expect.poll(clicked).toEqual({ menuItemId: 'book-a', pageUrl: `${origin}/` });
  });
});
