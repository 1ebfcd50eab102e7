/**
 * Delivery under faults: sends through the real delivery loop (background/delivery.ts) to the local
 * server over HTTP, the server making another message (or file) for a repeated uuid. Some sends carry
 * an image. A seeded share of the requests, uploads included, meets a fault (5xx, a drop before or
 * after the write, an answer held past the time-out, some past the grace delay too) and the session
 * expires every so many sends. Counts the messages and files that arrived once, more than once, or
 * not at all, every copy ever written (deleted ones too: members of the book saw them), and how long
 * a message whose answer was lost took to be known delivered.
 *
 * `npx tsx bench/reliability.ts` runs this part alone.
 */
import { pathToFileURL } from 'node:url';
import { createClient, isApiError, type SessionKeys } from '../src/api';
import { deliverDue, type DeliveryPorts } from '../src/background/delivery';
import { wordsFromTable } from '../src/domain/words';
import english from '../public/_locales/en/messages.json' with { type: 'json' };
import { DEFAULT_TIMING, newItem, nextWakeAt, type DeliveryTiming, type OutboxItem } from '../src/domain/outbox';
import { startServer, type Fault } from '../server';
import { seededRandom } from '../harness/seeded-random';

const SENDS = 500;
const BOOKS = 5;
/** Every fifth round of sends (one per book) carries an image: 100 of the 500, 20 in each book. */
const carriesFile = (i: number) => Math.floor(i / BOOKS) % 5 === 0;
const FILE_BYTES = 64 * 1024;
const FAULT_SHARE = 0.3;
/** The session expires as the first request of every 50th send leaves. */
const EXPIRE_EVERY_SENDS = 50;
/** The defaults scaled down 60 times (retries and time-out more), so that 500 sends drain in about a minute. */
const TIMING: DeliveryTiming = { firstRetryMs: 20, maxRetryMs: 500, requestTimeoutMs: 200, graceMs: 1_000 };
/** Longer than the time-out: the write lands after the client gave up, within the grace delay ... */
const HELD_MS = 400;
/** ... or after it too (up to twice the grace delay, the longest the last check after a resend covers). */
const HELD_PAST_GRACE_MS = 1_500;
const FAULTS: readonly Fault[] = [
  { kind: 'http500' },
  { kind: 'http503' },
  { kind: 'drop' },
  { kind: 'dropAfterWrite' },
  { kind: 'delay', delayMs: HELD_MS },
  { kind: 'delay', delayMs: HELD_PAST_GRACE_MS },
];

