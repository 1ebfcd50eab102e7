/**
 * Delivery under faults: sends through the real delivery loop (background/delivery.ts) to the local
 * server over HTTP, the server making another message for a repeated uuid. A seeded share of the
 * requests meets a fault (5xx, a drop before or after the write, an answer held past the time-out)
 * and the session expires every so many sends. Counts what arrived once, more than once, or not at all.
 */
import { createClient, isApiError, type SessionKeys } from '../src/api';
import { deliverDue, type DeliveryPorts } from '../src/background/delivery';
import { newItem, nextWakeAt, type DeliveryTiming, type OutboxItem } from '../src/domain/outbox';
import { startServer, type Fault } from '../server';

const SENDS = 500;
const BOOKS = 5;
const FAULT_SHARE = 0.3;
const EXPIRE_EVERY_SENDS = 50;
const TIMING: DeliveryTiming = { firstRetryMs: 20, maxRetryMs: 500, requestTimeoutMs: 200, graceMs: 1_000 };
/** Longer than the time-out: the write lands after the client gave up. */
const HELD_MS = 400;
const FAULTS: readonly Fault[] = [
  { kind: 'http500' },
  { kind: 'http503' },
  { kind: 'drop' },
  { kind: 'dropAfterWrite' },
  { kind: 'delay', delayMs: HELD_MS },
];

export interface ReliabilityFigures {
  sends: number;
  books: number;
  /** API requests the server received, sign-in excluded. */
  requests: number;
  requestsByCall: Record<string, number>;
  faults: number;
  sessionExpiries: number;
  /** Items sent with a live copy on the server. */
  delivered: number;
  /** uuids with more than one live copy. */
  duplicated: number;
  /** Items not sent, or sent without a live copy. */
  lost: number;
  drainMs: number;
}

/** Mulberry32: the same faults on the same requests from one run to the next. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function reliability(): Promise<ReliabilityFigures> {
  const server = await startServer({ seed: 'empty', absorbRepeatedUuid: false });
  try {
    const { control } = server;
    const books = Array.from({ length: BOOKS }, (_, i) => ({ b_o: 'demo', b_c: `outbox-${i}` }));
    for (const book of books) control.addBook({ ...book, title: `Outbox ${book.b_c}`, members: [{ u_c: 'alice' }] });

    const random = seededRandom(2027);
    let sendMsgs = 0;
    let faults = 0;
    let sessionExpiries = 0;
    // Each fault is queued just before the request it is meant for leaves: one request is out at a time.
    const faultyFetch: typeof fetch = (input, init) => {
      const req = init?.body instanceof URLSearchParams ? (init.body.get('req') ?? '') : '';
      if (req === 'sendMsg' && ++sendMsgs % EXPIRE_EVERY_SENDS === 0) {
        control.expireSessions();
        sessionExpiries++;
      }
      if (random() < FAULT_SHARE) {
        control.injectFaults({ ...FAULTS[Math.floor(random() * FAULTS.length)]!, req });
        faults++;
      }
      return fetch(input, init);
    };

    const signIn = createClient({ server: server.url });
    const oauth = await signIn.createOauthkey({ login: 'demo', pwd: 'demo', appkey: await signIn.createAppkey('bench') });
    let keys: SessionKeys = { o_u: oauth.o_u, sesskey: await signIn.createSesskey(oauth) };
    const account = { server: server.url, o_u: oauth.o_u };
    const api = createClient({ server: server.url, fetch: faultyFetch });

    // Items are immutable (the domain returns new ones), so storage keeps them as they are.
    let items: OutboxItem[] = Array.from({ length: SENDS }, (_, i) =>
      newItem({
        uuid: crypto.randomUUID(),
        account,
        book: books[i % BOOKS]!,
        bookTitle: `Outbox ${i % BOOKS}`,
        text: `Status update ${i}: the build is green and the release notes are in the shared folder.`,
        sinceStamp: control.sstamp(),
        now: Date.now(),
      }),
    );
    const ports: DeliveryPorts = {
      read: async () => items,
      change: async (uuid, update) => {
        const index = items.findIndex((item) => item.uuid === uuid);
        const found = items[index];
        if (!found) return null;
        const changed = update(found);
        items = items.with(index, changed);
        return changed;
      },
      account: async () => account,
      // These sends carry no files.
      attachment: async () => null,
      forgetAttachment: async () => undefined,
      // As the worker's session does: a new key when the server says the key expired, and the call once more.
      withSession: async (_account, call) => {
        try {
          return await call(api, keys);
        } catch (error) {
          if (!isApiError(error, 'invalidSession')) throw error;
        }
        keys = { ...keys, sesskey: await api.createSesskey(oauth) };
        return call(api, keys);
      },
      timing: TIMING,
      now: Date.now,
      random,
    };
    control.clearLog();

    // As the worker's timers do: run, then wait for the next wake-up.
    const started = performance.now();
    for (;;) {
      if ((await deliverDue(ports)).more) continue;
      const wake = nextWakeAt(items, account);
      if (wake === null) break;
      await sleep(Math.max(0, wake - Date.now()));
    }
    const drainMs = performance.now() - started;

    // A held request is performed HELD_MS after it arrived: count once the last one has landed.
    const log = control.log();
    const lastHeld = Math.max(0, ...log.filter((entry) => entry.outcome === 'delay').map((entry) => entry.at));
    await sleep(Math.max(0, lastHeld + HELD_MS + 50 - Date.now()));

    const liveCopies = new Map<string, number>();
    for (const book of books) {
      for (const message of control.messages(book.b_o, book.b_c)) liveCopies.set(message.uuid, (liveCopies.get(message.uuid) ?? 0) + 1);
    }
    const delivered = items.filter((item) => item.status === 'sent' && (liveCopies.get(item.uuid) ?? 0) > 0).length;
    const requestsByCall: Record<string, number> = {};
    for (const entry of log) requestsByCall[entry.req] = (requestsByCall[entry.req] ?? 0) + 1;
    return {
      sends: SENDS,
      books: BOOKS,
      requests: log.length,
      requestsByCall,
      faults,
      sessionExpiries,
      delivered,
      duplicated: [...liveCopies.values()].filter((count) => count > 1).length,
      lost: SENDS - delivered,
      drainMs,
    };
  } finally {
    await server.close();
  }
}
