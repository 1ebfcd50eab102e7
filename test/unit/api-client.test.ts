/** The API client against the local TimeTonic-compatible server, over real HTTP. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createClient, dbiByInternName, dbiByMessage, type SessionKeys, type TimeTonicClient } from '../../src/api';
import { parseReply } from '../../src/api/transport';
import { allBooksReply } from '../../src/api/schemas';
import { startServer, type LocalServer } from '../../server';
import { SERVER_ERRORS, type ServerErrorKey } from '../../server/errors';
import type { ApiErrorKind } from '../../src/api/errors';

let server: LocalServer;
let api: TimeTonicClient;

beforeAll(async () => {
  server = await startServer({ port: 0, seed: 'demo', maxUploadBytes: 1024 * 1024 });
  api = createClient({ server: server.url, timeoutMs: 5_000 });
});
afterAll(() => server.close());
beforeEach(() => server.control.reset());

async function signIn(login = 'demo', pwd = 'demo'): Promise<SessionKeys & { oauthkey: string }> {
  const appkey = await api.createAppkey('TimeTonic Companion');
  const { oauthkey, o_u } = await api.createOauthkey({ login, pwd, appkey });
  const sesskey = await api.createSesskey({ o_u, oauthkey });
  return { o_u, oauthkey, sesskey };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const book = { b_o: 'demo', b_c: 'marketing-2027' };

describe('the key chain', () => {
  it('turns login and password into a session key', async () => {
    const session = await signIn();
    expect(session.o_u).toBe('demo');
    const info = await api.getUserInfo(session);
    expect(info.userInfo?.u_c).toBe('demo');
    expect(info.sstamp).toBeGreaterThan(0);
    // Asked again with the stamp it gave, nothing changed: no userInfo.
    expect((await api.getUserInfo(session, { sstamp: info.sstamp })).userInfo).toBeUndefined();
  });

  it('sends the password in createOauthkey only', async () => {
    const session = await signIn();
    await api.getAllBooks(session);
    const withPassword = server.control.log().filter((entry) => 'pwd' in entry.params);
    expect(withPassword.map((entry) => entry.req)).toEqual(['createOauthkey']);
  });

  it('calls a wrong password bad credentials', async () => {
    const appkey = await api.createAppkey('TimeTonic Companion');
    const error = await failure(api.createOauthkey({ login: 'demo', pwd: 'wrong', appkey }));
    expect(error.kind).toBe('badCredentials');
    expect(error.transient).toBe(false);
  });

  it('calls an unknown appkey an invalid appkey', async () => {
    const error = await failure(api.createOauthkey({ login: 'demo', pwd: 'demo', appkey: 'nope' }));
    expect(error.kind).toBe('invalidAppkey');
    expect(error.details.code).toBe('apiProcess91');
  });

  it('calls a refused oauthkey bad credentials', async () => {
    const error = await failure(api.createSesskey({ o_u: 'demo', oauthkey: 'not-a-key' }));
    expect(error.kind).toBe('badCredentials');
  });

  it('calls an expired session an invalid session, and a new sesskey from the oauthkey works', async () => {
    const session = await signIn();
    server.control.expireSessions('demo');
    const error = await failure(api.getAllBooks(session));
    expect(error.kind).toBe('invalidSession');
    const sesskey = await api.createSesskey(session);
    expect((await api.getAllBooks({ ...session, sesskey })).books.length).toBeGreaterThan(0);
  });

  it('drops the other sessions but keeps this one', async () => {
    const other = await signIn();
    const mine = await signIn();
    await api.dropAllSessions(mine);
    expect((await failure(api.getAllBooks(other))).kind).toBe('invalidSession');
    expect((await failure(api.createSesskey(other))).kind).toBe('badCredentials');
    await expect(api.getAllBooks(mine)).resolves.toMatchObject({ sstamp: expect.any(Number) });
  });
});

describe('books and messages', () => {
  it('lists the books with titles and unread counts, then only what changed since the stamp', async () => {
    const session = await signIn();
    const full = await api.getAllBooks(session);
    expect(full.books.length).toBeGreaterThanOrEqual(10);
    const support = full.books.find((b) => b.b_o === book.b_o && b.b_c === book.b_c);
    expect(support?.ownerPrefs.title).not.toBe('');

    const idle = await api.getAllBooks(session, { sstamp: full.sstamp });
    expect(idle.books).toEqual([]);

    server.control.postAs('alice', book.b_o, book.b_c, 'New ticket from a customer');
    const delta = await api.getAllBooks(session, { sstamp: full.sstamp });
    expect(delta.books.map((b) => b.b_c)).toEqual([book.b_c]);
    expect(delta.books[0]!.nbNotRead).toBe(support!.nbNotRead + 1);
    expect(delta.books[0]!.lastMsg?.msg).toBe('New ticket from a customer');
    expect(delta.sstamp).toBeGreaterThan(full.sstamp);
  });

  it('reads one book, and names an unknown book and a book of others', async () => {
    const session = await signIn();
    const info = await api.getBookInfo(session, book);
    expect(info.book.b_c).toBe(book.b_c);
    expect((await failure(api.getBookInfo(session, { b_o: 'demo', b_c: 'no-such-book' }))).kind).toBe('notFound');
    const others = await signIn('alice', 'alice-pw');
    const all = await api.getAllBooks(others);
    const demoBooks = new Set((await api.getAllBooks(session)).books.map((b) => `${b.b_o}/${b.b_c}`));
    const foreign = all.books.find((b) => !demoBooks.has(`${b.b_o}/${b.b_c}`));
    expect(foreign, 'the demo data has a book demo is not in').toBeDefined();
    expect((await failure(api.getBookInfo(session, foreign!))).kind).toBe('noRights');
  });

  it('sends a message once per uuid, pages through messages, deletes one', async () => {
    const session = await signIn();
    const uuid = crypto.randomUUID();
    const sent = await api.sendMsg(session, book, { msg: 'Hello from the toolbar', uuid });
    expect(sent.smid).toBeGreaterThan(0);
    const again = await api.sendMsg(session, book, { msg: 'Hello from the toolbar', uuid });
    expect(again.smid).toBe(sent.smid);

    const page1 = await api.getBookMessages(session, book, { nbMax: 2, page: 1 });
    expect(page1.messages.map((m) => m.smid)[0]).toBe(sent.smid);
    expect(page1.messages).toHaveLength(2);
    const page2 = await api.getBookMessages(session, book, { nbMax: 2, page: 2 });
    expect(page2.messages[0]!.smid).toBeLessThan(page1.messages[1]!.smid);
    expect((await api.getBookMessages(session, book, { search: 'from the toolbar' })).messages).toHaveLength(1);

    const before = page1.sstamp;
    await api.deleteMsg(session, book, sent.smid);
    const changed = await api.getBookMessages(session, book, { sstamp: before });
    expect(changed.messages.find((m) => m.smid === sent.smid)?.del).toBe(true);
    expect((await failure(api.deleteMsg(session, book, 99_999_999))).kind).toBe('notFound');
  });

  it('uploads a file as multipart and reads the same bytes back', async () => {
    const session = await signIn();
    const { smid } = await api.sendMsg(session, book, { msg: 'A picture', nbMedias: 1, uuid: crypto.randomUUID() });
    const bytes = Buffer.from(Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
    const uploaded = await api.fileUpload(session, book, {
      smid,
      uuid: crypto.randomUUID(),
      file: new Blob([new Uint8Array(bytes)], { type: 'image/png' }),
      name: 'chart.png',
    });
    expect(uploaded).toMatchObject({ smid, type: 'media', ext: 'png', originName: 'chart.png' });

    const open = await fetch(dbiByInternName(server.url, { internName: uploaded.internName, name: 'chart.png' }));
    expect(open.status).toBe(200);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes)).toBe(true);

    const byMessage = await fetch(dbiByMessage(server.url, session, { ...book, smid, mdc: uploaded.mdc }));
    expect(Buffer.from(await byMessage.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a file over the size limit as bad input', async () => {
    const session = await signIn();
    const { smid } = await api.sendMsg(session, book, { msg: 'Too big', nbMedias: 1 });
    const error = await failure(
      api.fileUpload(session, book, { smid, uuid: 'big-1', file: new Blob([new Uint8Array(2 * 1024 * 1024)]), name: 'big.bin' }),
    );
    expect(error.kind).toBe('badInput');
  });
});

describe('refusals of every call', () => {
  it('names a missing application name bad input', async () => {
    expect((await failure(api.createAppkey(''))).kind).toBe('badInput');
  });

  it('names a wrong session key an invalid session, for every call that needs one', async () => {
    const stale = { o_u: 'demo', sesskey: 'not-a-session-key' };
    const calls: [string, () => Promise<unknown>][] = [
      ['dropAllSessions', () => api.dropAllSessions(stale)],
      ['getUserInfo', () => api.getUserInfo(stale)],
      ['getAllBooks', () => api.getAllBooks(stale)],
      ['getBookInfo', () => api.getBookInfo(stale, book)],
      ['getBookMessages', () => api.getBookMessages(stale, book)],
      ['sendMsg', () => api.sendMsg(stale, book, { msg: 'x' })],
      ['deleteMsg', () => api.deleteMsg(stale, book, 1)],
      ['fileUpload', () => api.fileUpload(stale, book, { smid: 1, uuid: 'u', file: new Blob(['x']), name: 'x.txt' })],
    ];
    for (const [req, call] of calls) {
      const error = await failure(call());
      expect([req, error.kind, error.details.req]).toEqual([req, 'invalidSession', req]);
    }
  });

  it('names a read-only book no rights for sendMsg, and an unknown book not found for getBookMessages', async () => {
    const session = await signIn();
    expect((await failure(api.sendMsg(session, { b_o: 'bob', b_c: 'community-garden' }, { msg: 'x' }))).kind).toBe('noRights');
    expect((await failure(api.getBookMessages(session, { b_o: 'demo', b_c: 'nothing-here' }))).kind).toBe('notFound');
  });
});

describe('faults', () => {
  it('reads an HTTP 500 as a transient http status', async () => {
    const session = await signIn();
    server.control.injectFaults({ kind: 'http500', req: 'getAllBooks' });
    const error = await failure(api.getAllBooks(session));
    expect(error).toMatchObject({ kind: 'httpStatus', details: { status: 500 } });
    expect(error.transient).toBe(true);
  });

  it('reads a reply that is not JSON as a bad reply', async () => {
    const session = await signIn();
    server.control.injectFaults({ kind: 'malformed', req: 'getAllBooks' });
    const error = await failure(api.getAllBooks(session));
    expect(error.kind).toBe('badReply');
    expect(error.message).toMatch(/not JSON/);
  });

  it('reads a dropped connection as a network error', async () => {
    const session = await signIn();
    server.control.injectFaults({ kind: 'drop', req: 'getAllBooks' });
    expect((await failure(api.getAllBooks(session))).kind).toBe('network');
  });

  it('times out a slow answer, and a cancelled call says so', async () => {
    const session = await signIn();
    server.control.injectFaults({ kind: 'delay', delayMs: 2_000, req: 'getAllBooks', count: 2 });
    expect((await failure(api.getAllBooks(session, {}, { timeoutMs: 100 }))).kind).toBe('timeout');
    const controller = new AbortController();
    const call = api.getAllBooks(session, {}, { signal: controller.signal });
    controller.abort();
    expect((await failure(call)).kind).toBe('cancelled');
  });

  it('reads an injected nok by its code', async () => {
    const session = await signIn();
    server.control.injectFaults({ kind: 'nok', req: 'getAllBooks', errorCode: 'apiProcess170', errorMsg: 'invalid sesskey' });
    expect((await failure(api.getAllBooks(session))).kind).toBe('invalidSession');
  });
});

/** What each refusal of the server means to the extension, written from the server's table. */
const MEANING: Record<ServerErrorKey, ApiErrorKind> = {
  missingParameter: 'badInput',
  unknownRequest: 'badInput',
  postOnly: 'badInput',
  invalidAppkey: 'invalidAppkey',
  invalidLogin: 'badCredentials',
  invalidOauthkey: 'badCredentials',
  invalidSesskey: 'invalidSession',
  expiredSesskey: 'invalidSession',
  userMismatch: 'noRights',
  unknownBook: 'notFound',
  noRights: 'noRights',
  unknownMessage: 'notFound',
  fileTooLarge: 'badInput',
  missingFile: 'badInput',
  unknownTable: 'notFound',
  unknownRow: 'notFound',
  unknownField: 'badInput',
  readOnlyField: 'noRights',
  invalidValue: 'badInput',
  invalidFieldValues: 'badInput',
};

