/**
 * Hostile and malformed replies, over real HTTP, into the worker's own code: the API client, the
 * poll (book merge, badge, notifications), a book's messages, the outbox's delivery and sign-in.
 * A tiny raw HTTP server in the test answers each call with the body the case gives (anything at
 * all: cut short, not JSON, wrong types, huge, `nok` with or without a code), and a valid answer
 * otherwise.
 *
 * Whatever comes: no exception escapes, the stored state stays consistent (the badge count is the
 * sum of the stored books' counts, every count and stamp a whole number a computer can hold), and
 * what went wrong is said in a short sentence.
 *
 * First the hand-picked cases of `test/corpus/hostile-replies.json`, then generated ones (fast-check).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createClient, type TimeTonicClient } from '../../src/api';
import type { MessageCache } from '../../src/domain/messages';
import { newItem, type OutboxItem } from '../../src/domain/outbox';
import type { SyncStatus } from '../../src/domain/status';
import { bookCacheItem } from '../../src/shared/state';
import { createFakeBrowser } from '../support/fake-browser';
import { english } from '../support/words';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as import('../support/fake-browser').FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { poll } = await import('../../src/background/sync');
const { signIn } = await import('../../src/background/session');
const { refreshBadge } = await import('../../src/background/badge');
const { refreshBookMessages } = await import('../../src/background/book-messages');
const { deliverDue } = await import('../../src/background/delivery');

// Node 20 has no Web Locks; the test runs one thing at a time.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

interface Case {
  name: string;
  req: string;
  body: string;
  /** The connection closes halfway through the body. */
  cut?: boolean;
}

/** `<<N text>>` stands for N copies of text, so that huge cases stay small on disk. */
const expand = (body: string) => body.replace(/<<(\d+) (.*?)>>/gs, (_, times: string, text: string) => text.repeat(Number(times)));
const CORPUS: Case[] = JSON.parse(readFileSync(new URL('../corpus/hostile-replies.json', import.meta.url), 'utf8')).cases;

const PASSWORD = 's3cret-Pa55';
const BOOK = { b_o: 'alice', b_c: 'inbox' };

/** Valid answers, for every call a case does not answer. */
const VALID: Record<string, string> = {
  createAppkey: JSON.stringify({ status: 'ok', appkey: 'app-1' }),
  createOauthkey: JSON.stringify({ status: 'ok', oauthkey: 'oauth-1', o_u: 'demo' }),
  createSesskey: JSON.stringify({ status: 'ok', sesskey: 'sess-1' }),
  getAllBooks: JSON.stringify({
    status: 'ok',
    sstamp: 3,
    allBooks: { nbBooks: 1, contacts: [], books: [{ b_o: 'alice', b_c: 'inbox', nbNotRead: 2, ownerPrefs: { title: 'Inbox' } }] },
  }),
  getBookMessages: JSON.stringify({ status: 'ok', sstamp: 3, bookMessages: [] }),
  sendMsg: JSON.stringify({ status: 'ok', sstamp: 4, createMessageId: 77, smid: 77 }),
};

let hostile: Server;
let url: string;
/** The answers waiting for their call, in order. */
const queued: Case[] = [];

beforeAll(async () => {
  hostile = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const req = new URLSearchParams(Buffer.concat(chunks).toString()).get('req') ?? '';
      const index = queued.findIndex((c) => c.req === req);
      const answer = index >= 0 ? queued.splice(index, 1)[0]! : { name: 'valid', req, body: VALID[req] ?? '{"status":"ok","sstamp":1}' };
      const bytes = Buffer.from(expand(answer.body));
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, Connection: 'close' });
      if (answer.cut) {
        response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setImmediate(() => response.destroy());
      } else {
        response.end(bytes);
      }
    });
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => hostile.close(resolve)));

