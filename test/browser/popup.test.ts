/**
 * The popup in Chromium against the local server: the list from the cache in the first frame, the
 * book view with the server's messages, paging back, finding a book, the keyboard path, and text
 * from the server that never runs as code.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';

/** Each sets `window.pwned` if it ever runs. */
const HOSTILE = {
  title: '<img src=x onerror="window.pwned=1"> Hostile <script>window.pwned=2</script>',
  firstName: '<script>window.pwned=3</script>',
  lastName: '<img src=x onerror="window.pwned=4">',
  message: '<img src=x onerror="window.pwned=5"><b>bold</b><script>window.pwned=6</script>',
};
const LONG_THREAD = { b_o: 'bob', b_c: 'long-thread', title: 'Long thread' };

let server: LocalServer;
let extension: LoadedExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  // Without the message socket, the popup asks for a poll as it opens, as these tests expect.
  server.control.socket.refuseFor(24 * 3600_000);
  const { control } = server;
  control.addBook({ b_o: 'bob', b_c: 'equipe', title: 'Équipe café', members: [{ u_c: 'demo' }] });
  control.addBook({ ...LONG_THREAD, members: [{ u_c: 'demo' }] });
  for (let i = 1; i <= 45; i++) control.postAs('bob', LONG_THREAD.b_o, LONG_THREAD.b_c, `Note ${i}`);
  control.addBook({ b_o: 'carla', b_c: 'hostile', title: HOSTILE.title, members: [{ u_c: 'demo' }] });
  const carla = control.state.findUser('carla')!;
  carla.firstName = HOSTILE.firstName;
  carla.lastName = HOSTILE.lastName;
  control.postAs('carla', 'carla', 'hostile', HOSTILE.message);
  // A document, beside the seeded image of this book.
  const { message } = control.state.postMessage('carla', 'demo', 'house-renovation', { msg: 'The quote', nbDocs: 1 });
  control.state.attachFile('carla', 'demo', 'house-renovation', message.smid, {
    uuid: 'quote-file',
    originName: 'quote 2026.pdf',
    contentType: 'application/pdf',
    bytes: Buffer.from('%PDF-1.4 a quote'),
  });

  extension = await loadExtension();
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByRole('button', { name: /^Support inbox/ }).waitFor();
  await popup.close();
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const bookTitles = (popup: Page) => popup.locator('.book-title').allTextContents();
const messageTexts = (popup: Page) => popup.getByRole('list', { name: 'Messages' }).locator('.message-text').allTextContents();
const focused = (popup: Page) => popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

async function openBook(title: string | RegExp): Promise<Page> {
  const popup = await extension.openPopup();
  await popup.getByRole('button', { name: title }).click();
  await popup.getByRole('list', { name: 'Messages' }).waitFor();
  return popup;
}