describe("the server's refusals", () => {
  it.each(Object.entries(SERVER_ERRORS) as [ServerErrorKey, { code: string; msg: string }][])(
    'reads %s as meant',
    async (key, { code, msg }) => {
      const session = await signIn();
      server.control.injectFaults({ kind: 'nok', req: 'getAllBooks', errorCode: code, errorMsg: msg });
      expect(await failure(api.getAllBooks(session))).toMatchObject({ kind: MEANING[key], details: { code } });
      // The refusals that make the extension renew keys or ask to sign in must be understood from
      // the words alone too, from a server whose codes differ.
      if (!['invalidAppkey', 'badCredentials', 'invalidSession'].includes(MEANING[key])) return;
      server.control.injectFaults({ kind: 'nok', req: 'getAllBooks', errorCode: 'x-unknown', errorMsg: msg });
      expect((await failure(api.getAllBooks(session))).kind).toBe(MEANING[key]);
    },
  );
});

describe('reading replies', () => {
  it('reads the older single error string', () => {
    try {
      parseReply('createOauthkey', '{"status":"nok","error":"apiProcess91: invalid appkey"}', allBooksReply);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalidAppkey', details: { code: 'apiProcess91' }, message: 'createOauthkey: invalid appkey' });
    }
  });

  it('names what is missing in an ok reply', () => {
    expect(() => parseReply('getAllBooks', '{"status":"ok","sstamp":5}', allBooksReply)).toThrow('getAllBooks: unexpected answer: allBooks is missing');
    expect(() => parseReply('getAllBooks', '{"status":"ok","sstamp":5,"allBooks":{"books":[{"b_o":"x"}]}}', allBooksReply)).toThrow(
      'getAllBooks: unexpected answer: allBooks.books.0.b_c is missing',
    );
  });

  it('accepts numbers spelled as strings and 0/1 flags', () => {
    const reply = parseReply(
      'getAllBooks',
      '{"status":"ok","sstamp":"42","allBooks":{"books":[{"b_o":"x","b_c":"y","sstamp":"41","del":0,"archived":"1","nbNotRead":"3"}]}}',
      allBooksReply,
    );
    expect(reply.sstamp).toBe(42);
    expect(reply.allBooks.books[0]).toMatchObject({ sstamp: 41, del: false, archived: true, nbNotRead: 3 });
  });

  it('refuses a status that is neither ok nor nok', () => {
    expect(() => parseReply('getAllBooks', '{"status":"maybe"}', allBooksReply)).toThrow(ApiError);
  });
});
