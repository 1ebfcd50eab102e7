/**
 * Loads the built extension (`dist/`), or another unpacked one, into Debian's Chromium through
 * playwright-core, and gives tests its service worker, its id and its pages. Never downloads a browser.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { NATIVE_MENU_CHROMIUM_FLAGS, type NativeMenuEnvironment } from './native-menu';

/** The real binary: `/usr/bin/chromium` is Debian's wrapper script around it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const DIST = resolve(import.meta.dirname, '../dist');

/**
 * Flags that keep Chromium from reaching out to the network on its own (this machine has none)
 * and from showing first-run UI.
 */
export const QUIET_CHROMIUM_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

/** The tab the extension opens by itself when it is installed. */
export const WELCOME_PAGE = 'src/welcome/index.html';

export interface LoadedExtension {
  context: BrowserContext;
  id: string;
  /** The welcome tab the install opened, with `keepWelcome`; else it was closed (or, with `profile`, left to the test), and this is null. */
  welcome: Page | null;
  /** The extension's service worker as it is now (it may be restarted: see `restartWorker`). */
  worker(): Promise<Worker>;
  /** Opens one of the extension's pages (e.g. `src/popup/index.html`) in a tab. */
  openPage(path: string): Promise<Page>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** The badge text the toolbar button shows now. */
  badgeText(): Promise<string>;
  /** Runs code in the service worker and returns its JSON result. */
  inWorker<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /**
   * Runs `chrome.*` code in an extension page kept open for the purpose. Unlike `inWorker`, this
   * works across worker restarts: Playwright loses track of a worker that was stopped and started.
   */
  inExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Points the extension at a server, as the options page would. */
  setServer(url: string): Promise<void>;
  /** Makes the real poll alarm fire now (then every minute, as usual). */
  firePollAlarm(): Promise<void>;
  /** Stops the service worker, as the browser does when it is idle. */
  stopWorker(): Promise<void>;
  /** Everything in every storage area, as JSON text. */
  storageDump(): Promise<string>;
  close(): Promise<void>;
}

export interface LoadOptions {
  headless?: boolean;
  /**
   * Runs Chromium headful on this environment's display with its menus on the accessibility bus,
   * for `nativeMenus.pickContextMenuItem` (see native-menu.ts). Overrides `headless`.
   */
  nativeMenus?: NativeMenuEnvironment;
  /** The browser's language, such as `fr`: what `chrome.i18n` answers in and what the extension speaks. */
  lang?: string;
  /** Other unpacked extensions (their folders) loaded beside ours. */
  alsoLoad?: readonly string[];
  /** An unpacked extension other than `dist/` (a copy a test changes, say). */
  path?: string;
  /** One window at the top left of the screen, this size, its page as large as the window leaves it (headful). */
  window?: { width: number; height: number };
  /** A browser profile to use and keep (one used before, say); by default a fresh one, removed on close. */
  profile?: string;
  /** Keep the welcome tab the install opens; by default it is closed once it shows, so that it stays out of the tests' way. */
  keepWelcome?: boolean;
}

/** Chromium's id of an unpacked extension: the SHA-256 of its folder's path, its first 32 hex digits spelled a to p. */
export function unpackedExtensionId(folder: string): string {
  const hex = createHash('sha256').update(resolve(folder)).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('');
}

export async function loadExtension(options: LoadOptions = {}): Promise<LoadedExtension> {
  const { nativeMenus, lang, path = DIST } = options;
  await stat(join(path, 'manifest.json')).catch(() => {
    throw new Error(`No build in ${path}: run "npm run build" first`);
  });
  const folders = [path, ...(options.alsoLoad ?? [])].join(',');
  const headless = nativeMenus ? false : (options.headless ?? process.env.TTC_HEADFUL !== '1');
  const userDataDir = options.profile ?? (await mkdtemp(join(tmpdir(), 'ttc-profile-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless,
    // --lang picks the extension's messages; Playwright's locale is what pages and getUILanguage() see (else en-US).
    ...(lang ? { locale: lang } : {}),
    ...(options.window ? { viewport: null } : {}),
    // Playwright turns extensions off by default.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      ...QUIET_CHROMIUM_FLAGS,
      ...(nativeMenus ? NATIVE_MENU_CHROMIUM_FLAGS : []),
      ...(lang ? [`--lang=${lang}`] : []),
      ...(options.window ? ['--window-position=0,0', `--window-size=${options.window.width},${options.window.height}`] : []),
      `--disable-extensions-except=${folders}`,
      `--load-extension=${folders}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
    env: nativeMenus && { ...process.env, ...nativeMenus.env },
  });

  const id = unpackedExtensionId(path);
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${id}/`);
  const worker = async (): Promise<Worker> =>
    context.serviceWorkers().find(ours) ?? context.waitForEvent('serviceworker', { predicate: ours, timeout: 30_000 });
  await worker();
  // A fresh profile means an install, which opens the welcome tab; a profile given is the test's to watch.
  const welcome = options.profile ? null : await welcomeTab(context, id);
  if (!options.keepWelcome) await welcome?.close();

  const openPage = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/${path}`);
    return page;
  };
  const inWorker = async <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
    (await worker()).evaluate(fn as (arg: unknown) => T | Promise<T>, arg);
  // The options page: it only reads storage, so keeping it open changes nothing.
  const harness = await openPage('src/options/index.html');
  const inExtension = async <T, A>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
    harness.evaluate(fn as (arg: unknown) => T | Promise<T>, arg);

  const stopWorker = async (): Promise<void> => {
    const cdp = await context.newCDPSession(harness);
    await cdp.send('ServiceWorker.enable');
    const stopped = new Promise<void>((resolveStopped) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        const ours = versions.filter((v) => v.scriptURL.startsWith(`chrome-extension://${id}/`));
        if (ours.length > 0 && ours.every((v) => v.runningStatus === 'stopped')) resolveStopped();
      });
    });
    // Target.closeTarget answers success but leaves an extension's worker running; this stops it.
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    await cdp.detach();
  };

  return {
    context,
    id,
    welcome: options.keepWelcome ? welcome : null,
    worker,
    openPage,
    openPopup: () => openPage('src/popup/index.html'),
    openOptions: () => openPage('src/options/index.html'),
    badgeText: () => inExtension(() => chrome.action.getBadgeText({})),
    inWorker,
    inExtension,
    setServer: (url) => inExtension((server) => chrome.storage.sync.set({ server }), url),
    // An unpacked extension's alarms may fire sooner than the 30 s minimum of a packed one.
    firePollAlarm: () => inExtension(() => chrome.alarms.create('poll', { delayInMinutes: 0.001, periodInMinutes: 1 })),
    stopWorker,
    storageDump: () =>
      inExtension(async () =>
        JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.sync.get(null), await chrome.storage.session.get(null)]),
      ),
    async close() {
      await context.close();
      if (!options.profile) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Fills the popup's (or the welcome tab's) English sign-in form and presses Sign in, as a user does. */
export async function signInThroughPopup(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The welcome tab of the extension `id`, open already or opening within `timeout`. */
export function welcomeTab(context: BrowserContext, id: string, timeout = 10_000): Promise<Page> {
  const url = `chrome-extension://${id}/${WELCOME_PAGE}`;
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      context.off('page', onPage);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`No welcome tab within ${timeout} ms (${url})`));
    }, timeout);
    // A tab may show about:blank before it navigates to the page.
    const onPage = (page: Page) =>
      void page.waitForURL(url, { timeout }).then(
        () => {
          done();
          resolve(page);
        },
        () => {},
      );
    context.on('page', onPage);
    context.pages().forEach(onPage);
  });
}
