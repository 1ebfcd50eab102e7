/**
 * The notification of a new message carries the book's title, the sender's name and the message
 * exactly as written, whatever they hold (`test/corpus/hostile-text.json`): the worker's own poll
 * against the local server, the browser seam faked. Notifications are plain text in both browsers,
 * so what they show is what this checks; the pages are checked in Chromium (hostile-text.test.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { createFakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { poll } = await import('../../src/background/sync');
const { signIn } = await import('../../src/background/session');

// Node 20 has no Web Locks; the test runs one poll at a time.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

const TEXTS: string[] = JSON.parse(readFileSync(new URL('../corpus/hostile-text.json', import.meta.url), 'utf8')).texts.map((text: string) =>
  text.replaceAll('{HIT}', 'http://127.0.0.1:9/hit'),
);

let server: LocalServer;
beforeAll(async () => {
  server = await startServer({ seed: 'demo' });
});
afterAll(() => server.close());

it.each(TEXTS.map((text, i) => [i, text] as const))('text %i shows as written in the notification', async (i, text) => {
  server.control.reset();
  server.control.state.addUser({ u_c: 'mallory', login: 'mallory', email: 'm@example.com', password: 'm-pw', firstName: text, lastName: '' });
  server.control.addBook({ b_o: 'mallory', b_c: 'hostile', title: text, members: [{ u_c: 'demo', right: 2, invite: 'accepted' }] });
  fake.browser = createFakeBrowser();
  await fake.browser.storage.sync.set({ server: server.url });
  expect(await signIn('demo', 'demo')).toEqual({ ok: true });
  await poll({ kind: 'signIn' });

  server.control.postAs('mallory', 'mallory', 'hostile', text);
  await poll({ kind: 'alarm', lateByMs: 0 });
  // The name and the message as written; a message's runs of white space are one space in a notification.
  const name = text.trim();
  expect(fake.browser.shown.get('book:mallory/hostile')).toEqual({ title: text, message: `${name}: ${text.replace(/\s+/g, ' ').trim()}` });
});
