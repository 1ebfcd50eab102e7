/**
 * The options page's quiet hours in Chromium: set with the keyboard, saved to sync storage as one
 * item, shown again after a reload, and refused with a message that says what to fix.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtension, type LoadedExtension } from '../../harness/extension';

let extension: LoadedExtension;

beforeAll(async () => {
  extension = await loadExtension();
});
afterAll(async () => {
  await extension?.close();
});

const storedQuietHours = () => extension.inExtension(async () => (await chrome.storage.sync.get('quietHours')).quietHours);
const quietSwitch = (page: Page) => page.getByRole('switch', { name: 'Hold notifications during quiet hours' });
const day = (page: Page, name: string) => page.getByRole('group', { name: 'Starting on' }).getByLabel(name, { exact: true });
const status = (page: Page) => page.locator('#quiet-status');

async function openOptions(): Promise<Page> {
  const page = await extension.openOptions();
  await expect.poll(() => quietSwitch(page).isEnabled()).toBe(true);
  return page;
}

describe('quiet hours in the options page', () => {
  it('are off at first, 20:00 to 08:00 every day once turned on', async () => {
    const page = await openOptions();
    expect(await quietSwitch(page).isChecked()).toBe(false);
    expect(await page.getByLabel('Start time').inputValue()).toBe('20:00');
    expect(await page.getByLabel('End time').inputValue()).toBe('08:00');
    expect(await storedQuietHours()).toBeUndefined();
    await page.close();
  });

  it('are set with the keyboard, saved as one item, and shown again after a reload', async () => {
    const page = await openOptions();
    await quietSwitch(page).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Start time').fill('21:30');
    await page.getByLabel('End time').fill('07:15');
    for (const weekend of ['Saturday', 'Sunday']) {
      await day(page, weekend).focus();
      await page.keyboard.press('Space');
    }
    await page.getByRole('button', { name: 'Set quiet hours' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => status(page).textContent()).toBe('Saved.');
    expect(await storedQuietHours()).toEqual({ enabled: true, start: 21 * 60 + 30, end: 7 * 60 + 15, days: [1, 2, 3, 4, 5] });

    await page.reload();
    await expect.poll(() => quietSwitch(page).isChecked()).toBe(true);
    expect(await page.getByLabel('Start time').inputValue()).toBe('21:30');
    expect(await page.getByLabel('End time').inputValue()).toBe('07:15');
    expect(await day(page, 'Friday').isChecked()).toBe(true);
    expect(await day(page, 'Saturday').isChecked()).toBe(false);
    expect(await day(page, 'Sunday').isChecked()).toBe(false);
    await page.close();
  });

  it('say what to fix, focus it and save nothing when the form is not valid', async () => {
    const saved = await storedQuietHours();
    const page = await openOptions();
    for (const weekday of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await day(page, weekday).uncheck();
    await page.getByRole('button', { name: 'Set quiet hours' }).click();
    await expect.poll(() => status(page).textContent()).toBe('Choose at least one day');
    expect(await page.getByRole('group', { name: 'Starting on' }).getAttribute('aria-invalid')).toBe('true');
    expect(await day(page, 'Monday').evaluate((input) => input === document.activeElement)).toBe(true);

    await day(page, 'Monday').check();
    expect(await status(page).textContent()).toBe('');
    await page.getByLabel('Start time').fill('');
    await page.getByRole('button', { name: 'Set quiet hours' }).click();
    await expect.poll(() => status(page).textContent()).toBe('Enter the time quiet hours start, such as 20:00');
    expect(await page.getByLabel('Start time').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Start time').evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await page.getByLabel('Start time').getAttribute('aria-describedby')).toBe('quiet-status');

    expect(await storedQuietHours()).toEqual(saved);
    await page.close();
  });
});