beforeEach(async () => {
  queued.length = 0;
  fake.browser = createFakeBrowser();
  await fake.browser.storage.sync.set({ server: url });
  expect(await signIn('demo', PASSWORD)).toEqual({ ok: true });
  await poll({ kind: 'signIn' });
});

const local = <T>(key: string) => fake.browser.storage.local.data.get(key) as T;

/** A short sentence: words, no stray `undefined`, `[object Object]` or NaN, and no password. */
function expectWords(text: unknown) {
  expect(typeof text).toBe('string');
  const words = text as string;
  expect(words.trim().length).toBeGreaterThan(0);
  expect(words.length).toBeLessThanOrEqual(400);
  expect(words).not.toMatch(/undefined|\[object|NaN/);
  expect(words).not.toContain(PASSWORD);
}

const wholeCount = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The stored book list and status are consistent, and the badge shows exactly their sum. */
async function expectConsistentState() {
  const cache = await bookCacheItem.get();
  const status = local<SyncStatus>('syncStatus');
  expect(cache.sstamp === null || wholeCount(cache.sstamp)).toBe(true);
  let total = 0;
  for (const [key, book] of Object.entries(cache.books)) {
    expect(key).toBe(`${book.b_o}/${book.b_c}`);
    expect(book.b_o.length > 0 && book.b_c.length > 0).toBe(true);
    expect(typeof book.title).toBe('string');
    expect(wholeCount(book.nbNotRead)).toBe(true);
    expect(wholeCount(book.sstamp)).toBe(true);
    if (book.lastMsg) expect([typeof book.lastMsg.text, wholeCount(book.lastMsg.smid)]).toEqual(['string', true]);
    if (book.accepted && !book.archived) total += book.nbNotRead;
  }
  expect(Number.isSafeInteger(total)).toBe(true);
  for (const name of Object.values(cache.names)) expect(typeof name).toBe('string');
  await refreshBadge();
  const count = total <= 0 ? '' : total > 99 ? '99+' : String(total);
  if (status.state === 'ok') expect(fake.browser.badge.text).toBe(count);
  else if (status.state !== 'signedOut' && status.state !== 'signInAgain') expect([count, '!', '?', 'off']).toContain(fake.browser.badge.text);
  expectWords(fake.browser.badge.title);
  if ('detail' in status) expectWords(status.detail);
  for (const shown of fake.browser.shown.values()) expect([typeof shown.title, typeof shown.message]).toEqual(['string', 'string']);
}

/** A client call either gives a value or fails with an ApiError that says, in words, which call and what. */
async function expectClientHandles(call: () => Promise<unknown>, req: string) {
  const error = await call().then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return;
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).message.startsWith(`${req}: `)).toBe(true);
  expectWords((error as ApiError).message);
}

const keys = { o_u: 'demo', sesskey: 'sess-1' };

/** Runs one case through the client, then through the worker code that meets that reply. */
async function runCase(c: Case, api: TimeTonicClient) {
  const direct: Record<string, () => Promise<unknown>> = {
    getAllBooks: () => api.getAllBooks(keys, { sstamp: 2 }),
    getBookMessages: () => api.getBookMessages(keys, BOOK, { nbMax: 20 }),
    sendMsg: () => api.sendMsg(keys, BOOK, { msg: 'x', uuid: 'u-1' }),
    createOauthkey: () => api.createOauthkey({ login: 'demo', pwd: PASSWORD, appkey: 'app-1' }),
  };
  queued.push(c);
  await expectClientHandles(direct[c.req]!, c.req);
  expect(queued).toEqual([]);

  queued.push(c);
  switch (c.req) {
    case 'getAllBooks':
      await poll({ kind: 'alarm', lateByMs: 0 });
      break;
    case 'getBookMessages': {
      const outcome = await refreshBookMessages(BOOK);
      if (!outcome.ok) expectWords(outcome.error);
      expectConsistentMessages();
      break;
    }
    case 'sendMsg':
      await deliverOne();
      break;
    case 'createOauthkey': {
      const outcome = await signIn('demo', PASSWORD);
      if (!outcome.ok) expectWords(outcome.error);
      break;
    }
  }
  await expectConsistentState();
  expect(JSON.stringify([...fake.browser.storage.local.data, ...fake.browser.storage.session.data])).not.toContain(PASSWORD);
}