describe('the popup', () => {
  it('draws the cached list in its first frame, while TimeTonic answers 3 s late', async () => {
    server.control.injectFaults({ kind: 'delay', req: 'getAllBooks', delayMs: 3_000 });
    const popup = await extension.openPopup();
    // Drawn by the first render after the storage read: no request had to come back for it.
    await expect.poll(() => popup.evaluate(() => performance.getEntriesByName('books-rendered').length)).toBe(1);
    expect(await bookTitles(popup)).toContain('Support inbox');
    expect(await popup.getByRole('status').filter({ hasText: 'Checking…' }).isVisible()).toBe(true);
    expect(await popup.getByText('Loading').count()).toBe(0);
    await expect.poll(() => popup.getByText('Up to date').isVisible(), { timeout: 10_000 }).toBe(true);
    await popup.close();
  });

  it('shows the server’s messages in a book, newest first, with thumbnails and document links', async () => {
    const popup = await openBook(/^House renovation/);
    const onServer = server.control.messages('demo', 'house-renovation').map((m) => m.msg).reverse();
    await expect.poll(() => messageTexts(popup)).toEqual(onServer);
    const senders = await popup.locator('.message .sender').allTextContents();
    expect(senders.slice(0, 3)).toEqual([`${HOSTILE.firstName} ${HOSTILE.lastName}`, 'You', `${HOSTILE.firstName} ${HOSTILE.lastName}`]);

    const thumbnail = popup.getByRole('img', { name: 'paint-sample.png' });
    expect(await thumbnail.getAttribute('src')).toBe(`${server.url}/live/dbi/in/tb/pNtSmPl16a.png/paint-sample.png`);
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(16);
    const quote = popup.getByRole('link', { name: 'quote 2026.pdf' });
    const href = (await quote.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${server.url}/live/dbi/odn/full/[^/]+/quote%202026\\.pdf$`));
    const file = await fetch(href);
    expect([file.status, await file.text()]).toEqual([200, '%PDF-1.4 a quote']);
    // No key in any address the page holds.
    expect(await popup.content()).not.toMatch(/sesskey|oauthkey/);
    await popup.close();
  });

  it('pages further back with "Load older" until the book starts', async () => {
    const popup = await openBook(/^Long thread/);
    await expect.poll(async () => (await messageTexts(popup)).length).toBe(20);
    expect((await messageTexts(popup))[0]).toBe('Note 45');
    await popup.getByRole('button', { name: 'Load older' }).click();
    await expect.poll(async () => (await messageTexts(popup)).length).toBe(40);
    await popup.getByRole('button', { name: 'Load older' }).click();
    await expect.poll(() => popup.getByText('The book starts here.').isVisible()).toBe(true);
    expect(await messageTexts(popup)).toEqual(Array.from({ length: 45 }, (_, i) => `Note ${45 - i}`));
    const olderFetches = server.control.log().filter((entry) => entry.req === 'getBookMessages' && entry.params.smidLast);
    expect(olderFetches).toHaveLength(2);
    await popup.close();
  });

  it('shows a book read before at once, then refreshes it', async () => {
    server.control.injectFaults({ kind: 'delay', req: 'getBookMessages', delayMs: 3_000 });
    server.control.postAs('bob', LONG_THREAD.b_o, LONG_THREAD.b_c, 'Note 46');
    const popup = await extension.openPopup();
    await popup.getByRole('button', { name: /^Long thread/ }).click();
    // From the cache, long before the server answers.
    await expect.poll(async () => (await messageTexts(popup)).length, { timeout: 1_000 }).toBeGreaterThanOrEqual(45);
    expect(await popup.getByText('Updating…').isVisible()).toBe(true);
    await expect.poll(async () => (await messageTexts(popup))[0], { timeout: 10_000 }).toBe('Note 46');
    await popup.close();
  });

  it('narrows the list as one types, accents and case aside, archived books on request', async () => {
    const popup = await extension.openPopup();
    const find = popup.getByRole('searchbox', { name: 'Find a book' });
    await find.fill('EQUIPE cafe');
    await expect.poll(() => bookTitles(popup)).toEqual(['Équipe café']);
    await find.fill('lisbon');
    await expect.poll(() => bookTitles(popup)).toEqual(['Team offsite – Lisbon']);
    await find.fill('invoices');
    await expect.poll(() => bookTitles(popup)).toEqual([]);
    await popup.getByRole('checkbox', { name: 'Show archived' }).check();
    await expect.poll(() => bookTitles(popup)).toEqual(['Invoices Q3']);
    await popup.close();
  });

  it('goes all the way by keyboard: find, open, write, send, back', async () => {
    const popup = await extension.openPopup();
    await popup.getByRole('searchbox', { name: 'Find a book' }).waitFor();
    expect(await focused(popup)).toBe('Find a book');
    await popup.keyboard.type('supp');
    await expect.poll(() => bookTitles(popup)).toEqual(['Support inbox']);
    await popup.keyboard.press('ArrowDown');
    expect(await focused(popup)).toMatch(/^Support inbox/);
    // The focus can be seen.
    expect(await popup.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    // A letter typed in the list goes on in the field.
    await popup.keyboard.type('o');
    expect(await popup.getByRole('searchbox', { name: 'Find a book' }).inputValue()).toBe('suppo');
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('Enter');
    await popup.getByRole('heading', { name: 'Support inbox' }).waitFor();
    expect(await focused(popup)).toBe('');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('send-text');

    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 1_500 });
    await popup.keyboard.type('Sent by keyboard');
    await popup.keyboard.press('Control+Enter');
    const line = popup.getByRole('list', { name: 'Messages' }).getByRole('listitem').first();
    await expect.poll(() => line.textContent()).toContain('Sent by keyboard');
    expect(await line.getByRole('status').textContent()).toBe('Sending…');
    await expect.poll(() => server.control.messages('alice', 'support-inbox').some((m) => m.msg === 'Sent by keyboard')).toBe(true);
    // Delivered and fetched: a message like the others, once.
    await expect.poll(() => line.getByRole('status').count(), { timeout: 20_000 }).toBe(0);
    expect((await messageTexts(popup)).filter((text) => text === 'Sent by keyboard')).toHaveLength(1);

    await popup.keyboard.press('Escape');
    await popup.getByRole('searchbox', { name: 'Find a book' }).waitFor();
    await expect.poll(() => focused(popup)).toMatch(/^Support inbox/);
    await popup.keyboard.press('Escape');
    expect(await focused(popup)).toBe('Find a book');
    await popup.keyboard.press('Escape');
    expect(await popup.getByRole('searchbox', { name: 'Find a book' }).inputValue()).toBe('');
    await popup.close();
  });

  it('shows a title, a sender’s name and a message holding HTML as text, and runs none of it', async () => {
    const popup = await extension.openPopup();
    const book = popup.locator('.book-open', { hasText: 'Hostile' });
    expect(await book.locator('.book-title').textContent()).toBe(HOSTILE.title);
    await book.click();
    await popup.getByRole('list', { name: 'Messages' }).waitFor();
    expect(await popup.getByRole('heading', { level: 2 }).textContent()).toBe(HOSTILE.title);
    await expect.poll(() => messageTexts(popup)).toEqual([HOSTILE.message]);
    expect(await popup.locator('.message .sender').textContent()).toBe(`${HOSTILE.firstName} ${HOSTILE.lastName}`);
    expect(await popup.locator('main img, main script, main b').count()).toBe(0);
    expect(await popup.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await popup.close();
  });
});
