/**
 * The worker's own modules run in Node for the benches, with the tests' in-memory browser
 * (test/support/fake-browser.ts) behind the seam: webextension-polyfill hands back an existing
 * plain `browser` as it is. ES modules load once per process, so every bench shares this one
 * install and puts a fresh fake behind it with `useFakeBrowser`.
 */
import { createFakeBrowser, type FakeBrowser } from '../test/support/fake-browser';

let current: FakeBrowser | null = null;

/** Puts `fake` behind the seam (installed on first use); returns it. */
export function useFakeBrowser(fake: FakeBrowser = createFakeBrowser()): FakeBrowser {
  if (!current) install();
  current = fake;
  return fake;
}

function install(): void {
  const global = globalThis as Record<string, unknown>;
  global.chrome = { runtime: { id: 'bench' } };
  global.browser = new Proxy({}, { get: (_, key) => Reflect.get(current!, key) });
  Object.setPrototypeOf(global.browser, Object.prototype);
  // Node 20 has no Web Locks; the benches run one thing at a time anyway.
  if (!('navigator' in globalThis)) global.navigator = {};
  const navigator = global.navigator as Record<string, unknown>;
  if (!('locks' in navigator)) navigator.locks = { request: (_name: string, task: () => Promise<unknown>) => task() };
}
