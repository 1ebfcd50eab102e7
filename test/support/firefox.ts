/**
 * Loads the Firefox build (`dist-firefox/`) into Debian's Firefox ESR as a temporary add-on,
 * through puppeteer-core over WebDriver BiDi, and gives tests its pages. Never downloads a browser.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import puppeteer, { type Page } from 'puppeteer-core';
import manifest from '../../manifest.json' with { type: 'json' };

// Firefox's own `browser` global, as code run inside an extension page sees it.
declare const browser: import('webextension-polyfill').Browser;

/** The real binary: `/usr/bin/firefox-esr` is a link to it. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/lib/firefox-esr/firefox-esr';
export const DIST_FIREFOX = resolve(import.meta.dirname, '../../dist-firefox');

/**
 * Firefox gives each install a random UUID for its `moz-extension://` origin; this pref pins it,
 * so that tests know the extension's page addresses before it is installed.
 */
const EXTENSION_UUID = '6f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const OPEN_TIMEOUT_MS = 30_000;

export interface FirefoxExtension {
  /** `moz-extension://<uuid>`: the extension's pages live under it. */
  origin: string;
  /** Opens one of the extension's pages (e.g. `src/popup/index.html`) in a tab. */
  openPage(path: string): Promise<Page>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** The badge text the toolbar button shows now. */
  badgeText(): Promise<string>;
  /** Runs `browser.*` code in an extension page kept open for the purpose; returns its JSON result. */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Points the extension at a server, as the options page would. */
  setServer(url: string): Promise<void>;
  /** Makes the real poll alarm fire now (then every minute, as usual). */
  firePollAlarm(): Promise<void>;
  close(): Promise<void>;
}

export async function loadFirefoxExtension(options: { headless?: boolean } = {}): Promise<FirefoxExtension> {
  await stat(join(DIST_FIREFOX, 'manifest.json')).catch(() => {
    throw new Error(`No build in ${DIST_FIREFOX}: run "npm run build:firefox" first`);
  });
  const instance = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless ?? process.env.TTC_HEADFUL !== '1',
    // Firefox workaround: without it, WebDriver BiDi refuses to navigate to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [manifest.browser_specific_settings.gecko.id]: EXTENSION_UUID }),
    },
  });
  // A temporary add-on, as about:debugging loads one; its manifest's host permissions come granted.
  await instance.installExtension(DIST_FIREFOX);
  const origin = `moz-extension://${EXTENSION_UUID}`;

  const openPage = async (path: string): Promise<Page> => {
    const page = await instance.newPage();
    const url = `${origin}/${path}`;
    // Firefox workaround: BiDi reports no navigation event for an extension page, so `goto` never
    // settles (puppeteer still thinks the tab shows about:blank) and fails only if the navigation is
    // refused. The document itself tells when the page is there.
    let refusal: unknown = null;
    page.goto(url).catch((error: unknown) => (refusal = error));
    const there = () => page.evaluate((expected) => location.href === expected && document.readyState === 'complete', url);
    const deadline = Date.now() + OPEN_TIMEOUT_MS;
    // An evaluation fails while the navigation swaps the document: that counts as not there yet.
    while (!(await there().catch(() => false))) {
      if (refusal) throw refusal;
      if (Date.now() > deadline) throw new Error(`${url} did not open within ${OPEN_TIMEOUT_MS} ms`);
      await delay(50);
    }
    return page;
  };
  // The options page: it only reads storage, so keeping it open changes nothing.
  const harness = await openPage('src/options/index.html');
  const inExtension = async <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
    harness.evaluate(fn as (arg: unknown) => T | Promise<T>, arg);

  return {
    origin,
    openPage,
    openPopup: () => openPage('src/popup/index.html'),
    openOptions: () => openPage('src/options/index.html'),
    badgeText: () => inExtension(() => browser.action.getBadgeText({})),
    inExtension,
    setServer: (url) => inExtension((server) => browser.storage.sync.set({ server }), url),
    firePollAlarm: () => inExtension(() => browser.alarms.create('poll', { delayInMinutes: 0.001, periodInMinutes: 1 })),
    close: () => instance.close(),
  };
}
