/**
 * Secrets and reach, in Chromium with the built extension: the password is kept nowhere (storage,
 * the consoles of the worker and the pages, the error texts) after a failed sign-in, a sign-in and
 * a session renewal; a web page, another extension and a script in a page get no answer from the
 * worker; `storage.session` is closed to scripts in pages; the pages' CSP runs no inline or remote
 * script; and the manifest asks for no permission that no feature needs.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { DIST, type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startPageServer, type PageServer } from '../../harness/page-server';

const PASSWORD = 'Zo3-s3cret-pw!';
const SRC = resolve(import.meta.dirname, '../../src');

let server: LocalServer;
let site: PageServer;
let origin: string;
/** Requests to the test's own site under /remote: a remote script that was fetched. */
const remoteHits: string[] = [];
let intruderDir: string;
let extension: LoadedExtension;
let page: Page;
/** Everything written to a console: pages, our worker, the other extension. */
const consoleLines: string[] = [];

beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
  server.control.state.addUser({ u_c: 'zoe', login: 'zoe', email: 'zoe@example.com', password: PASSWORD, firstName: 'Zoé', lastName: 'Martin' });
  server.control.addMember('alice', 'support-inbox', 'zoe');

  site = await startPageServer((req, res) => {
    if (req.url?.startsWith('/remote')) {
      remoteHits.push(req.url);
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end('window.__ttcRemote = true;');
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>A site</title><p>Hello</p>');
    }
  });
  origin = site.origin;

  // Another extension, which lets pages of this computer talk to extensions (externally_connectable),
  // so that the page below has `chrome.runtime.sendMessage` at all.
  intruderDir = await mkdtemp(join(tmpdir(), 'ttc-intruder-'));
  await writeFile(
    join(intruderDir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Intruder',
      version: '1.0',
      background: { service_worker: 'intruder.js' },
      externally_connectable: { matches: ['http://127.0.0.1/*'] },
    }),
  );
  await writeFile(join(intruderDir, 'intruder.js'), '// Driven by the test.\n');

  extension = await loadExtension({ alsoLoad: [intruderDir] });
  extension.context.on('console', (message) => consoleLines.push(message.text()));
  const listen = (worker: Worker) => worker.on('console', (message) => consoleLines.push(message.text()));
  extension.context.serviceWorkers().forEach(listen);
  extension.context.on('serviceworker', listen);
  await extension.setServer(server.url);
  page = await extension.context.newPage();
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await extension?.close();
  await site?.close();
  await server?.close();
  if (intruderDir) await rm(intruderDir, { recursive: true, force: true });
});

const signedIn = () => extension.inExtension(async () => (await chrome.storage.local.get('auth')).auth !== undefined);
const intruder = async () => {
  const found = extension.context.serviceWorkers().find((w) => w.url().endsWith('/intruder.js'));
  return found ?? extension.context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/intruder.js') });
};
/** The tab of the site's page, as the extension knows it. */
const siteTab = () => extension.inExtension(async (url) => (await chrome.tabs.query({ url: `${url}/*` }))[0]!.id!, origin);

describe('the password', () => {
  it('is kept nowhere after a failed sign-in, a refusal that repeats it, a sign-in and a session renewal', async () => {
    const popup = await extension.openPopup();
    const signIn = async (password: string) => {
      await signInThroughPopup(popup, 'zoe', password);
    };
    await signIn(`${PASSWORD}-wrong`);
    await expect.poll(() => popup.getByRole('alert').last().textContent()).toBe('Wrong login or password');

    // A server that repeats what it was sent: the words are shown, the password is not.
    server.control.injectFaults({ kind: 'nok', req: 'createOauthkey', errorCode: 'x1', errorMsg: `cannot sign in zoe with ${PASSWORD}` });
    await signIn(PASSWORD);
    await expect.poll(() => popup.getByRole('alert').last().textContent()).toMatch(/^TimeTonic refused the sign-in: .*cannot sign in zoe with •••$/);

    await signIn(PASSWORD);
    await popup.getByLabel('Message').waitFor();
    expect(await signedIn()).toBe(true);

    server.control.clearLog();
    server.control.expireSessions('zoe');
    await extension.firePollAlarm();
    await expect.poll(() => server.control.log().map((entry) => entry.req)).toEqual(expect.arrayContaining(['createSesskey', 'getAllBooks']));
    await expect.poll(() => extension.inExtension(async () => (await chrome.storage.local.get('syncStatus')).syncStatus)).toEqual({ state: 'ok' });

    const dump = await extension.storageDump();
    expect(dump).toContain('"sesskey"');
    expect(dump).not.toContain(PASSWORD);
    expect(await popup.locator('body').textContent()).not.toContain(PASSWORD);
    expect(consoleLines.filter((line) => line.includes(PASSWORD))).toEqual([]);
    await popup.close();
  });
});