function expectConsistentMessages() {
  const cache = local<MessageCache | undefined>('messageCache');
  for (const entry of Object.values(cache?.books ?? {})) {
    expect(wholeCount(entry.sstamp)).toBe(true);
    for (const message of entry.messages) {
      expect(wholeCount(message.smid)).toBe(true);
      expect(typeof message.text).toBe('string');
      for (const file of message.files) expect(typeof file.name).toBe('string');
    }
  }
}

/** One send through the real delivery loop; it ends sent, waiting or failed, with a reason in words. */
async function deliverOne() {
  let items: OutboxItem[] = [
    newItem({ uuid: 'u-1', account: { server: url, o_u: 'demo' }, book: BOOK, bookTitle: 'Inbox', text: 'Hello', sinceStamp: 3, now: 1_000 }),
  ];
  const { withSession } = await import('../../src/background/session');
  await deliverDue({
    read: async () => structuredClone(items),
    change: async (uuid, update) => {
      const found = items.find((item) => item.uuid === uuid);
      if (!found) return null;
      const changed = update(structuredClone(found));
      items = items.map((item) => (item.uuid === uuid ? changed : item));
      return structuredClone(changed);
    },
    account: async () => ({ server: url, o_u: 'demo' }),
    withSession: (account, call) => withSession(call, account),
    attachment: async () => null,
    forgetAttachment: async () => undefined,
    timing: { firstRetryMs: 1_000, maxRetryMs: 5_000, requestTimeoutMs: 2_000, graceMs: 3_000 },
    t: english,
    now: () => 1_000,
    random: () => 0.5,
  });
  const [item] = items;
  expect(['pending', 'sent', 'failed']).toContain(item!.status);
  if (item!.status === 'sent') expect(wholeCount(item!.smid)).toBe(true);
  if (item!.reason) expectWords(item!.reason);
}

describe('hostile replies', () => {
  it('the corpus holds at least 50 hand-picked cases, each with a name of its own', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runCase(c, createClient({ server: url, timeoutMs: 5_000 }));
  });
});

/** A valid getAllBooks reply with some of its values replaced by anything, some fields dropped. */
const hostileValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.constantFrom(-1, 0.5, 2 ** 53, 2 ** 53 + 2, 1e300, -1e300),
  fc.integer({ min: 0, max: 100 }).map(String),
  fc.constantFrom('1e3', '-4', '0x10', ' 7', '99999999999999999999'),
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(200_000)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

const BOOK_FIELDS = ['b_o', 'b_c', 'sstamp', 'del', 'accepted', 'archived', 'favorite', 'order', 'nbNotRead', 'members', 'lastMsg', 'ownerPrefs'];
const bookArb = fc
  .record({
    i: fc.integer({ min: 0, max: 4 }),
    nbNotRead: fc.integer({ min: 0, max: 150 }),
    changes: fc.array(fc.tuple(fc.constantFrom(...BOOK_FIELDS), hostileValue), { maxLength: 3 }),
  })
  .map(({ i, nbNotRead, changes }) => {
    const book: Record<string, unknown> = {
      b_o: 'alice',
      b_c: `book-${i}`,
      sstamp: 5,
      nbNotRead,
      ownerPrefs: { title: `Book ${i}` },
      members: [{ u_c: 'demo', right: 2, invite: 'accepted' }],
      lastMsg: { smid: 9, u_c: 'bob', msg: 'hello', created: 1_700_000_000 },
    };
    for (const [field, value] of changes) {
      if (value === undefined) delete book[field];
      else book[field] = value;
    }
    return book;
  });

