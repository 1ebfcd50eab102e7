/**
 * The first run in Chromium: installing the extension into a fresh profile opens the welcome tab by
 * itself, where the user picks a server, signs in and sees the badge come on; an update opens nothing.
 */
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { CHROMIUM_PATH, DIST, type LoadedExtension, loadExtension, QUIET_CHROMIUM_FLAGS, signInThroughPopup, WELCOME_PAGE, welcomeTab } from '../../harness/extension';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(async () => {
  await server?.close();
});

describe('installing the extension', () => {
  let extension: LoadedExtension;
  let welcome: Page;

  beforeAll(async () => {
    // loadExtension waits a few seconds at most for the tab the install opens.
    extension = await loadExtension({ keepWelcome: true });
    welcome = extension.welcome!;
  });
  afterAll(async () => {
    await extension?.close();
  });

  it('opens the welcome tab by itself: what the extension does, the sign-in form, how to pin the button', async () => {
    await expect.poll(() => welcome.title()).toBe('Welcome to TimeTonic Companion');
    await welcome.getByRole('heading', { name: 'Welcome to TimeTonic Companion' }).waitFor();
    expect(await welcome.locator('header p').allTextContents()).toEqual([
      'Your TimeTonic books, one click away in the browser toolbar.',
      'A badge counts your unread messages, and a notification tells you who wrote in which book.',
      'Send a message, a page, a link, some text or an image to a book without leaving the page you are on.',
    ]);
    expect(await welcome.getByLabel('Login').isVisible()).toBe(true);
    expect(await welcome.getByLabel('Password').isVisible()).toBe(true);
    expect(await welcome.evaluate(() => document.activeElement?.id)).toBe('login');
    // The server is tucked away until asked for.
    expect(await welcome.getByLabel('TimeTonic server').isVisible()).toBe(false);
    expect(await welcome.getByText('Sign in to https://timetonic.com').isVisible()).toBe(true);
    for (const name of [/Chrome’s toolbar with the extensions menu open/, /Firefox’s toolbar with the extensions menu open/]) {
      expect(await welcome.getByRole('img', { name }).isVisible()).toBe(true);
    }
    expect(await extension.badgeText()).toBe('');
  });

  it('signs in there, on the server chosen under "Another TimeTonic server?", and the badge comes on', async () => {
    await welcome.getByText('Another TimeTonic server?').click();
    const address = welcome.getByLabel('TimeTonic server');
    await expect.poll(() => address.inputValue()).toBe('https://timetonic.com');
    await address.fill(server.url);
    await welcome.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => welcome.locator('#server-status').textContent()).toBe('Saved.');
    await expect.poll(() => welcome.getByText(`Sign in to ${server.url}`).isVisible()).toBe(true);

    await signInThroughPopup(welcome, 'demo', 'demo');
    await welcome.getByRole('heading', { name: 'Done: you are signed in' }).waitFor();
    expect(await welcome.getByText(`Signed in as demo on ${server.url}`).isVisible()).toBe(true);
    await expect.poll(() => extension.badgeText()).toMatch(/^\d+$/);
    expect(Number(await extension.badgeText())).toBeGreaterThan(0);
  });

  it('then says what to try next, with the shortcut as the browser has it and where to change it', async () => {
    await welcome.getByRole('heading', { name: 'What to try next' }).waitFor();
    const tips = await welcome.locator('.done li').allTextContents();
    expect(tips).toHaveLength(4);
    expect(tips[2]).toContain('Send to TimeTonic');
    expect(tips[3]).toContain('Alt+Shift+S sends the page you are on to the last book you used.');
    expect(tips[3]).toContain('chrome://extensions/shortcuts');
    await welcome.getByRole('button', { name: 'Open the shortcut settings' }).click();
    await expect.poll(() => extension.context.pages().map((page) => page.url())).toContain('chrome://extensions/shortcuts');
  });

  it('the options page tells the version, links to the privacy text and says how to report a problem', async () => {
    const options = await extension.openOptions();
    const about = options.getByRole('region', { name: 'About' });
    const version = await extension.inExtension(() => chrome.runtime.getManifest().version);
    await expect.poll(() => about.textContent()).toContain(`Version ${version}`);
    expect(await about.textContent()).toContain(`that you use version ${version}`);
    const [privacy] = await Promise.all([extension.context.waitForEvent('page'), about.getByRole('link', { name: /privacy/ }).click()]);
    await privacy.waitForLoadState();
    expect(privacy.url()).toBe(`chrome-extension://${extension.id}/privacy.html`);
    expect(await privacy.getByRole('heading', { level: 2 }).allTextContents()).toEqual(
      expect.arrayContaining(['What it keeps, and where', 'How to erase everything', 'Comment tout effacer']),
    );
    expect(await privacy.getByText('No analytics').isVisible()).toBe(true);
    await privacy.close();
    await options.close();
  });
});