/** How a send's first sendMsg ended, for the delivery times. */
type FirstRequest = 'answered' | 'http5xx' | 'lostBeforeWrite' | 'lostAfterWrite' | 'heldWithinGrace' | 'heldPastGrace';

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
  /** Messages written in all, deleted ones included (the goal: one per send delivered). */
  messagesWritten: number;
  /** Copies written, then deleted by the last check: seen by the book's members for a while (goal 0). */
  writtenThenDeleted: number;
  /** Copies deleted that came from a request the server held past the grace delay. */
  writtenThenDeletedPastGrace: number;
  /** Items not sent, or sent without a live copy. */
  lost: number;
  /** Sends that carry a file. */
  files: number;
  /** Files on their item's live message with the bytes sent. */
  filesDelivered: number;
  /** Live messages carrying a file uuid more than once. */
  filesDuplicated: number;
  /** Of those, the ones whose file had an upload held past the grace delay. */
  filesDuplicatedPastGrace: number;
  /** Files not delivered. */
  filesLost: number;
  /** Files written in all, on any message (the goal: one per file delivered). */
  filesWritten: number;
  /** From a send's first sendMsg leaving to its message being known delivered (ms), by how that request ended. */
  deliveryMs: Partial<Record<FirstRequest, number[]>>;
  drainMs: number;
  timing: DeliveryTiming;
  heldMs: { withinGrace: number; pastGrace: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function reliability(): Promise<ReliabilityFigures> {
  const server = await startServer({ seed: 'empty', absorbRepeatedUuid: false });
  try {
    const { control } = server;
    const books = Array.from({ length: BOOKS }, (_, i) => ({ b_o: 'demo', b_c: `outbox-${i}` }));
    for (const book of books) control.addBook({ ...book, title: `Outbox ${book.b_c}`, members: [{ u_c: 'alice' }] });

    const random = seededRandom(2027);
    let faults = 0;
    let sessionExpiries = 0;
    /** Per item uuid: when its first sendMsg left, and how that request ended. */
    const firstSend = new Map<string, { at: number; ended: FirstRequest }>();
    /** Per item uuid: when its message was first known to exist. */
    const knownAt = new Map<string, number>();
    /** Per message or file uuid: the writes held past the grace delay. */
    const heldPastGrace = new Map<string, number>();
    // Each fault is queued just before the request it is meant for leaves: one request is out at a time.
    const faultyFetch: typeof fetch = (input, init) => {
      // Uploads go as multipart, every other call as a form.
      const body = init?.body;
      const field = (name: string) => (body instanceof URLSearchParams || body instanceof FormData ? String(body.get(name) ?? '') : '');
      const req = field('req');
      const uuid = field('uuid');
      const first = req === 'sendMsg' && !firstSend.has(uuid);
      if (first && (firstSend.size + 1) % EXPIRE_EVERY_SENDS === 0) {
        control.expireSessions();
        sessionExpiries++;
      }
      const fault = random() < FAULT_SHARE ? FAULTS[Math.floor(random() * FAULTS.length)]! : null;
      if (fault) {
        control.injectFaults({ ...fault, req });
        faults++;
      }
      if (fault?.kind === 'delay' && fault.delayMs! > TIMING.graceMs) heldPastGrace.set(uuid, (heldPastGrace.get(uuid) ?? 0) + 1);
      if (first) firstSend.set(uuid, { at: Date.now(), ended: firstRequestEnded(fault) });
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
        attachments: attachment ? [attachment] : [],
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
        if (found.smid === null && changed.smid !== null) knownAt.set(uuid, Date.now());
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

    // A held request is performed up to HELD_PAST_GRACE_MS after it arrived: count once the last one has landed.
    const log = control.log();
    const lastHeld = Math.max(0, ...log.filter((entry) => entry.outcome === 'delay').map((entry) => entry.at));
    await sleep(Math.max(0, lastHeld + HELD_PAST_GRACE_MS + 50 - Date.now()));

    const liveCopies = new Map<string, number>();
    for (const book of books) {
      for (const message of control.messages(book.b_o, book.b_c)) liveCopies.set(message.uuid, (liveCopies.get(message.uuid) ?? 0) + 1);
    }
    const delivered = items.filter((item) => item.status === 'sent' && (liveCopies.get(item.uuid) ?? 0) > 0).length;

    const live = books.flatMap((book) => control.state.getBook(book.b_o, book.b_c).messages.filter((message) => !message.del));
    const withFile = items.filter((item) => item.attachments.length > 0);
    const filesDelivered = withFile.filter((item) => {
      const { uuid } = item.attachments[0]!;
      const message = live.find((candidate) => candidate.smid === item.smid);
      return item.status === 'sent' && !!message?.files.some((file) => file.uuid === uuid && file.bytes.equals(sentBytes.get(uuid)!));
    }).length;
    const doubled = live.filter((message) => new Set(message.files.map((file) => file.uuid)).size < message.files.length);
    const written = books.flatMap((book) => control.state.getBook(book.b_o, book.b_c).messages);
    const deleted = written.filter((message) => message.del);
    const deliveryMs: ReliabilityFigures['deliveryMs'] = {};
    for (const [uuid, { at, ended }] of firstSend) {
      const known = knownAt.get(uuid);
      if (known !== undefined) (deliveryMs[ended] ??= []).push(known - at);
    }
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
      messagesWritten: written.length,
      writtenThenDeleted: deleted.length,
      writtenThenDeletedPastGrace: deleted.filter((message) => heldPastGrace.has(message.uuid)).length,
      lost: SENDS - delivered,
      files: withFile.length,
      filesDelivered,
      filesDuplicated: doubled.length,
      filesDuplicatedPastGrace: doubled.filter((message) => message.files.some((file) => heldPastGrace.has(file.uuid))).length,
      filesLost: withFile.length - filesDelivered,
      filesWritten: written.reduce((sum, message) => sum + message.files.length, 0),
      deliveryMs,
      drainMs,
      timing: TIMING,
      heldMs: { withinGrace: HELD_MS, pastGrace: HELD_PAST_GRACE_MS },
    };
  } finally {
    await server.close();
  }
}

function firstRequestEnded(fault: Fault | null): FirstRequest {
  if (!fault) return 'answered';
  switch (fault.kind) {
    case 'http500':
    case 'http503':
      return 'http5xx';
    case 'drop':
      return 'lostBeforeWrite';
    case 'dropAfterWrite':
      return 'lostAfterWrite';
    default:
      return fault.delayMs! > TIMING.graceMs ? 'heldPastGrace' : 'heldWithinGrace';
  }
}

const FIRST_REQUEST_WORDS: Record<FirstRequest, string> = {
  answered: 'answered',
  http5xx: 'HTTP 5xx (answered: looked at once)',
  lostAfterWrite: 'answer lost after the write',
  lostBeforeWrite: 'connection dropped, nothing written',
  heldWithinGrace: 'held, written within the grace delay',
  heldPastGrace: 'held, written past the grace delay',
};

const seconds = (ms: number) => (ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`);
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)}%`;
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function printReliability(figures: ReliabilityFigures): void {
  const { timing } = figures;
  console.log(
    `Delivery under faults, ${figures.sends} sends (${figures.files} with an image) to ${figures.books} books (local server, real HTTP, repeated uuids not absorbed)`,
  );
  const scaled = (Object.keys(timing) as (keyof DeliveryTiming)[]).map((key) => `${key} ${seconds(timing[key])} (default ${seconds(DEFAULT_TIMING[key])})`);
  console.log(`  timings scaled down from the defaults: ${scaled.join(', ')}`);
  console.log(
    `  faults          : ${figures.faults} of ${figures.requests} requests (${pct(figures.faults, figures.requests)}; answers held ` +
      `${seconds(figures.heldMs.withinGrace)} and, past the grace delay, ${seconds(figures.heldMs.pastGrace)}), ` +
      `${figures.sessionExpiries} session expiries (one every ${EXPIRE_EVERY_SENDS} sends)`,
  );
  console.log(`  delivered       : ${figures.delivered}`);
  console.log(`  duplicated      : ${figures.duplicated}  (live copies, at the end)`);
  console.log(`  lost            : ${figures.lost}`);
  console.log(`  messages written: ${figures.messagesWritten}  (every copy ever, deleted ones included)`);
  console.log(
    `  copies written then deleted: ${figures.writtenThenDeleted}  (goal 0; ${figures.writtenThenDeletedPastGrace} of them from a request held past the grace delay)`,
  );
  console.log(`  files delivered : ${figures.filesDelivered}`);
  console.log(
    `  files duplicated: ${figures.filesDuplicated}  (${figures.filesDuplicatedPastGrace} of them after an upload held past the grace delay; a file cannot be deleted)`,
  );
  console.log(`  files lost      : ${figures.filesLost}`);
  console.log(`  files written   : ${figures.filesWritten}  (every file ever)`);
  const perSend = (n: number) => (n / figures.sends).toFixed(2);
  const byCall = Object.entries(figures.requestsByCall).map(([req, n]) => `${req} ${perSend(n)}`);
  console.log(`  requests / send : ${perSend(figures.requests)}  (${byCall.join(', ')})`);
  console.log(`  time to drain   : ${(figures.drainMs / 1000).toFixed(1)} s`);
  console.log(`  from the first sendMsg to the message known delivered, by how that request ended (median, max):`);
  for (const ended of Object.keys(FIRST_REQUEST_WORDS) as FirstRequest[]) {
    const times = figures.deliveryMs[ended] ?? [];
    if (times.length === 0) continue;
    console.log(`    ${FIRST_REQUEST_WORDS[ended].padEnd(38)}: ${String(times.length).padStart(3)} sends, ${seconds(median(times))}, ${seconds(Math.max(...times))}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printReliability(await reliability());
