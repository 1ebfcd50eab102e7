/**
 * The popup's book list for an account of hundreds of books, in Chromium with real layout: only
 * the rows in view are drawn, and scrolling, the keyboard and Find a book reach every book.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';

const BOOKS = 400;

let server: LocalServer;
let extension: LoadedExtension;
let popup: Page;

beforeAll(async () => {
  server = await startServer({ seed: 'empty', generated: { books: BOOKS, messages: 2 * BOOKS } });
  extension = await loadExtension();
  await extension.setServer(server.url);
  popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.locator('.book-open').first().waitFor();
  await popup.reload();
  await popup.locator('.book-open').first().waitFor();
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const drawn = () => popup.locator('.book-open').count();
const list = () => popup.locator('ul.books');
const lastDrawn = async () => (await popup.locator('.book').last().getAttribute('aria-posinset')) === String(BOOKS);

describe('a long book list', () => {
  it('opens from its first screenful; the Book choice lists every book once reached, by keyboard too', async () => {
    const stored = await popup.evaluate(async () => (await chrome.storage.local.get('firstScreen')).firstScreen as { books: object; totals: { accepted: number; archived: number } });
    expect(Object.keys(stored.books).length).toBeLessThan(40);
    expect(stored.totals.accepted - stored.totals.archived).toBe(BOOKS);
    const choice = popup.getByRole('combobox', { name: 'Book' });
    expect(await choice.locator('option').count()).toBe(1);
    const chosen = await choice.inputValue();
    await popup.getByLabel('Message').focus();
    await popup.keyboard.press('Shift+Tab');
    await expect.poll(() => choice.locator('option').count()).toBeGreaterThan(BOOKS / 2);
    await popup.keyboard.press('ArrowDown');
    await expect.poll(() => choice.inputValue()).not.toBe(chosen);
  });

  it('draws the rows in view, and the others as it scrolls', async () => {
    await expect.poll(drawn).toBeLessThan(40);
    expect(await popup.locator('.book').first().getAttribute('aria-setsize')).toBe(String(BOOKS));
    await list().evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(lastDrawn).toBe(true);
    expect(await drawn()).toBeLessThan(40);
    const last = popup.locator('.book').last();
    const [row, box] = await Promise.all([last.boundingBox(), list().boundingBox()]);
    expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    await list().evaluate((element) => (element.scrollTop = 0));
    await expect.poll(() => popup.locator('.book').first().getAttribute('aria-posinset')).toBe('1');
  });

  it('goes to the last book with End and back with Home, in view each time', async () => {
    await popup.getByRole('searchbox', { name: 'Find a book' }).press('ArrowDown');
    await popup.keyboard.press('End');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe(String(BOOKS));
    const focused = popup.locator('.book-open:focus');
    const [row, box] = await Promise.all([focused.boundingBox(), list().boundingBox()]);
    expect(row!.y).toBeGreaterThanOrEqual(box!.y - 1);
    expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    await popup.keyboard.press('Home');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('1');
  });

  it('finds a book far down the list, and opens it', async () => {
    const title = [...server.control.state.books.values()].find((book) => book.b_c === `generated-${BOOKS - 1}`)!.title;
    await popup.getByRole('searchbox', { name: 'Find a book' }).fill(title);
    await expect.poll(() => popup.locator('.book-title').allTextContents()).toEqual([title]);
    await popup.getByRole('searchbox', { name: 'Find a book' }).press('Enter');
    await expect.poll(() => popup.getByRole('heading', { level: 2 }).textContent()).toBe(title);
  });
});
