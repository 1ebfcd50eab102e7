/**
 * The first run in Firefox: installing the add-on opens the welcome tab by itself, where signing
 * in turns the badge on and the page tells where Firefox changes the shortcut.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { button, labelled, loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';

let server: LocalServer;
let extension: FirefoxExtension;
let welcome: Page;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  extension = await loadFirefoxExtension();
});
afterAll(async () => {
  await extension?.close();
  await server?.close();
});

const text = (selector: string) => welcome.$eval(selector, (element) => element.textContent ?? '');

describe('installing the add-on', () => {
  it('opens the welcome tab by itself, with the sign-in form', async () => {
    welcome = await extension.findPage('src/welcome/index.html', 10_000);
    // The options tab the harness opened afterwards is in front; clicks go to the tab in front.
    await welcome.bringToFront();
    await expect.poll(() => welcome.title()).toBe('Welcome to TimeTonic Companion');
    expect(await text('header')).toContain('Your TimeTonic books, one click away in the browser toolbar.');
    expect(await welcome.$(labelled('Login'))).not.toBeNull();
    // Firefox's picture first, in Firefox.
    expect(await welcome.$$eval('figcaption', (captions) => captions.map((caption) => caption.textContent))).toEqual([
      expect.stringMatching(/^In Firefox/),
      expect.stringMatching(/^In Chrome/),
    ]);
  });

  it('signs in there, on the server chosen under "Another TimeTonic server?", and the badge comes on', async () => {
    await welcome.locator('summary').click();
    await welcome.locator(labelled('TimeTonic server')).fill(server.url);
    await welcome.locator(button('Save')).click();
    await expect.poll(() => text('#server-status')).toBe('Saved.');
    await signIn(welcome, 'demo', 'demo');
    await expect.poll(() => welcome.$('.done').then((done) => done !== null)).toBe(true);
    await expect.poll(() => extension.badgeText()).toBe(String(server.control.unreadTotal('demo')));
    expect(await text('.done')).toContain('To change it, open about:addons');
  });
});
