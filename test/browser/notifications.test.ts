/**
 * Desktop notifications clicked as on a Linux desktop: Chromium (headful under Xvfb) shows them
 * through a notification server on its private session D-Bus (harness/notification-server.ts),
 * where the test reads their title, message and buttons and clicks them as a user does. A new
 * message from someone else and a row saved into a table each raise one, and a click on the
 * notification or on its button opens the book in the web app; a right-click send's Undo button
 * deletes the message it sent.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { DEMO_TABLES } from '../../server/tables';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { startNotificationServer, type NotificationServer } from '../../harness/notification-server';
import { startPageServer, type PageServer } from '../../harness/page-server';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const MARKETING = { b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027' };
const HTML = '<!doctype html><title>Field guide to tables</title><p style="font: 20px sans-serif; margin: 40px">Rows are records.</p>';

let server: LocalServer;
let pages: PageServer;
let origin: string;
let menus: NativeMenuEnvironment;
let desktop: NotificationServer;
let extension: LoadedExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  pages = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML));
  origin = pages.origin;

  menus = await startNativeMenuEnvironment();
  // Before the browser: Chromium looks for a notification server once, as it starts.
  desktop = await startNotificationServer(menus);
  extension = await loadExtension({ nativeMenus: menus });
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  // The first sync has stored the books: what is posted from now on is news.
  await popup.getByRole('button', { name: new RegExp(`^${SUPPORT.title}`) }).waitFor();
  await popup.close();
});
afterAll(async () => {
  await extension?.close();
  await desktop?.close();
  await menus?.close();
  await pages?.close();
  await server?.close();
});

/** The tab that `click` opens, once it shows `url`. */
async function tabOpenedBy(click: () => Promise<void>, url: string): Promise<Page> {
  const [tab] = await Promise.all([extension.context.waitForEvent('page'), click()]);
  await tab.waitForURL(url);
  return tab;
}

describe('desktop notifications', () => {
  it('shows a new message from someone else; a click on it opens the book and closes it', async () => {
    server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'The customer called back about #4821');
    await extension.firePollAlarm();
    const shown = await desktop.waitForNotification({ title: SUPPORT.title });
    expect(shown).toMatchObject({ message: 'Bob Okafor: The customer called back about #4821', buttons: [] });
    expect(desktop.history()).toEqual([shown]);

    const tab = await tabOpenedBy(() => desktop.clickNotification(shown.id), `${server.url}/live/#book/${SUPPORT.b_o}/${SUPPORT.b_c}`);
    // The extension clears it once the book is open.
    await desktop.waitForClosed(shown.id);
    expect(await extension.inExtension(() => chrome.notifications.getAll())).toEqual({});
    await tab.close();
  });

  it('forgets a notification the user closes on the desktop', async () => {
    server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'Closing the ticket');
    await extension.firePollAlarm();
    const shown = await desktop.waitForNotification({ title: SUPPORT.title, message: 'Bob Okafor: Closing the ticket' });
    expect(await extension.inExtension(() => chrome.notifications.getAll())).toEqual({ [`book:${SUPPORT.b_o}/${SUPPORT.b_c}`]: true });
    await desktop.dismissNotification(shown.id);
    await expect.poll(() => extension.inExtension(() => chrome.notifications.getAll())).toEqual({});
    expect(desktop.notifications()).toEqual([]);
  });

  it('shows a right-click send with an Undo button, which deletes the message and says so', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${origin}/undo`);
    await menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', SUPPORT.title]);
    const sent = await desktop.waitForNotification({ title: `Sent to ${SUPPORT.title}`, button: 'Undo' });
    expect(sent.message).toBe('Field guide to tables');
    const [message] = server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((candidate) => candidate.msg.includes(`${origin}/undo`));
    expect(message).toBeDefined();

    await desktop.clickButton(sent.id, 'Undo');
    const deleted = await desktop.waitForNotification({ title: `Deleted from ${SUPPORT.title}` });
    expect(deleted.buttons).toEqual([]);
    expect(server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((candidate) => candidate.msg.includes(`${origin}/undo`))).toEqual([]);
    const written = server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c).messages.filter((candidate) => candidate.smid === message!.smid);
    expect(written.map((candidate) => candidate.del)).toEqual([true]);
    await page.close();
  });

  it('shows a row saved into a table with its button, which opens the book', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${origin}/`);
    const [window] = await Promise.all([
      extension.context.waitForEvent('page'),
      menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', 'Save to a table…']),
    ]);
    const book = window.getByLabel('Book');
    await book.waitFor();
    if ((await book.inputValue()) !== `${MARKETING.b_o}/${MARKETING.b_c}`) await book.selectOption({ label: MARKETING.title });
    const reading = server.control.tables(DEMO_TABLES.b_o, DEMO_TABLES.b_c).find((table) => table.name === 'Reading list')!.catId;
    await expect.poll(() => window.getByLabel('Table').inputValue().catch(() => '')).toBe(String(reading));
    await Promise.all([window.waitForEvent('close'), window.getByRole('button', { name: 'Save' }).click()]);

    const shown = await desktop.waitForNotification({ title: `Saved to Reading list in ${MARKETING.title}` });
    expect(shown.message).toBe('Click to open it in TimeTonic.');
    expect(shown.buttons).toContain('Open in TimeTonic');
    const tab = await tabOpenedBy(() => desktop.clickButton(shown.id, 'Open in TimeTonic'), `${server.url}/live/#book/${MARKETING.b_o}/${MARKETING.b_c}`);
    await desktop.waitForClosed(shown.id);
    await tab.close();
    await page.close();
  });
});
