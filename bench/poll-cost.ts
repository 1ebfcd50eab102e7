/**
 * What a poll costs, measured on the worker's own poll (background/sync.ts) and sign-in in Node:
 * the API is the local server over real HTTP, the browser the tests' in-memory stand-in
 * (test/support/fake-browser.ts), which records every storage write the poll really makes. It is
 * handed to the extension's code as Firefox hands its own `browser` to webextension-polyfill.
 */
import { startServer } from '../server';
import { createFakeBrowser } from '../test/support/fake-browser';

export interface PollCost {
  requests: number;
  /** Bytes of the answers. */
  bytes: number;
  /** `storage.*.set` and `remove` calls the poll made. */
  writes: number;
}

export async function pollCosts(booksOnAccount: number): Promise<{ full: PollCost; idle: PollCost; oneChange: PollCost }> {
  const fake = createFakeBrowser();
  // Read by webextension-polyfill as it loads: a `browser` with a runtime id is used as it is.
  Object.assign(globalThis, { browser: fake, chrome: fake });
  // Node 20 has no Web Locks; the bench runs one poll at a time anyway.
  if (!('locks' in (globalThis.navigator ?? {}))) {
    Object.defineProperty(globalThis, 'navigator', { value: { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } }, configurable: true });
  }
  const { poll } = await import('../src/background/sync');
  const { signIn } = await import('../src/background/session');

  const server = await startServer({ seed: 'empty' });
  try {
    const { control } = server;
    for (let i = 0; i < booksOnAccount; i++) {
      const b_c = `book-${i}`;
      control.addBook({ b_o: 'alice', b_c, title: `Project ${i}`, members: [{ u_c: 'demo' }, { u_c: 'bob' }] });
      for (let m = 0; m < 3; m++) control.postAs(m % 2 ? 'bob' : 'alice', 'alice', b_c, `Update ${m} on project ${i}: the numbers are in the shared sheet.`);
    }
    await fake.storage.sync.set({ server: server.url });
    const outcome = await signIn('demo', 'demo');
    if (!outcome.ok) throw new Error(`bench sign-in failed: ${outcome.error}`);

    const measure = async (reason: Parameters<typeof poll>[0]): Promise<PollCost> => {
      control.clearLog();
      fake.writes.length = 0;
      await poll(reason);
      const log = control.log();
      return { requests: log.length, bytes: log.reduce((sum, entry) => sum + entry.responseBytes, 0), writes: fake.writes.length };
    };
    const alarm = { kind: 'alarm', lateByMs: 0 } as const;
    // The first poll after signing in fetches every book.
    const full = await measure({ kind: 'signIn' });
    const idle = await measure(alarm);
    control.postAs('bob', 'alice', 'book-7', 'One new message');
    const oneChange = await measure(alarm);
    return { full, idle, oneChange };
  } finally {
    await server.close();
  }
}
