/**
 * A 2,000-book account in Chromium: the built extension (dist/) signed in to the local server with
 * generated books and messages. What the first full sync costs, what an idle poll costs (requests
 * on the server, storage writes counted in the worker), how soon the popup shows the list, how long
 * Find a book takes per keystroke, and the worker's heap after the sync, after 1,000 polls and
 * after 1,000 more.
 */
import type { CDPSession, Page } from 'playwright-core';
import { startServer, type LocalServer } from '../server';
import { loadExtension, type LoadedExtension } from '../harness/extension';
import { medianOf, openingTimes, percentileOf } from './popup';

export const LARGE_ACCOUNT = { books: 2_000, messages: 100_000 };
const IDLE_POLLS = 1_000;
/** The heap is taken again after as many more polls: warming up levels off, a leak goes on. */
const MORE_POLLS = 1_000;
const OPENINGS = 15;
/** Typed one key at a time into Find a book: narrows to a few books, then back to all. */
const QUERY = 'project 12';

export interface ScaleFigures {
  books: number;
  firstSync: { ms: number; requests: number; bytes: number; storedBytes: number; bookCacheBytes: number };
  idlePoll: { requests: number; bytes: number; writes: { count: number; keys: string[] } };
  /** Storage writes, requests, and time of the 1,000 polls in a row. */
  idlePolls: { count: number; requests: number; writes: { count: number; keys: string[] }; ms: number };
  popup: { fromDomContentLoaded: number[]; fromNavigation: number[]; firstPaint: number[] };
  /** ms per keystroke, typing then erasing the query. */
  find: { typing: number[]; erasing: number[] };
  /** Bytes used on the worker's heap after a garbage collection. */
  heap: { afterSync: number; afterPolls: number; afterMorePolls: number };
}

/**
 * A DevTools session with the extension's service worker, reached through an extension page's own
 * session (Playwright gives none for a worker), for its heap.
 */
