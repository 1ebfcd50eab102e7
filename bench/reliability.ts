/**
 * Delivery under faults: sends through the real delivery loop (background/delivery.ts) to the local
 * server over HTTP, the server making another message (or file) for a repeated uuid. Some sends carry
 * an image. A seeded share of the requests, uploads included, meets a fault (5xx, a drop before or
 * after the write, an answer held past the time-out) and the session expires every so many sends.
 * Counts the messages and files that arrived once, more than once, or not at all.
 */
import { createClient, isApiError, type SessionKeys } from '../src/api';
import { deliverDue, type DeliveryPorts } from '../src/background/delivery';
import { wordsFromTable } from '../src/domain/words';
import english from '../public/_locales/en/messages.json' with { type: 'json' };
import { newItem, nextWakeAt, type DeliveryTiming, type OutboxItem } from '../src/domain/outbox';
import { startServer, type Fault } from '../server';
import { seededRandom } from '../harness/seeded-random';

const SENDS = 500;
const BOOKS = 5;
/** Every fifth round of sends (one per book) carries an image: 100 of the 500, 20 in each book. */
const carriesFile = (i: number) => Math.floor(i / BOOKS) % 5 === 0;
const FILE_BYTES = 64 * 1024;
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
  /** Sends that carry a file. */
  files: number;
  /** Files on their item's live message with the bytes sent. */
  filesDelivered: number;
  /** Live messages carrying a file uuid more than once. */
  filesDuplicated: number;
  /** Files not delivered. */
  filesLost: number;
  drainMs: number;
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
      // Uploads go as multipart, every other call as a form.
      const body = init?.body;
      const req = body instanceof URLSearchParams || body instanceof FormData ? String(body.get('req') ?? '') : '';
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

    /** The attachment store: bytes by file uuid, until the upload is confirmed. */
    const blobs = new Map<string, Blob>();
    /** What each file should hold on the server, by file uuid. */
    const sentBytes = new Map<string, Buffer>();
    // Items are immutable (the domain returns new ones), so storage keeps them as they are.
    let items: OutboxItem[] = Array.from({ length: SENDS }, (_, i) => {
      const attachment = carriesFile(i)
        ? { uuid: crypto.randomUUID(), name: `screenshot-${i}.png`, type: 'image/png', size: FILE_BYTES, kind: 'media' as const }
        : undefined;
      if (attachment) {
        // Random bytes: every file differs, so a file on the wrong message would not pass for delivered.
        const bytes = crypto.getRandomValues(new Uint8Array(FILE_BYTES));
        blobs.set(attachment.uuid, new Blob([bytes], { type: attachment.type }));
        sentBytes.set(attachment.uuid, Buffer.from(bytes));
      }
      return newItem({
        uuid: crypto.randomUUID(),
        account,
        book: books[i % BOOKS]!,
        bookTitle: `Outbox ${i % BOOKS}`,
        text: `Status update ${i}: the build is green and the release notes are in the shared folder.`,
        sinceStamp: control.sstamp(),
        now: Date.now(),
        attachment,
      });
    });
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
      attachment: async (uuid) => blobs.get(uuid) ?? null,
      forgetAttachment: async (uuid) => void blobs.delete(uuid),
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
      t: wordsFromTable(english, 'en'),
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

    const live = books.flatMap((book) => control.state.getBook(book.b_o, book.b_c).messages.filter((message) => !message.del));
    const withFile = items.filter((item) => item.attachment);
    const filesDelivered = withFile.filter((item) => {
      const { uuid } = item.attachment!;
      const message = live.find((candidate) => candidate.smid === item.smid);
      return item.status === 'sent' && !!message?.files.some((file) => file.uuid === uuid && file.bytes.equals(sentBytes.get(uuid)!));
    }).length;
    const filesDuplicated = live.filter((message) => new Set(message.files.map((file) => file.uuid)).size < message.files.length).length;
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
      files: withFile.length,
      filesDelivered,
      filesDuplicated,
      filesLost: withFile.length - filesDelivered,
      drainMs,
    };
  } finally {
    await server.close();
  }
}