describe('the welcome tab in French, in dark mode', () => {
  let extension: LoadedExtension;

  beforeAll(async () => {
    extension = await loadExtension({ keepWelcome: true, lang: 'fr' });
  });
  afterAll(async () => {
    await extension?.close();
  });

  it('speaks French and follows the dark mode', async () => {
    const welcome = extension.welcome!;
    await welcome.getByRole('heading', { name: 'Bienvenue dans TimeTonic Companion' }).waitFor();
    expect(await welcome.title()).toBe('Bienvenue dans TimeTonic Companion');
    expect(await welcome.getByLabel('Identifiant').isVisible()).toBe(true);
    expect(await welcome.getByRole('button', { name: 'Se connecter' }).isVisible()).toBe(true);
    expect(await welcome.getByText('Un autre serveur TimeTonic ?').isVisible()).toBe(true);
    expect(await welcome.getByRole('img', { name: /^La barre d’outils de Firefox/ }).textContent()).toContain('Épingler à la barre d’outils');
    const background = () => welcome.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await welcome.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await welcome.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(27, 33, 37)');
  });
});

describe('updating the extension', () => {
  let copy: string;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // A copy of the build whose version the test raises, as an update would.
    copy = await mkdtemp(join(tmpdir(), 'ttc-update-'));
    profile = await mkdtemp(join(tmpdir(), 'ttc-profile-'));
    await cp(DIST, copy, { recursive: true });
    // Only watches: each onInstalled the worker handles, listed after the extension's own listener has run.
    await appendFile(join(copy, 'service-worker-loader.js'), `\nchrome.runtime.onInstalled.addListener(${String(recordInstall)});\n`);
    // Chromium reports every start of an extension given with --load-extension as an install; the
    // DevTools protocol installs and updates one as "Load unpacked" does, with its real reasons.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...QUIET_CHROMIUM_FLAGS, '--enable-unsafe-extension-debugging', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    });
  });
  afterAll(async () => {
    await context?.close();
    await rm(copy, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  it('opens no welcome tab', async () => {
    const browser = await context!.browser()!.newBrowserCDPSession();
    // Playwright's protocol types predate the Extensions domain.
    const send = browser.send.bind(browser) as (method: string, params: object) => Promise<unknown>;
    const loadUnpacked = async () => ((await send('Extensions.loadUnpacked', { path: copy })) as { id: string }).id;
    const id = await loadUnpacked();
    const worker = () => context!.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`));
    const installs = async () =>
      worker()
        ?.evaluate(() => chrome.storage.local.get('installs').then(({ installs }) => installs as string[] | undefined))
        .catch(() => undefined);
    // Without the "tabs" permission the worker sees how many tabs there are, not where they are.
    const tabCount = async () => (await worker()!.evaluate(() => chrome.tabs.query({}))).length;
    await (await welcomeTab(context!, id)).close();
    await expect.poll(installs).toEqual(['install']);
    const tabsBefore = await tabCount();

    const welcomes: string[] = [];
    context!.on('page', (page) => void page.waitForURL(`chrome-extension://${id}/${WELCOME_PAGE}`, { timeout: 30_000 }).then(() => welcomes.push(page.url()), () => {}));
    const manifestPath = join(copy, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: string };
    await writeFile(manifestPath, JSON.stringify({ ...manifest, version: `${manifest.version}.1` }));
    expect(await loadUnpacked()).toBe(id);
    await expect.poll(installs).toEqual(['install', `update from ${manifest.version}`]);
    // The extension's listener ran before the one that recorded the update: a tab it opened is there.
    expect(await tabCount()).toBe(tabsBefore);
    expect(welcomes).toEqual([]);
    await browser.detach();
  });
});

/** Runs in the worker, from its source text. */
function recordInstall(details: { reason: string; previousVersion?: string }) {
  const reason = details.reason === 'update' ? `update from ${details.previousVersion}` : details.reason;
  void chrome.storage.local.get('installs').then(({ installs = [] }) => chrome.storage.local.set({ installs: [...(installs as string[]), reason] }));
}