const replyArb = fc
  .record({
    status: fc.oneof({ weight: 8, arbitrary: fc.constant('ok') }, fc.constant('nok'), hostileValue),
    sstamp: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1_000 }) }, hostileValue),
    books: fc.oneof({ weight: 6, arbitrary: fc.array(bookArb, { maxLength: 6 }) }, hostileValue),
    contacts: fc.oneof(fc.constant([{ u_c: 'bob', firstName: 'Bob', lastName: 'O' }]), hostileValue),
    errorCode: fc.option(hostileValue, { nil: undefined }),
    errorMsg: fc.option(hostileValue, { nil: undefined }),
    /** Where the body is cut, as a share of its length; none most of the time. */
    cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 4, nil: undefined }),
  })
  .map(({ status, sstamp, books, contacts, errorCode, errorMsg, cutAt }) => {
    const body = JSON.stringify({ status, sstamp, errorCode, errorMsg, allBooks: { nbBooks: 3, contacts, books } });
    return cutAt === undefined ? body : body.slice(0, Math.floor(body.length * cutAt));
  });

type Path = (string | number)[];

/** Every place in a JSON value where another value may go. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [at];
  const inner = Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...at, Array.isArray(value) ? Number(key) : key]));
  return at.length === 0 ? inner : [at, ...inner];
}

/** `template` with some of its values replaced by anything (or dropped), as text, maybe cut short. */
function mutated(template: object) {
  return fc
    .record({
      changes: fc.array(fc.tuple(fc.constantFrom(...pathsOf(template)), hostileValue), { maxLength: 4 }),
      cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 4, nil: undefined }),
    })
    .map(({ changes, cutAt }) => {
      const reply = structuredClone(template) as Record<string | number, unknown>;
      for (const [path, value] of changes) {
        const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown> | null)?.[key], reply);
        if (typeof parent !== 'object' || parent === null) continue;
        const key = path.at(-1)!;
        if (value === undefined) delete (parent as Record<string | number, unknown>)[key];
        else (parent as Record<string | number, unknown>)[key] = value;
      }
      const body = JSON.stringify(reply);
      return cutAt === undefined ? body : body.slice(0, Math.floor(body.length * cutAt));
    });
}

const MESSAGES_TEMPLATE = {
  status: 'ok',
  sstamp: 20,
  bookMessages: [
    { smid: 2, u_c: 'bob', msg: 'hello', created: 1_700_000_000, sstamp: 19, medias: [{ type: 'media', originName: 'a.png', internName: 'x1', size: 10 }] },
    { smid: 1, u_c: 'demo', msg: 'first', created: 1_699_999_000, del: false },
  ],
};
const SEND_TEMPLATE = { status: 'ok', sstamp: 30, createMessageId: 77, smid: 77, uuid: 'u-1' };

describe('generated replies (property)', () => {
  it("a book's messages, read from anything, keep the message cache consistent", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutated(MESSAGES_TEMPLATE), { minLength: 1, maxLength: 3 }), async (bodies) => {
        for (const body of bodies) {
          queued.push({ name: 'generated', req: 'getBookMessages', body });
          const outcome = await refreshBookMessages(BOOK);
          if (!outcome.ok) expectWords(outcome.error);
          expect(queued).toEqual([]);
          expectConsistentMessages();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a send answered with anything ends sent, waiting or failed, with its reason in words', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(SEND_TEMPLATE), async (body) => {
        queued.push({ name: 'generated', req: 'sendMsg', body });
        await deliverOne();
        expect(queued).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('a run of polls with anything for answers keeps the stored state consistent', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(replyArb, { minLength: 1, maxLength: 3 }), async (bodies) => {
        for (const body of bodies) {
          queued.push({ name: 'generated', req: 'getAllBooks', body });
          await poll({ kind: 'alarm', lateByMs: 0 });
          expect(queued).toEqual([]);
          await expectConsistentState();
        }
      }),
      { numRuns: 120 },
    );
  });
});