describe('reach', () => {
  it('a web page cannot ask the worker anything', async () => {
    expect(await signedIn()).toBe(true);
    // The other extension opened the door to pages of this computer; ours did not.
    const answer = await page.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: (id: string, message: unknown) => Promise<unknown> } } }).chrome?.runtime;
      if (!runtime?.sendMessage) return 'no runtime';
      try {
        return { answered: await runtime.sendMessage(id, { type: 'signOut' }) };
      } catch (error) {
        return { refused: String((error as Error).message) };
      }
    }, extension.id);
    expect(answer).toMatchObject({ refused: expect.any(String) });
    expect(await signedIn()).toBe(true);
  });

  it('another extension gets no answer, by message or by port', async () => {
    server.control.clearLog();
    const worker = await intruder();
    const attempts = await worker.evaluate(async (id) => {
      const outcome = async (attempt: Promise<unknown>) =>
        attempt.then(
          (answer) => ({ answered: answer ?? null }),
          (error: Error) => ({ refused: error.message }),
        );
      const message = await outcome(chrome.runtime.sendMessage(id, { type: 'signOut' }));
      const poll = await outcome(chrome.runtime.sendMessage(id, { type: 'pollNow' }));
      const port = await new Promise<string>((done) => {
        const connection = chrome.runtime.connect(id);
        connection.onDisconnect.addListener(() => done(chrome.runtime.lastError?.message ?? 'disconnected'));
        connection.postMessage({ type: 'signOut' });
      });
      return { message, poll, port };
    }, extension.id);
    expect(attempts).toMatchObject({ message: { refused: expect.any(String) }, poll: { refused: expect.any(String) } });
    expect(await signedIn()).toBe(true);
    expect(server.control.log()).toEqual([]);
  });

  it('a script in a page, even one the extension put there, gets no answer', async () => {
    const tabId = await siteTab();
    const outcome = await extension.inExtension(
      async (tab) => {
        const [result] = await chrome.scripting.executeScript({
          target: { tabId: tab },
          func: () =>
            chrome.runtime.sendMessage({ type: 'signOut' }).then(
              (answer) => `answered ${JSON.stringify(answer)}`,
              (error: Error) => `refused: ${error.message}`,
            ),
        });
        return result?.result as string;
      },
      tabId,
    );
    // Chromium closes the message's channel unanswered: the handler that would have signed out never ran.
    expect(outcome).toMatch(/^refused: |^answered undefined$/);
    expect(await signedIn()).toBe(true);
  });

  it('storage.session, which the right-click sends use, is closed to scripts in pages', async () => {
    const tabId = await siteTab();
    const outcome = await extension.inExtension(
      async (tab) => {
        const [result] = await chrome.scripting.executeScript({
          target: { tabId: tab },
          func: () =>
            chrome.storage.session.get(null).then(
              (items) => `read ${Object.keys(items).length} items`,
              (error: Error) => `refused: ${error.message}`,
            ),
        });
        return result?.result as string;
      },
      tabId,
    );
    expect(outcome).toMatch(/^refused: /);
    // Trusted contexts only is the browser's default, and nothing in the extension changes it.
    expect(await sources(SRC)).not.toContain('setAccessLevel');
  });

  it('no script the extension puts in a page can see the keys: it injects one function, which reads no storage', async () => {
    const code = await sources(SRC);
    const injected = [...code.matchAll(/executeScript\(\{[\s\S]*?func: ([\s\S]*?),\n\s*args/g)].map((match) => match[1]!);
    expect(injected).toHaveLength(1);
    expect(injected[0]).not.toMatch(/storage|chrome|browser|auth|key/i);
    expect(code).not.toMatch(/registerContentScripts|scripting\.executeScript\(\{[^}]*files/);
  });
});

describe('the built manifest', () => {
  const manifest = async () => JSON.parse(await readFile(join(DIST, 'manifest.json'), 'utf8'));

  it("gives the extension's pages a CSP with no inline script and no remote code", async () => {
    const csp: string = (await manifest()).content_security_policy.extension_pages;
    const scriptSrc = /(?:^|;)\s*script-src\s+([^;]*)/.exec(csp)![1]!.trim().split(/\s+/);
    expect(scriptSrc).toEqual(["'self'"]);
    expect(csp).toMatch(/(?:^|;)\s*object-src 'self'/);
    // The built pages load their scripts from the package, with none inline and no handler attributes.
    for (const html of await htmlPages()) {
      const text = await readFile(html, 'utf8');
      for (const [, attributes, body] of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(attributes).toMatch(/\bsrc="\/[^/]/);
        expect(body!.trim()).toBe('');
      }
      expect(text).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('and the browser enforces it: an inline or remote script added to the popup does not run', async () => {
    const popup = await extension.openPopup();
    await popup.evaluate((remote) => {
      const inline = document.createElement('script');
      inline.textContent = 'window.__ttcInline = true;';
      document.head.append(inline);
      const external = document.createElement('script');
      external.src = remote;
      document.head.append(external);
      const handler = document.createElement('img');
      handler.setAttribute('src', 'data:,');
      handler.setAttribute('onerror', 'window.__ttcHandler = true');
      document.body.append(handler);
    }, `${origin}/remote.js`);
    // The page's own code runs: the list is drawn. The added scripts did not.
    await popup.getByLabel('Message').waitFor();
    expect(await popup.evaluate(() => [window.__ttcInline ?? null, window.__ttcRemote ?? null, window.__ttcHandler ?? null])).toEqual([null, null, null]);
    expect(remoteHits).toEqual([]);
    await popup.close();
  });

  it('asks for the permissions its features need and no other', async () => {
    const { permissions, host_permissions, optional_host_permissions, externally_connectable, content_scripts, web_accessible_resources } =
      await manifest();
    const code = await sources(SRC);
    /** Each permission, the feature that needs it, and the call that uses it. */
    const needs: Record<string, { feature: string; uses: RegExp }> = {
      storage: { feature: 'keys, book list, settings, outbox', uses: /browser\.storage\./ },
      alarms: { feature: 'polling, outbox retries, end of quiet hours', uses: /browser\.alarms\.create/ },
      contextMenus: { feature: 'Send to TimeTonic in the right-click menu', uses: /browser\.contextMenus\.create/ },
      notifications: { feature: 'new messages, sent or not sent', uses: /browser\.notifications\.create/ },
      idle: { feature: 'checking less while idle, not while locked', uses: /browser\.idle\.queryState/ },
      activeTab: { feature: 'the title and address of the page right-clicked, for that click', uses: /contextMenus\.onClicked|commands\.onCommand/ },
      scripting: { feature: 'the text of the link right-clicked', uses: /browser\.scripting\.executeScript/ },
    };
    expect(permissions).toEqual(Object.keys(needs));
    for (const [permission, { uses }] of Object.entries(needs)) expect([permission, uses.test(code)]).toEqual([permission, true]);
    // The API of timetonic.com and of this computer's local server; any other server only when chosen.
    expect(host_permissions).toEqual(['https://timetonic.com/*', 'http://127.0.0.1/*', 'http://localhost/*']);
    expect(optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    expect(code).toMatch(/browser\.permissions\.request/);
    // No door left open: pages cannot connect, nothing is injected by declaration, nothing exposed to sites.
    expect([externally_connectable, content_scripts, web_accessible_resources]).toEqual([undefined, undefined, undefined]);
  });
});

declare global {
  interface Window {
    __ttcInline?: boolean;
    __ttcRemote?: boolean;
    __ttcHandler?: boolean;
  }
}

/** The text of every source file under `folder`. */
async function sources(folder: string): Promise<string> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
}

async function htmlPages(): Promise<string[]> {
  const entries = await readdir(DIST, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html')).map((entry) => join(entry.parentPath, entry.name));
}
