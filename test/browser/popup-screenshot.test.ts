/**
 * "Screenshot of this tab" in the real toolbar popup, opened from the keyboard as a user can: the
 * action's shortcut opens the popup over the page and grants activeTab on that page's tab, so the
 * screenshot is taken and goes with the text as one PNG of the visible size, against the local
 * server with its absorbing of a repeated uuid turned off.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import type { DeliveryTiming, OutboxItem } from '../../src/domain/outbox';
import { DIST, type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { attachActionPopup, type ActionPopup } from '../../harness/action-popup';
import { startPageServer, type PageServer } from '../../harness/page-server';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const TIMING: DeliveryTiming = { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 2_000 };
/** The key this copy of the extension suggests for opening its popup; a user sets one the same way. */
const OPEN_POPUP_KEY = 'Alt+Shift+Y';
const HTML = `<!doctype html>
<title>Quarterly report</title>
<style>body { font: 20px sans-serif; margin: 40px; background: #f4e9c8; }</style>
<p>Revenue grew 12% over the quarter.</p>
`;

let server: LocalServer;
let pages: PageServer;
let origin: string;
let copy: string;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;
let popup: ActionPopup | undefined;

beforeAll(async () => {
  server = await startServer({ seed: 'demo', absorbRepeatedUuid: false });
  pages = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML));
  origin = pages.origin;

  // The build as it ships, but with a key for the toolbar button (`_execute_action`), which the
  // shipped manifest leaves to the user.
  copy = join(await mkdtemp(join(tmpdir(), 'ttc-action-key-')), 'extension');
  await cp(DIST, copy, { recursive: true });
  const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
  manifest.commands = { ...manifest.commands, _execute_action: { suggested_key: { default: OPEN_POPUP_KEY } } };
  await writeFile(join(copy, 'manifest.json'), JSON.stringify(manifest));

  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ nativeMenus: menus, path: copy });
  await extension.setServer(server.url);
  await extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), TIMING);
  const signIn = await extension.openPopup();
  await signInThroughPopup(signIn, 'demo', 'demo');
  await signIn.getByLabel('Message').waitFor();
  await signIn.close();
  page = await extension.context.newPage();
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await popup?.detach();
  await extension?.close();
  await menus?.close();
  await pages?.close();
  await server?.close();
  if (copy) await rm(join(copy, '..'), { recursive: true, force: true });
});

const outbox = () => extension.inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
/** Width and height from a PNG's header. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('Screenshot of this tab in the toolbar popup', () => {
  it('attaches the visible tab, opened from the keyboard, and sends it with the text as one PNG of that size', async () => {
    expect((await extension.inExtension(() => chrome.commands.getAll())).find((command) => command.name === '_execute_action')?.shortcut).toBe(OPEN_POPUP_KEY);
    // Written first in the popup opened as a tab: the box keeps its draft for the toolbar popup.
    const writing = await extension.openPopup();
    await writing.getByLabel('Book', { exact: true }).focus();
    await writing.getByLabel('Book', { exact: true }).selectOption({ label: SUPPORT.title });
    await writing.getByLabel('Message').fill('How the report looks');
    await expect.poll(() => extension.inExtension(async () => (await chrome.storage.local.get('quickSendDraft')).quickSendDraft)).toEqual({
      book: `${SUPPORT.b_o}/${SUPPORT.b_c}`,
      text: 'How the report looks',
    });
    await writing.close();

    const visible = await page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
    await page.bringToFront();
    await menus.pressShortcut(OPEN_POPUP_KEY);
    popup = await attachActionPopup(extension.context, page, extension.id);
    const field = (expression: string) => popup!.evaluate<string | null>(expression);
    await expect.poll(() => field(`document.querySelector('textarea')?.value ?? null`)).toBe('How the report looks');
    await expect.poll(() => field(`document.querySelector('.quick-send .screenshot-tab')?.textContent ?? null`)).toBe('Screenshot of this tab');

    await popup.click('.quick-send .screenshot-tab');
    const attached = () => popup!.evaluate<string[]>(`[...document.querySelectorAll('.quick-send .attached li .name')].map((name) => name.textContent)`);
    await expect.poll(attached).toEqual([expect.stringMatching(/^Quarterly report \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/)]);
    expect(await field(`document.querySelector('.attachments [role=alert]')?.textContent ?? null`)).toBeNull();
    await popup.click('.quick-send button[type=submit]');

    await expect.poll(async () => (await outbox()).find((item) => item.text === 'How the report looks')).toMatchObject({ status: 'sent', verifyAt: null });
    const messages = server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.msg === 'How the report looks');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.files).toEqual([expect.objectContaining({ contentType: 'image/png', originName: expect.stringMatching(/^Quarterly report .+\.png$/) })]);
    const png = server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c).messages.find((stored) => stored.smid === messages[0]!.smid)!.files[0]!.bytes;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(pngSize(png)).toEqual(visible);
  });
});
