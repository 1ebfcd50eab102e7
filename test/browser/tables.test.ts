/**
 * "Save to a table…" through Chromium's real right-click menu (picked on the accessibility bus),
 * against the local server with repeated `tmp` ids and uuids not absorbed: page, link, selection and
 * image each end as exactly one row with the right values, the image byte-exact in its cell; a
 * changed mapping is remembered. The window closes at Save and the outbox delivers the row: a
 * refusal, a lost answer, a failed upload, a stopped worker and a server down end with one row.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { OutboxItem } from '../../src/domain/outbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import { DEMO_TABLES } from '../../server/tables';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { startPageServer, type PageServer } from '../../harness/page-server';

const MENU = ['Send to TimeTonic', 'Save to a table…'];
const BOOK = 'Marketing plan 2027';
const PHOTO = solidPng(80, 60, [0x1c, 0x6e, 0xd9]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const HTML = `<!doctype html>
<title>Field guide to tables</title>
<style>body { font: 20px sans-serif; margin: 40px; } img { width: 80px; height: 60px; display: block; }</style>
<p><span id="text">Rows are records, columns are fields.</span></p>
<p><a href="/chapter-2">Chapter two</a></p>
<img src="/cover.png" alt="Cover">
`;

let server: LocalServer;
let pages: PageServer;
let origin: string;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;
let reading: number;

const today = () => {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { dmy: `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`, iso: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}` };
};

beforeAll(async () => {
  server = await startServer({ seed: 'demo', absorbRepeatedUuid: false, absorbRepeatedTmpId: false });
  pages = await startPageServer((req, res) => {
    if (req.url === '/cover.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(PHOTO);
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML);
  });
  origin = pages.origin;
  reading = server.control.tables(DEMO_TABLES.b_o, DEMO_TABLES.b_c).find((table) => table.name === 'Reading list')!.catId;

  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ nativeMenus: menus });
  await extension.setServer(server.url);
  // A short grace: a try without an answer blocks another for this long.
  await extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 1_500 });
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByLabel('Message').waitFor();
  await popup.close();
  page = await extension.context.newPage();
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await extension?.close();
  await menus?.close();
  await pages?.close();
  await server?.close();
});
beforeEach(async () => {
  server.control.clearFaults();
  server.control.clearLog();
  // The window of the test before took the focus: the menu opens on the page in front.
  await page.bringToFront();
  await page.evaluate(() => getSelection()?.removeAllRanges());
});

const rows = () => server.control.tableRows(reading).filter((row) => row.u_c === 'demo' && row.tmpId !== 'tmp-seed');

/** Opens the window from the menu at `target`, on the demo's Reading list. */
async function openWindow(target: Parameters<NativeMenuEnvironment['pickContextMenuItem']>[1]): Promise<Page> {
  const [window] = await Promise.all([extension.context.waitForEvent('page'), menus.pickContextMenuItem(page, target, MENU)]);
  await window.getByLabel('Book').waitFor();
  if ((await window.getByLabel('Book').inputValue()) !== 'demo/marketing-2027') await window.getByLabel('Book').selectOption({ label: BOOK });
  await expect.poll(() => window.getByLabel('Table').inputValue().catch(() => '')).toBe(String(reading));
  return window;
}

async function saveAndClose(window: Page) {
  await Promise.all([window.waitForEvent('close'), window.getByRole('button', { name: 'Save' }).click()]);
}