export async function workerDevtools(extension: LoadedExtension, page: Page) {
  const cdp: CDPSession = await extension.context.newCDPSession(page);
  const attach = async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${extension.id}/`));
    if (!worker) throw new Error('The extension has no service worker running');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
    return sessionId;
  };
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
    const reply = JSON.parse(message) as { id?: number; result?: unknown; error?: unknown };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.error ? Promise.reject(new Error(JSON.stringify(reply.error))) : reply.result);
  });
  const send = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
    });
  return {
    /** Bytes used on the worker's JavaScript heap now, garbage and all: what it holds at its peak. */
    async heapNow(): Promise<number> {
      const sessionId = await attach();
      const { usedSize } = (await send(sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
      await cdp.send('Target.detachFromTarget', { sessionId });
      return usedSize;
    },
    /** Bytes used on the worker's JavaScript heap, after a full garbage collection. */
    async heapUsed(): Promise<number> {
      const sessionId = await attach();
      await send(sessionId, 'HeapProfiler.collectGarbage');
      const { usedSize } = (await send(sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
      await cdp.send('Target.detachFromTarget', { sessionId });
      return usedSize;
    },
  };
}

/** Counts the worker's storage writes (`set`, `remove`, `clear` of every area) from now on. */
async function countWorkerWrites(extension: LoadedExtension) {
  await extension.inWorker(() => {
    const scope = globalThis as unknown as { storageWrites?: string[] };
    if (scope.storageWrites !== undefined) return;
    scope.storageWrites = [];
    for (const [areaName, area] of Object.entries({ local: chrome.storage.local, sync: chrome.storage.sync, session: chrome.storage.session })) {
      for (const name of ['set', 'remove', 'clear'] as const) {
        const original = area[name] as (...args: unknown[]) => unknown;
        // webextension-polyfill looks the method up on each call, so it counts these too.
        (area as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
          const keys = name === 'set' ? Object.keys(args[0] as object) : name === 'remove' ? [args[0]].flat() : ['*'];
          scope.storageWrites!.push(`${areaName}.${keys.join('+')}`);
          return original.apply(area, args);
        };
      }
    }
  });
  return () => extension.inWorker(() => [...(globalThis as unknown as { storageWrites: string[] }).storageWrites]);
}

/** The writes made since `before` was read, and the keys they wrote. */
function writesSince(before: readonly string[], now: readonly string[]): { count: number; keys: string[] } {
  const made = now.slice(before.length);
  return { count: made.length, keys: [...new Set(made)] };
}

/** Asks the worker for a poll as the popup does, and waits for its answer. */
const pollNow = (page: Page) => page.evaluate(() => chrome.runtime.sendMessage({ type: 'pollNow' }));

async function firstSync(server: LocalServer, extension: LoadedExtension) {
  const signIn = await extension.openPopup();
  await signIn.getByLabel('Login').fill('demo');
  await signIn.getByLabel('Password').fill('demo');
  server.control.clearLog();
  const start = performance.now();
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.locator('.book-open').first().waitFor({ timeout: 120_000 });
  const ms = performance.now() - start;
  await signIn.close();
  const log = server.control.log();
  const [storedBytes, bookCacheBytes] = await extension.inExtension(() =>
    Promise.all([chrome.storage.local.getBytesInUse(null), chrome.storage.local.getBytesInUse('bookCache')]),
  );
  return { ms, requests: log.length, bytes: log.reduce((sum, entry) => sum + entry.responseBytes, 0), storedBytes, bookCacheBytes };
}

/** Types the query into Find a book one key at a time, then erases it: script, render and layout of each. */
async function findTimes(popup: Page) {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  return popup.evaluate(async (query) => {
    const field = document.querySelector<HTMLInputElement>('input[type=search]')!;
    const values = [...Array.from({ length: query.length }, (_, i) => query.slice(0, i + 1)), ...Array.from({ length: query.length }, (_, i) => query.slice(0, query.length - 1 - i))];
    const times: number[] = [];
    for (const value of values) {
      const start = performance.now();
      field.value = value;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      // Preact draws the change after the event; then the layout of the new list.
      await new Promise((resolve) => setTimeout(resolve));
      document.body.getBoundingClientRect();
      times.push(performance.now() - start);
      // A frame between keys, as between a user's keystrokes.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    }
    return { typing: times.slice(0, query.length), erasing: times.slice(query.length) };
  }, QUERY);
}

export async function scaleFigures(): Promise<ScaleFigures> {
  const server = await startServer({ seed: 'empty', generated: LARGE_ACCOUNT });
  // Without the message socket: the popup then asks for a poll as it opens, as popup.ts measures it.
  server.control.socket.refuseFor(24 * 3600_000);
  const extension = await loadExtension();
  try {
    await extension.setServer(server.url);
    const sync = await firstSync(server, extension);
    const page = await extension.openOptions();
    const devtools = await workerDevtools(extension, page);
    const writes = await countWorkerWrites(extension);
    const afterSync = await devtools.heapUsed();

    server.control.clearLog();
    const writesBefore = await writes();
    await pollNow(page);
    const log = server.control.log();
    const idlePoll = {
      requests: log.length,
      bytes: log.reduce((sum, entry) => sum + entry.responseBytes, 0),
      writes: writesSince(writesBefore, await writes()),
    };

    const writesAfterIdlePoll = await writes();
    server.control.clearLog();
    const start = performance.now();
    for (let i = 0; i < IDLE_POLLS; i++) await pollNow(page);
    const idlePolls = { count: IDLE_POLLS, requests: server.control.log().length, writes: writesSince(writesAfterIdlePoll, await writes()), ms: performance.now() - start };
    const afterPolls = await devtools.heapUsed();
    for (let i = 0; i < MORE_POLLS; i++) await pollNow(page);
    const afterMorePolls = await devtools.heapUsed();

    const popup = await openingTimes(server, extension, { openings: OPENINGS, late: false });
    const findPage = await extension.openPopup();
    await findPage.locator('.book-open').first().waitFor();
    const find = await findTimes(findPage);
    await findPage.close();
    return {
      books: server.control.state.booksOf('demo').length,
      firstSync: sync,
      idlePoll,
      idlePolls,
      popup,
      find,
      heap: { afterSync, afterPolls, afterMorePolls },
    };
  } finally {
    await extension.close();
    await server.close();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const spread = (values: readonly number[]) => `median ${medianOf(values).toFixed(1).padStart(5)} ms, p90 ${percentileOf(values, 90).toFixed(1).padStart(5)} ms`;

/** "0 storage writes", or how many and of which keys. */
const wrote = ({ count, keys }: { count: number; keys: string[] }) => `${count} storage writes${count ? ` (${keys.join(', ')})` : ''}`;

export function printScale(figures: ScaleFigures): void {
  const { firstSync, idlePoll, idlePolls, popup, find, heap } = figures;
  console.log(
    `A ${figures.books.toLocaleString('en')}-book account, ${LARGE_ACCOUNT.messages.toLocaleString('en')} messages (Chromium, local server with --books ${LARGE_ACCOUNT.books} --messages ${LARGE_ACCOUNT.messages})`,
  );
  console.log(
    `  first full sync       : ${(firstSync.ms / 1000).toFixed(2)} s from Sign in to the list drawn, ${firstSync.requests} requests, ${kib(firstSync.bytes)} received, ` +
      `${kib(firstSync.storedBytes)} stored (${kib(firstSync.bookCacheBytes)} of it the book list)`,
  );
  console.log(`  idle poll             : ${idlePoll.requests} request, ${idlePoll.bytes} B, ${wrote(idlePoll.writes)} (counted in the worker)`);
  console.log(
    `  ${idlePolls.count} idle polls in a row: ${idlePolls.requests} requests, ${wrote(idlePolls.writes)}, ${(idlePolls.ms / idlePolls.count).toFixed(1)} ms each (asked by an extension page, answered)`,
  );
  console.log(`  popup opened ${popup.fromDomContentLoaded.length} times, book list from the cache`);
  console.log(`    DOMContentLoaded -> list drawn  : ${spread(popup.fromDomContentLoaded)}  (goal 16 ms)`);
  console.log(`    navigation start -> list drawn  : ${spread(popup.fromNavigation)}`);
  console.log(`    navigation start -> list painted: ${spread(popup.firstPaint)}`);
  console.log(`  Find a book, per keystroke (script, drawing and layout): typing ${spread(find.typing)}; erasing ${spread(find.erasing)}; slowest ${Math.max(...find.typing, ...find.erasing).toFixed(1)} ms`);
  console.log(
    `  worker heap           : ${kib(heap.afterSync)} after the sync, ${kib(heap.afterPolls)} after ${IDLE_POLLS} polls, ${kib(heap.afterMorePolls)} after ${IDLE_POLLS + MORE_POLLS} ` +
      '(used, after a garbage collection; the first polls warm the code up)',
  );
}
