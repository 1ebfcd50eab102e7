/**
 * Loads the Firefox build (`dist-firefox/`) into Debian's Firefox ESR as a temporary add-on,
 * through puppeteer-core over WebDriver BiDi, and gives tests its pages. Never downloads a browser.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
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
const MENU_TIMEOUT_MS = 10_000;

/**
 * The form field that the `<label>` with this text names. Not `::-p-aria(Login)`: Firefox's
 * accessibility tree gives the label itself that name too, and it comes first.
 */
export const labelled = (text: string) => `::-p-xpath(//*[@id = //label[normalize-space() = "${text}"]/@for])`;
export const button = (name: string) => `::-p-aria([name="${name}"][role="button"])`;

/** Signs in through the popup's form. */
export async function signIn(popup: Page, login: string, password: string): Promise<void> {
  await popup.locator(labelled('Login')).fill(login);
  await popup.locator(labelled('Password')).fill(password);
  await popup.locator(button('Sign in')).click();
}

export interface FirefoxExtension {
  /** `moz-extension://<uuid>`: the extension's pages live under it. */
  origin: string;
  /** Opens one of the extension's pages (e.g. `src/popup/index.html`) in a tab. */
  openPage(path: string): Promise<Page>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** The tab showing one of the extension's pages that the extension opened itself, once it is there. */
  findPage(path: string, timeoutMs?: number): Promise<Page>;
  /** Opens a web page in a new tab. */
  openTab(url: string): Promise<Page>;
  /**
   * Right-clicks `target` (a point in the page's viewport, or the element a selector finds) with
   * the mouse, then picks `path` in Firefox's own context menu that opens: each label but the last
   * opens a submenu, the last is activated. Resolves once the menu has closed. Rejects, naming the
   * items it saw, when an item does not show up within `timeoutMs`; the menu is closed then too.
   */
  pickContextMenuItem(page: Page, target: { x: number; y: number } | string, path: readonly string[], timeoutMs?: number): Promise<void>;
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

export async function loadFirefoxExtension(options: { headless?: boolean; prefs?: Record<string, string | number | boolean> } = {}): Promise<FirefoxExtension> {
  await stat(join(DIST_FIREFOX, 'manifest.json')).catch(() => {
    throw new Error(`No build in ${DIST_FIREFOX}: run "npm run build:firefox" first`);
  });
  const instance = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: options.headless ?? process.env.TTC_HEADFUL !== '1',
    // Firefox workaround: without it, WebDriver BiDi refuses to navigate to moz-extension:// pages,
    // and keeps the browser windows' own documents (the context menu) out of reach.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [manifest.browser_specific_settings.gecko.id]: EXTENSION_UUID }),
      ...options.prefs,
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
    findPage: async (path, timeoutMs = OPEN_TIMEOUT_MS) => {
      const url = `${origin}/${path}`;
      // As in openPage: only the document knows where a tab is (BiDi reports no navigation to an extension page).
      const at = (page: Page) => page.evaluate(() => location.href).catch(() => '');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pages = await instance.pages();
        const hrefs = await Promise.all(pages.map(at));
        const found = pages[hrefs.indexOf(url)];
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No tab showed ${url} within ${timeoutMs} ms`);
        await delay(50);
      }
    },
    openTab: async (url) => {
      const page = await instance.newPage();
      await page.goto(url);
      return page;
    },
    pickContextMenuItem: (page, target, path, timeoutMs = MENU_TIMEOUT_MS) => pickContextMenuItem(bidiOf(instance), page, target, path, timeoutMs),
    badgeText: () => inExtension(() => browser.action.getBadgeText({})),
    inExtension,
    setServer: (url) => inExtension((server) => browser.storage.sync.set({ server }), url),
    firePollAlarm: () => inExtension(() => browser.alarms.create('poll', { delayInMinutes: 0.001, periodInMinutes: 1 })),
    close: () => instance.close(),
  };
}

/** The raw WebDriver BiDi commands used to reach Firefox's own windows. */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/**
 * puppeteer-core 24 keeps its WebDriver BiDi connection on the Browser as `connection`, a getter
 * marked internal (not in the typings): commands puppeteer has no API for go through it.
 */
function bidiOf(instance: Browser): BidiConnection {
  const connection = (instance as Browser & { connection?: Partial<BidiConnection> }).connection;
  if (typeof connection?.send !== 'function') {
    throw new Error('puppeteer-core no longer exposes its WebDriver BiDi connection as Browser.connection');
  }
  return connection as BidiConnection;
}

/** What `lookAtContextMenu` reports, as JSON. */
type MenuLook = { state: 'closed' | 'open' | 'activated'; seen: string[] };
/** Take the next step along the path, only report whether the menu is open, or close it. */
type MenuAction = 'pick' | 'watch' | 'close';

/**
 * One look at the content area context menu of a browser window, run in that window's chrome
 * document: it opens the next submenu of `path` or activates its last item, as far as the menu is
 * built. Self-contained: it is sent as source text.
 */
function lookAtContextMenu(path: string[], action: MenuAction): string {
  interface XulPopup extends Element {
    state: string;
    activateItem(item: Element): void;
    hidePopup(): void;
  }
  interface XulItem extends Element {
    label: string;
    hidden: boolean;
    menupopup?: XulPopup;
    openMenu(open: boolean): void;
  }
  const answer = (state: string, seen: string[] = []) => JSON.stringify({ state, seen });
  const root = document.getElementById('contentAreaContextMenu') as XulPopup | null;
  if (!root || root.state === 'closed') return answer('closed');
  if (action === 'close') root.hidePopup();
  // Firefox adds the WebExtension items while the popup is 'showing'.
  if (action !== 'pick' || root.state !== 'open') return answer('open');
  let popup = root;
  for (const [depth, label] of path.entries()) {
    const items = [...popup.children].filter((element): element is XulItem => ['menu', 'menuitem'].includes(element.localName) && !(element as XulItem).hidden);
    const seen = items.map((item) => item.label);
    const item = items.find((candidate) => candidate.label === label);
    if (!item) return answer('open', seen);
    if (depth === path.length - 1) {
      popup.activateItem(item);
      return answer('activated', seen);
    }
    if (!item.menupopup) return answer('open', seen);
    if (item.menupopup.state !== 'open') {
      item.openMenu(true);
      return answer('open', seen);
    }
    popup = item.menupopup;
  }
  return answer('open');
}

/**
 * Firefox's context menu is XUL in the browser window, which content automation cannot see. Over
 * WebDriver BiDi, `browsingContext.getTree` with `moz:scope: 'chrome'` lists the browser windows'
 * own documents (Firefox workaround: needs `--remote-allow-system-access`), and `script.callFunction`
 * runs code there, where the menu's items can be activated as a click on them would be.
 */
async function pickContextMenuItem(
  bidi: BidiConnection,
  page: Page,
  target: { x: number; y: number } | string,
  path: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const windowId = await page.windowId();
  const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
  const chromeContext = (tree as { contexts: { context: string; clientWindow: string }[] }).contexts.find((context) => context.clientWindow === windowId);
  if (!chromeContext) throw new Error(`No browser window ${windowId} among the chrome contexts`);
  const look = async (action: MenuAction): Promise<MenuLook> => {
    const { result } = await bidi.send('script.callFunction', {
      functionDeclaration: String(lookAtContextMenu),
      arguments: [{ type: 'array', value: path.map((label) => ({ type: 'string', value: label })) }, { type: 'string', value: action }],
      target: { context: chromeContext.context },
      awaitPromise: false,
      resultOwnership: 'none',
    });
    const evaluated = result as { type: 'success'; result: { value: string } } | { type: 'exception'; exceptionDetails: { text: string } };
    if (evaluated.type === 'exception') throw new Error(`Looking at the context menu failed: ${evaluated.exceptionDetails.text}`);
    return JSON.parse(evaluated.result.value) as MenuLook;
  };
  /** Looks again and again, doing `action`, until `done` or the time is up. */
  const until = async (action: MenuAction, done: (found: MenuLook) => boolean): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (!done(await look(action))) {
      if (Date.now() > deadline) return false;
      await delay(50);
    }
    return true;
  };

  await page.bringToFront();
  if (typeof target === 'string') await page.locator(target).click({ button: 'right' });
  else await page.mouse.click(target.x, target.y, { button: 'right' });
  let seen: string[] = [];
  const picked = await until('pick', (found) => {
    seen = found.seen;
    return found.state === 'activated';
  });
  if (!picked) {
    await until('close', (found) => found.state === 'closed');
    throw new Error(`Could not pick ${path.join(' > ')} in the context menu (seen: ${seen.map((label) => `'${label}'`).join(', ') || 'no menu open'})`);
  }
  // activateItem runs the item's command and closes the menu, both asynchronously.
  if (!(await until('watch', (found) => found.state === 'closed'))) throw new Error('The context menu did not close after its item was picked');
}