/** The saves into a table the outbox holds, oldest first. */
const tableSaves = () =>
  extension.inExtension(async () => (((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]).filter((item) => item.table));

describe('Save to a table', () => {
  it('saves the page: title, address and today in the field’s format; the read-only field shown, not written', async () => {
    const window = await openWindow({ x: 900, y: 300 });
    await expect.poll(() => window.getByLabel('Title').inputValue()).toBe('Field guide to tables');
    expect(await window.getByLabel('Link').inputValue()).toBe(`${origin}/`);
    expect(await window.getByLabel('Added').inputValue()).toBe(today().dmy);
    expect(await window.getByLabel(/Reviewed by/).getAttribute('readonly')).not.toBeNull();
    await saveAndClose(window);
    await expect.poll(() => rows().length).toBe(1);
    expect(rows()[0]!.values).toEqual({ Title: 'Field guide to tables', Link: `${origin}/`, Notes: '', Added: today().dmy, 'Reviewed by': '', Rating: '' });
    await expect.poll(() => extension.inExtension(() => chrome.notifications.getAll())).toHaveProperty(['sent:demo/marketing-2027']);
  });

  it('saves a link: its address in the URL field; the last book and table come preselected', async () => {
    const [window] = await Promise.all([
      extension.context.waitForEvent('page'),
      menus.pickContextMenuItem(page, page.getByRole('link', { name: 'Chapter two' }), MENU),
    ]);
    await expect.poll(() => window.getByLabel('Table').inputValue().catch(() => '')).toBe(String(reading));
    expect(await window.getByLabel('Book').inputValue()).toBe('demo/marketing-2027');
    await expect.poll(() => window.getByLabel('Link').inputValue()).toBe(`${origin}/chapter-2`);
    // Ctrl+Enter saves.
    await Promise.all([window.waitForEvent('close'), window.getByLabel('Title').press('Control+Enter')]);
    await expect.poll(() => rows().length).toBe(2);
    expect(rows()[1]!.values.Link).toBe(`${origin}/chapter-2`);
  });

  it('saves the selection into Notes, and remembers a field the user moved it to', async () => {
    await page.locator('#text').click({ clickCount: 3 });
    const window = await openWindow(page.locator('#text'));
    await expect.poll(() => window.getByLabel('Notes').inputValue()).toBe('Rows are records, columns are fields.');
    // The user wants the selection as the title instead.
    await window.getByLabel('Notes').fill('');
    await window.getByLabel('Title').fill('Rows are records, columns are fields.');
    await saveAndClose(window);
    await expect.poll(() => rows().length).toBe(3);
    expect(rows()[2]!.values).toMatchObject({ Title: 'Rows are records, columns are fields.', Notes: '' });

    await page.bringToFront();
    await page.locator('#text').click({ clickCount: 3 });
    const again = await openWindow(page.locator('#text'));
    await expect.poll(() => again.getByLabel('Title').inputValue()).toBe('Rows are records, columns are fields.');
    expect(await again.getByLabel('Notes').inputValue()).toBe('');
    await again.close();
    await extension.inExtension(() => chrome.storage.local.remove(['tableChoices', 'tableDrafts']));
  });

  it('saves an image into the Picture cell, byte for byte, once', async () => {
    const window = await openWindow(page.getByRole('img', { name: 'Cover' }));
    await expect.poll(() => window.getByLabel('Put the image here').isChecked()).toBe(true);
    await saveAndClose(window);
    await expect.poll(() => rows().at(-1)?.files.Picture?.length ?? 0).toBe(1);
    expect(rows().at(-1)!.files.Picture).toEqual([{ originName: 'cover.png', contentType: 'image/png', size: PHOTO.length, sha256: sha256(PHOTO) }]);
  });

  it('keeps what the user typed when the window closes before saving', async () => {
    const before = rows().length;
    const window = await openWindow({ x: 900, y: 300 });
    await window.getByLabel('Notes').fill('Half-written thought');
    await expect.poll(() => extension.inExtension(async () => JSON.stringify((await chrome.storage.local.get('tableDrafts')).tableDrafts ?? {}))).toContain('Half-written thought');
    await window.close();
    await page.bringToFront();
    const again = await openWindow({ x: 900, y: 300 });
    await expect.poll(() => again.getByLabel('Notes').inputValue()).toBe('Half-written thought');
    expect(rows()).toHaveLength(before);
    await saveAndClose(again);
    await expect.poll(() => rows().length).toBe(before + 1);
    expect(rows().at(-1)!.values.Notes).toBe('Half-written thought');
    // Saved, the draft is gone.
    await expect
      .poll(() => extension.inExtension(async () => JSON.stringify((await chrome.storage.local.get('tableDrafts')).tableDrafts ?? {})))
      .not.toContain('Half-written');
  });

  it('says plainly when a book has no tables', async () => {
    const [window] = await Promise.all([extension.context.waitForEvent('page'), menus.pickContextMenuItem(page, { x: 900, y: 300 }, MENU)]);
    await window.getByLabel('Book').selectOption({ label: 'Support inbox' });
    await expect(window.getByText('This book has no tables. Choose another book.').waitFor()).resolves.toBeUndefined();
    expect(await window.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await window.close();
  });

  it('keeps a refused value with its reason and Discard (no Retry); reopened on the same page, the window has what was typed, and the fix saves once', async () => {
    const before = rows().length;
    const window = await openWindow({ x: 900, y: 300 });
    await window.getByLabel('Added').fill('2026-13-45');
    // The window closes at once: the outbox has the save.
    await saveAndClose(window);
    await expect.poll(async () => (await tableSaves()).at(-1)?.status).toBe('failed');
    expect((await tableSaves()).at(-1)!.reason).toMatch(/"Added" takes a date as DD\/MM\/YYYY/);
    expect(rows()).toHaveLength(before);
    await expect
      .poll(async () => (await extension.inExtension(() => chrome.notifications.getAll())) as Record<string, unknown>)
      .toHaveProperty(['sent:demo/marketing-2027']);

    const popup = await extension.openPopup();
    const failed = popup.locator('.send.failed');
    await expect.poll(() => failed.locator('.send-state').textContent()).toMatch(/"Added" takes a date as DD\/MM\/YYYY/);
    expect(await failed.getByRole('button', { name: 'Discard' }).count()).toBe(1);
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await failed.textContent()).toContain('Fix it in “Save to a table…” on the same page');
    await popup.close();

    await page.bringToFront();
    const again = await openWindow({ x: 900, y: 300 });
    await expect.poll(() => again.getByLabel('Added').inputValue()).toBe('2026-13-45');
    await again.getByLabel('Added').fill(today().dmy);
    await saveAndClose(again);
    await expect.poll(() => rows().length).toBe(before + 1);
    // The fixed save replaced the refused one.
    await expect.poll(async () => (await tableSaves()).filter((item) => item.status !== 'sent')).toEqual([]);
    expect(server.control.log().filter((entry) => entry.req === 'createOrUpdateTableRow').map((entry) => entry.outcome)).toEqual(['nok', 'ok']);
  });

  it('makes one row when the answer to the create is lost after the write, the window closed at once', async () => {
    const before = rows().length;
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'createOrUpdateTableRow' });
    const window = await openWindow({ x: 900, y: 300 });
    await window.getByLabel('Title').fill('Lost answer');
    await saveAndClose(window);
    await expect.poll(async () => (await tableSaves()).at(-1)?.status, { timeout: 15_000 }).toBe('sent');
    expect(rows().filter((row) => row.values.Title === 'Lost answer')).toHaveLength(1);
    expect(rows()).toHaveLength(before + 1);
    // It looked for the row (after the grace delay) rather than creating it again.
    const log = server.control.log();
    const creates = log.filter((entry) => entry.req === 'createOrUpdateTableRow');
    expect(creates).toHaveLength(1);
    expect(log.some((entry) => entry.req === 'getTableValues' && entry.seq > creates[0]!.seq)).toBe(true);
  });

  it('makes one row and one file when the upload into the cell fails with a 500', async () => {
    const before = rows().length;
    server.control.injectFaults({ kind: 'http500', req: 'fileUpload' });
    const window = await openWindow(page.getByRole('img', { name: 'Cover' }));
    await saveAndClose(window);
    await expect.poll(() => rows().at(-1)?.files.Picture?.length ?? 0, { timeout: 15_000 }).toBe(1);
    expect(rows()).toHaveLength(before + 1);
    expect(server.control.log().filter((entry) => entry.req === 'fileUpload').map((entry) => entry.outcome)).toEqual(['http500', 'ok']);
  });

  it('makes one row and one file when the worker stops between the row and its file', async () => {
    const before = rows().length;
    // Held long enough for the worker to be stopped first, and written before the grace delay ends.
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 1_000 });
    const window = await openWindow(page.getByRole('img', { name: 'Cover' }));
    await saveAndClose(window);
    await expect.poll(() => server.control.log().some((entry) => entry.req === 'fileUpload')).toBe(true);
    expect(rows()).toHaveLength(before + 1);
    await extension.stopWorker();
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    await expect.poll(async () => (await tableSaves()).at(-1)?.status, { timeout: 15_000 }).toBe('sent');
    expect(rows()).toHaveLength(before + 1);
    expect(rows().at(-1)!.files.Picture).toHaveLength(1);
    const log = server.control.log();
    expect(log.filter((entry) => entry.req === 'createOrUpdateTableRow')).toHaveLength(1);
    // The new worker did not know the held upload's outcome: it looked into the cell instead of uploading again.
    const uploads = log.filter((entry) => entry.req === 'fileUpload');
    expect(uploads.map((entry) => entry.outcome)).toEqual(['delay']);
    expect(log.some((entry) => entry.req === 'getTableRows' && entry.seq > uploads[0]!.seq)).toBe(true);
  });

  it('waits while the server is down at Save, and saves once when it is back, the window long closed', async () => {
    const before = rows().length;
    const window = await openWindow({ x: 900, y: 300 });
    await window.getByLabel('Title').fill('Saved while offline');
    await server.takeOffline();
    try {
      await saveAndClose(window);
      await expect.poll(async () => (await tableSaves()).at(-1)?.reason ?? null).toMatch(/reach/i);
      expect((await tableSaves()).at(-1)!.status).toBe('pending');
      const notifications = (await extension.inExtension(() => chrome.notifications.getAll())) as Record<string, unknown>;
      expect(notifications).toHaveProperty(['sent:demo/marketing-2027']);
    } finally {
      await server.bringOnline();
    }
    await expect.poll(async () => (await tableSaves()).at(-1)?.status, { timeout: 15_000 }).toBe('sent');
    expect(rows().filter((row) => row.values.Title === 'Saved while offline')).toHaveLength(1);
    expect(rows()).toHaveLength(before + 1);
  });

  it('leaves every field empty and editable in a table it can map nothing of, and saves what is typed', async () => {
    const catId = server.control.addTable({ b_o: 'demo', b_c: 'house-renovation', name: 'Budget', fields: [{ name: 'Amount', type: 'number' }, { name: 'Owner', type: 'text' }, { name: 'Status', type: 'text' }] });
    const [window] = await Promise.all([extension.context.waitForEvent('page'), menus.pickContextMenuItem(page, { x: 900, y: 300 }, MENU)]);
    await window.getByLabel('Book').selectOption({ label: 'House renovation' });
    await expect.poll(() => window.getByLabel('Table').inputValue().catch(() => '')).toBe(String(catId));
    for (const name of ['Amount', 'Owner', 'Status']) {
      expect(await window.getByLabel(name).inputValue()).toBe('');
      expect(await window.getByLabel(name).isEditable()).toBe(true);
    }
    await window.getByLabel('Owner').fill('Dana');
    await saveAndClose(window);
    await expect.poll(() => server.control.tableRows(catId).map((row) => row.values)).toEqual([{ Amount: '', Owner: 'Dana', Status: '' }]);
  });

  it('shows hostile table and field names as text', async () => {
    const hostile = '<img src=x onerror="document.title=\'owned\'">';
    server.control.addTable({ b_o: 'demo', b_c: 'trip-japan', name: hostile, fields: [{ name: hostile, type: 'text' }, { name: 'Name', type: 'text' }] });
    const [window] = await Promise.all([extension.context.waitForEvent('page'), menus.pickContextMenuItem(page, { x: 900, y: 300 }, MENU)]);
    await window.getByLabel('Book').selectOption({ label: 'Trip to Japan' });
    await expect.poll(() => window.locator('#table-table option').allTextContents()).toEqual([hostile]);
    await expect.poll(() => window.locator('.table-field > label').allTextContents()).toEqual([hostile, 'Name']);
    expect(await window.locator('img[src=x]').count()).toBe(0);
    expect(await window.title()).toBe('Save to a table');
    await window.close();
  });
});
