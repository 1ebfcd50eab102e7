/**
 * The local TimeTonic-compatible server over real HTTP, with plain fetch.
 */

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_ERRORS } from '../../server/errors';
import { startServer, type LocalServer } from '../../server/index';
import { solidPng } from '../../server/demo';

// Replies are free-form JSON; the assertions say what is expected of them.
type Json = any;
type Session = { o_u: string; u_c: string; sesskey: string; oauthkey: string };

const MAX_UPLOAD = 64 * 1024;
let server: LocalServer;
let apiUrl: string;

beforeAll(async () => {
  server = await startServer({ port: 0, maxUploadBytes: MAX_UPLOAD });
  apiUrl = `${server.url}/live/api.php`;
});
afterAll(() => server.close());
beforeEach(() => server.control.reset());

async function call(req: string, params: Record<string, string | number> = {}): Promise<Json> {
  const body = new URLSearchParams({ version: '1.47', req });
  for (const [k, v] of Object.entries(params)) body.set(k, String(v));
  const res = await fetch(apiUrl, { method: 'POST', body });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json();
}

async function login(user = 'demo', pwd = user === 'demo' ? 'demo' : `${user}-pw`): Promise<Session> {
  const { appkey } = await call('createAppkey', { appname: 'tests' });
  const { oauthkey, o_u } = await call('createOauthkey', { login: user, pwd, appkey });
  const { sesskey } = await call('createSesskey', { o_u, u_c: o_u, oauthkey });
  return { o_u, u_c: o_u, sesskey, oauthkey };
}

function as(s: Session) {
  return (req: string, params: Record<string, string | number> = {}) =>
    call(req, { o_u: s.o_u, u_c: s.u_c, sesskey: s.sesskey, ...params });
}

function expectNok(reply: Json, nok: { code: string; msg: string }) {
  expect(reply).toMatchObject({ status: 'nok', errorCode: nok.code, errorMsg: nok.msg, createdVNB: 'local-1.0' });
}

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox' };

/** A `/__control/` endpoint: GET without a body, POST with one. */
function control(path: string, body?: unknown, base = server.url): Promise<Json> {
  return fetch(`${base}/__control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
}

describe('keys and sessions', () => {
  it('makes the key chain and refuses what it must', async () => {
    const created = await call('createAppkey', { appname: 'x' });
    expect(created).toMatchObject({ status: 'ok', req: 'createAppkey', createdVNB: 'local-1.0' });
    expect(created.appkey).toMatch(/^([A-Za-z0-9]{4}-){5}0$/);
    const { appkey } = created;

    const noVersion = await (await fetch(apiUrl, { method: 'POST', body: new URLSearchParams({ req: 'createAppkey', appname: 'x' }) })).json();
    expect(noVersion).toMatchObject({ status: 'nok', errorCode: SERVER_ERRORS.missingParameter.code, errorMsg: 'missing parameter: version' });
    expectNok(await call('noSuchCall'), SERVER_ERRORS.unknownRequest);
    expectNok(await call('createOauthkey', { login: 'demo', pwd: 'demo', appkey: 'nope' }), SERVER_ERRORS.invalidAppkey);
    expectNok(await call('createOauthkey', { login: 'demo', pwd: 'wrong', appkey }), SERVER_ERRORS.invalidLogin);
    expect(await call('createOauthkey', { login: 'demo', appkey })).toMatchObject({ errorMsg: 'missing parameter: pwd' });

    const byEmail = await call('createOauthkey', { login: 'demo@example.com', pwd: 'demo', appkey });
    expect(byEmail).toMatchObject({ status: 'ok', o_u: 'demo' });
    expectNok(await call('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey: 'nope' }), SERVER_ERRORS.invalidOauthkey);
    expectNok(await call('createSesskey', { o_u: 'alice', u_c: 'alice', oauthkey: byEmail.oauthkey }), SERVER_ERRORS.invalidOauthkey);
    expectNok(await call('createSesskey', { o_u: 'demo', u_c: 'alice', oauthkey: byEmail.oauthkey }), SERVER_ERRORS.userMismatch);

    const demo = await login();
    const alice = await login('alice');
    expectNok(await as({ ...demo, sesskey: 'nope' })('getUserInfo'), SERVER_ERRORS.invalidSesskey);
    expectNok(await as({ ...demo, sesskey: alice.sesskey })('getUserInfo'), SERVER_ERRORS.invalidSesskey);
    expectNok(await as({ ...demo, u_c: 'alice' })('getUserInfo'), SERVER_ERRORS.userMismatch);
    // `r` is accepted for `req`, as some examples of the API text write it.
    const body = new URLSearchParams({ version: '1', r: 'getUserInfo', o_u: 'demo', u_c: 'demo', sesskey: demo.sesskey });
    const res = await fetch(apiUrl, { method: 'POST', body });
    expect(res.headers.get('connection')).toBe('close');
    const info = await res.json();
    expect(info).toMatchObject({ status: 'ok', req: 'getUserInfo', userInfo: { u_c: 'demo', nbBooks: 11 } });
    expect(info.userInfo.userPrefs).toMatchObject({ fname: 'Dana', lname: 'Demo', mail1: 'demo@example.com' });
    const unchanged = await as(demo)('getUserInfo', { sstamp: info.sstamp });
    expect(unchanged.status).toBe('ok');
    expect(unchanged).not.toHaveProperty('userInfo');
  });

  it('expires sessions and revokes oauthkeys', async () => {
    const demo = await login();
    expect(server.control.expireSessions('demo')).toBe(1);
    expectNok(await as(demo)('getAllBooks'), SERVER_ERRORS.expiredSesskey);
    const renewed = await call('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey: demo.oauthkey });
    expect((await as({ ...demo, sesskey: renewed.sesskey })('getAllBooks')).status).toBe('ok');
    server.control.revokeOauthkeys('demo');
    expectNok(await call('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey: demo.oauthkey }), SERVER_ERRORS.invalidOauthkey);
  });

  it('dropAllSessions keeps only the session given and its oauthkey', async () => {
    const first = await login();
    const second = await login();
    expect((await as(second)('dropAllSessions')).status).toBe('ok');
    expectNok(await as(first)('getUserInfo'), SERVER_ERRORS.invalidSesskey);
    expectNok(await call('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey: first.oauthkey }), SERVER_ERRORS.invalidOauthkey);
    expect((await as(second)('getUserInfo')).status).toBe('ok');
    expect((await call('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey: second.oauthkey })).status).toBe('ok');
  });
});

describe('books', () => {
  it('lists the demo books and sends only what changed since a stamp', async () => {
    const demo = as(await login());
    const full = await demo('getAllBooks');
    const books: Json[] = full.allBooks.books;
    expect(full.allBooks.nbBooks).toBe(11);
    expect(books).toHaveLength(11);
    expect(full.allBooks.contacts.map((c: Json) => c.u_c)).toEqual(['alice', 'bob', 'carla']);
    expect(books.filter((b) => b.archived)).toHaveLength(1);
    expect(books.filter((b) => !b.accepted)).toHaveLength(1);
    expect(books.filter((b) => b.nbNotRead > 0).length).toBeGreaterThanOrEqual(3);
    const support = books.find((b) => b.b_c === SUPPORT.b_c);
    expect(support).toMatchObject({ del: false, ownerPrefs: { title: 'Support inbox' }, lastMsg: { b_c: 'support-inbox' } });
    const unread = books.filter((b) => b.accepted && !b.archived).reduce((n, b) => n + b.nbNotRead, 0);
    expect(server.control.unreadTotal('demo')).toBe(unread);

    server.control.postAs('bob', SUPPORT.b_o, SUPPORT.b_c, 'New ticket #4900');
    const delta = await demo('getAllBooks', { sstamp: full.sstamp });
    expect(delta.sstamp).toBeGreaterThan(full.sstamp);
    expect(delta.allBooks.nbBooks).toBe(11);
    expect(delta.allBooks.books).toHaveLength(1);
    expect(delta.allBooks.books[0]).toMatchObject({ b_c: SUPPORT.b_c, nbNotRead: support.nbNotRead + 1, lastMsg: { msg: 'New ticket #4900', u_c: 'bob' } });
    expect((await demo('getAllBooks', { sstamp: delta.sstamp })).allBooks.books).toEqual([]);

    // The user's own state counts as a change of the book for them.
    server.control.markRead('demo', SUPPORT.b_o, SUPPORT.b_c);
    const read = await demo('getAllBooks', { sstamp: delta.sstamp });
    expect(read.allBooks.books.map((b: Json) => [b.b_c, b.nbNotRead])).toEqual([[SUPPORT.b_c, 0]]);

    // A deleted book comes back once as a tombstone.
    server.control.deleteBook('carla', 'recipes');
    const gone = await demo('getAllBooks', { sstamp: read.sstamp });
    expect(gone.allBooks.books).toEqual([{ b_c: 'recipes', b_o: 'carla', del: true, sstamp: gone.sstamp }]);
    expect(gone.allBooks.nbBooks).toBe(10);
    expect((await demo('getAllBooks', { sstamp: gone.sstamp })).allBooks.books).toEqual([]);
  });

  it('getBookInfo answers for members only', async () => {
    const demo = as(await login());
    const info = await demo('getBookInfo', SUPPORT);
    expect(info.book).toMatchObject({ b_o: 'alice', b_c: 'support-inbox', nbMembers: 4 });
    expectNok(await demo('getBookInfo', { b_o: 'bob', b_c: 'bike-club' }), SERVER_ERRORS.noRights);
    expectNok(await demo('getBookInfo', { b_o: 'bob', b_c: 'nope' }), SERVER_ERRORS.unknownBook);
  });
});

describe('messages', () => {
  it('pages, searches and sends changes including deletions', async () => {
    const demo = as(await login());
    const all = (await demo('getBookMessages', SUPPORT)).bookMessages as Json[];
    expect(all).toHaveLength(5);
    const smids = all.map((m) => m.smid);
    expect(smids).toEqual([...smids].sort((a, b) => b - a));
    expect(all.some((m) => m.msg.includes('<img src=x onerror=alert(1)>') && m.msg.includes('<b>bold</b>'))).toBe(true);

    const page = async (p: number) => (await demo('getBookMessages', { ...SUPPORT, nbMax: 2, page: p })).bookMessages.map((m: Json) => m.smid);
    expect([await page(1), await page(2), await page(3)]).toEqual([smids.slice(0, 2), smids.slice(2, 4), smids.slice(4)]);
    const older = await demo('getBookMessages', { ...SUPPORT, smidLast: smids[2] });
    expect(older.bookMessages.map((m: Json) => m.smid)).toEqual(smids.slice(3));
    const newer = await demo('getBookMessages', { ...SUPPORT, smidFirst: smids[2] });
    expect(newer.bookMessages.map((m: Json) => m.smid)).toEqual(smids.slice(0, 2));
    const found = await demo('getBookMessages', { ...SUPPORT, search_string: 'TICKET' });
    expect(found.bookMessages.length).toBeGreaterThan(0);
    expect(found.bookMessages.every((m: Json) => /ticket/i.test(m.msg))).toBe(true);

    const before = await demo('getBookMessages', { ...SUPPORT, nbMax: 1 });
    const sent = await demo('sendMsg', { ...SUPPORT, msg: 'Short-lived' });
    expect((await demo('deleteMsg', { ...SUPPORT, msg_id: sent.smid })).status).toBe('ok');
    const changes = await demo('getBookMessages', { ...SUPPORT, nbMax: 1, sstamp: before.sstamp });
    const deleted = changes.bookMessages.find((m: Json) => m.smid === sent.smid);
    expect(deleted).toMatchObject({ del: true, msg: 'Short-lived' });
    expect(deleted.sstamp).toBeGreaterThan(before.sstamp);
    const live = (await demo('getBookMessages', SUPPORT)).bookMessages as Json[];
    expect(live.some((m) => m.smid === sent.smid)).toBe(false);
    expectNok(await demo('deleteMsg', { ...SUPPORT, msg_id: smids[0] }), SERVER_ERRORS.noRights);
    expectNok(await demo('deleteMsg', { ...SUPPORT, msg_id: 999999 }), SERVER_ERRORS.unknownMessage);
  });

  it('sendMsg posts once per uuid and checks rights', async () => {
    const demo = as(await login());
    const alice = as(await login('alice'));
    const aliceBefore = (await alice('getBookInfo', SUPPORT)).book.nbNotRead;
    const first = await demo('sendMsg', { ...SUPPORT, msg: 'Hello <b>team</b>', uuid: 'client-uuid-1' });
    expect(first).toMatchObject({ status: 'ok', uuid: 'client-uuid-1' });
    expect(first.createMessageId).toBe(first.smid);
    const again = await demo('sendMsg', { ...SUPPORT, msg: 'Hello <b>team</b>', uuid: 'client-uuid-1' });
    expect([again.smid, again.createMessageId, again.uuid]).toEqual([first.smid, first.smid, 'client-uuid-1']);
    const messages = (await demo('getBookMessages', SUPPORT)).bookMessages as Json[];
    expect(messages.filter((m) => m.uuid === 'client-uuid-1')).toHaveLength(1);
    expect(messages[0]).toMatchObject({ smid: first.smid, msg: 'Hello <b>team</b>', u_c: 'demo', msgType: 'm' });
    expect((await alice('getBookInfo', SUPPORT)).book.nbNotRead).toBe(aliceBefore + 1);
    expect((await demo('getBookInfo', SUPPORT)).book.lastMsgRead).toBe(first.smid);

    const edited = await demo('sendMsg', { ...SUPPORT, msg: 'Hello team', msg_id: first.smid });
    expect(edited.smid).toBe(first.smid);
    expectNok(await alice('sendMsg', { ...SUPPORT, msg: 'Not mine', msg_id: first.smid }), SERVER_ERRORS.noRights);
    expectNok(await demo('sendMsg', { b_o: 'bob', b_c: 'community-garden', msg: 'read-only' }), SERVER_ERRORS.noRights);
    expectNok(await demo('sendMsg', { b_o: 'bob', b_c: 'nope', msg: 'x' }), SERVER_ERRORS.unknownBook);
    expect(await demo('sendMsg', { b_o: 'bob', msg: 'x' })).toMatchObject({ errorMsg: 'missing parameter: b_c' });
  });
});

async function upload(s: Session, fields: Record<string, string>, file?: Blob, name = 'photo.png'): Promise<Json> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ version: '1.47', req: 'fileUpload', o_u: s.o_u, u_c: s.u_c, sesskey: s.sesskey, ...fields })) form.set(k, v);
  if (file) form.set('qqfile', file, name);
  return (await fetch(apiUrl, { method: 'POST', body: form })).json();
}

describe('POST only', () => {
  it('refuses a GET or HEAD of api.php and performs nothing', async () => {
    const session = await login();
    const query = new URLSearchParams({ version: '1.47', req: 'sendMsg', ...SUPPORT, o_u: 'demo', u_c: 'demo', sesskey: session.sesskey, msg: 'by GET', uuid: 'u-get' });
    const res = await fetch(`${apiUrl}?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expectNok(await res.json(), SERVER_ERRORS.postOnly);
    expect((await fetch(`${apiUrl}?${query}`, { method: 'HEAD' })).status).toBe(200);
    expect(server.control.messagesWithUuid(SUPPORT.b_o, SUPPORT.b_c, 'u-get')).toEqual([]);
    expect(server.control.log().slice(-2)).toMatchObject([
      { method: 'GET', req: 'sendMsg', outcome: 'nok', errorCode: SERVER_ERRORS.postOnly.code },
      { method: 'HEAD', req: 'sendMsg', outcome: 'nok', errorCode: SERVER_ERRORS.postOnly.code },
    ]);

    // A POST may still carry its parameters in the query string.
    expect(await (await fetch(`${apiUrl}?${query}`, { method: 'POST' })).json()).toMatchObject({ status: 'ok', uuid: 'u-get' });
    expect(server.control.messagesWithUuid(SUPPORT.b_o, SUPPORT.b_c, 'u-get')).toMatchObject([{ msg: 'by GET', u_c: 'demo', files: 0 }]);
  });
});

describe('repeated uuids', () => {
  const png = solidPng(4, 4, [10, 200, 10]);
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  /** Posts the same message twice and uploads the same file twice to the first one. */
  async function sendTwice(): Promise<{ first: Json; second: Json }> {
    const s = await login();
    const post = as(s);
    const first = await post('sendMsg', { ...SUPPORT, msg: 'Twice', uuid: 'u-twice', nbMedias: 1 });
    const second = await post('sendMsg', { ...SUPPORT, msg: 'Twice', uuid: 'u-twice', nbMedias: 1 });
    for (let i = 0; i < 2; i++) {
      const reply = await upload(s, { ...SUPPORT, smid: String(first.smid), uuid: 'f-twice' }, new Blob([new Uint8Array(png)], { type: 'image/png' }));
      expect(reply.status).toBe('ok');
    }
    return { first, second };
  }

  it('with absorbing on, one message and one file per uuid', async () => {
    expect(await control('uuid-absorbing')).toEqual({ on: true });
    const { first, second } = await sendTwice();
    expect(second.smid).toBe(first.smid);
    expect(server.control.messagesWithUuid(SUPPORT.b_o, SUPPORT.b_c, 'u-twice')).toEqual([{ smid: first.smid, msg: 'Twice', u_c: 'demo', files: 1 }]);
  });

  it('with absorbing off, two messages and two files; a reset turns it back on', async () => {
    expect(await control('uuid-absorbing', { on: false })).toEqual({ on: false });
    expect(await control('uuid-absorbing')).toEqual({ on: false });
    expect(server.control.uuidAbsorbing()).toBe(false);
    const { first, second } = await sendTwice();
    expect(second.smid).not.toBe(first.smid);
    expect(server.control.messagesWithUuid(SUPPORT.b_o, SUPPORT.b_c, 'u-twice')).toEqual([
      { smid: first.smid, msg: 'Twice', u_c: 'demo', files: 2 },
      { smid: second.smid, msg: 'Twice', u_c: 'demo', files: 0 },
    ]);

    const { messages } = await control(`messages?b_o=${SUPPORT.b_o}&b_c=${SUPPORT.b_c}&uuid=u-twice`);
    const file = { originName: 'photo.png', contentType: 'image/png', size: png.length, sha256: sha256(png) };
    expect(messages).toEqual([
      { smid: first.smid, uuid: 'u-twice', u_c: 'demo', msg: 'Twice', files: [file, file] },
      { smid: second.smid, uuid: 'u-twice', u_c: 'demo', msg: 'Twice', files: [] },
    ]);
    // Without a uuid: every live message of the book, oldest first.
    const all = (await control(`messages?b_o=${SUPPORT.b_o}&b_c=${SUPPORT.b_c}`)).messages as Json[];
    expect(all).toHaveLength(7);
    expect(all.slice(-2).map((m) => m.smid)).toEqual([first.smid, second.smid]);

    server.control.reset();
    expect(await control('uuid-absorbing')).toEqual({ on: true });
    expect((await fetch(`${server.url}/__control/uuid-absorbing`, { method: 'POST', body: '{"on":"no"}' })).status).toBe(400);
  });

  it('the start option turns absorbing off, and a reset goes back to it', async () => {
    const strict = await startServer({ port: 0, absorbRepeatedUuid: false });
    try {
      expect(await control('uuid-absorbing', undefined, strict.url)).toEqual({ on: false });
      const strictCall = async (req: string, params: Record<string, string>) =>
        (await fetch(`${strict.url}/live/api.php`, { method: 'POST', body: new URLSearchParams({ version: '1.47', req, ...params }) })).json();
      const { appkey } = await strictCall('createAppkey', { appname: 'tests' });
      const { oauthkey } = await strictCall('createOauthkey', { login: 'demo', pwd: 'demo', appkey });
      const { sesskey } = await strictCall('createSesskey', { o_u: 'demo', u_c: 'demo', oauthkey });
      const send = () => strictCall('sendMsg', { ...SUPPORT, o_u: 'demo', u_c: 'demo', sesskey, msg: 'Twice', uuid: 'u-twice' });
      const first = await send();
      const second = await send();
      expect(second.smid).not.toBe(first.smid);
      expect(strict.control.messagesWithUuid(SUPPORT.b_o, SUPPORT.b_c, 'u-twice').map((m) => m.smid)).toEqual([first.smid, second.smid]);

      strict.control.setUuidAbsorbing(true);
      strict.control.reset();
      expect(strict.control.uuidAbsorbing()).toBe(false);
    } finally {
      await strict.close();
    }
  });
});

describe('files', () => {
  it('stores an upload and serves it back byte for byte', async () => {
    const session = await login();
    const demo = as(session);
    const { smid } = await demo('sendMsg', { ...SUPPORT, msg: 'Screenshot', nbMedias: 1 });
    const png = solidPng(8, 8, [200, 10, 10]);
    const fields = { ...SUPPORT, smid: String(smid), uuid: 'file-1' };
    const reply = await upload(session, fields, new Blob([new Uint8Array(png)], { type: 'image/png' }));
    expect(reply).toMatchObject({ status: 'ok', smid, uuid: 'file-1', type: 'media', mdc: 0, ext: 'png', originName: 'photo.png', size: png.length });
    expect(reply.internName).toMatch(/^[A-Za-z0-9]{10}\.png$/);
    expect(await upload(session, fields, new Blob([new Uint8Array(png)], { type: 'image/png' }))).toMatchObject({ id: reply.id, internName: reply.internName });

    const served = await fetch(`${server.url}/live/dbi/in/norm/${reply.internName}/photo.png`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const auth = new URLSearchParams({ o_u: 'demo', u_c: 'demo', sesskey: session.sesskey });
    const byMessage = await fetch(`${server.url}/live/dbi/ic/norm/alice/support-inbox/${smid}/0/photo.png?${auth}`);
    expect(Buffer.from(await byMessage.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${server.url}/live/dbi/ic/norm/alice/support-inbox/${smid}/0`)).status).toBe(403);
    expect((await fetch(`${server.url}/live/dbi/in/norm/nothing-here.png`)).status).toBe(404);

    const message = (await demo('getBookMessages', SUPPORT)).bookMessages[0];
    expect(message).toMatchObject({ smid, nbMedias: 1, medias: [{ id: reply.id, internName: reply.internName, type: 'media' }] });
    const doc = await upload(session, { ...fields, uuid: 'file-2' }, new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'data.csv');
    expect(doc).toMatchObject({ type: 'doc', mdc: 0, ext: 'csv' });
    expectNok(await upload(session, { ...fields, smid: '999999' }, new Blob([new Uint8Array(png)])), SERVER_ERRORS.unknownMessage);
    expectNok(await upload(session, fields), SERVER_ERRORS.missingFile);
  });

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const session = await login();
    const { smid } = await as(session)('sendMsg', { ...SUPPORT, msg: 'Big file', nbDocs: 1 });
    const filesBefore = server.control.state.filesById.size;
    const big = new Blob([new Uint8Array(MAX_UPLOAD + 1)], { type: 'application/pdf' });
    expectNok(await upload(session, { ...SUPPORT, smid: String(smid), uuid: 'big' }, big, 'big.pdf'), SERVER_ERRORS.fileTooLarge);
    expect(server.control.state.filesById.size).toBe(filesBefore);
    const message = (await as(session)('getBookMessages', SUPPORT)).bookMessages[0];
    expect(message.smid).toBe(smid);
    expect(message).not.toHaveProperty('medias');
  });
});

describe('faults', () => {
  it('drop and dropAfterWrite fail the fetch; only the second stores the call', async () => {
    const demo = as(await login());
    server.control.injectFaults({ kind: 'drop', req: 'sendMsg' });
    await expect(demo('sendMsg', { ...SUPPORT, msg: 'dropped', uuid: 'u-drop' })).rejects.toThrow();
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    await expect(demo('sendMsg', { ...SUPPORT, msg: 'written', uuid: 'u-written' })).rejects.toThrow();
    const uuids = ((await demo('getBookMessages', SUPPORT)).bookMessages as Json[]).map((m) => m.uuid);
    expect(uuids).toContain('u-written');
    expect(uuids).not.toContain('u-drop');
    // The client's retry with the same uuid finds the message already there.
    expect((await demo('sendMsg', { ...SUPPORT, msg: 'written', uuid: 'u-written' })).status).toBe('ok');
    const after = ((await demo('getBookMessages', SUPPORT)).bookMessages as Json[]).map((m) => m.uuid);
    expect(after.filter((u) => u === 'u-written')).toHaveLength(1);
  });

  it('answers 500/503, malformed bodies, injected noks and delays, for matching requests only', async () => {
    const session = await login();
    const post = (req: string) =>
      fetch(apiUrl, { method: 'POST', body: new URLSearchParams({ version: '1', req, o_u: 'demo', u_c: 'demo', sesskey: session.sesskey }) });
    server.control.injectFaults(
      { kind: 'http500', req: 'getAllBooks' },
      { kind: 'http503', req: 'getAllBooks' },
      { kind: 'malformed', req: 'getAllBooks' },
      { kind: 'nok', req: 'getAllBooks', count: 2, errorCode: 'apiProcess171', errorMsg: 'sesskey expired' },
    );
    expect((await post('getUserInfo')).status).toBe(200);
    expect((await post('getAllBooks')).status).toBe(500);
    expect((await post('getAllBooks')).status).toBe(503);
    const malformed = await post('getAllBooks');
    expect(malformed.status).toBe(200);
    const text = await malformed.text();
    expect(() => JSON.parse(text)).toThrow();
    for (let i = 0; i < 2; i++) expectNok(await (await post('getAllBooks')).json(), SERVER_ERRORS.expiredSesskey);
    expect((await (await post('getAllBooks')).json()).status).toBe('ok');

    server.control.injectFaults({ kind: 'delay', delayMs: 150 });
    const started = performance.now();
    expect((await (await post('getUserInfo')).json()).status).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.control.log().map((e) => e.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'http500', 'http503', 'malformed', 'nok', 'nok', 'ok', 'delay']);
  });
});

describe('log, reset and control endpoints', () => {
  it('logs every request with the password hidden', async () => {
    await login();
    await call('createOauthkey', { login: 'demo', pwd: 'wrong', appkey: 'nope' });
    const log = server.control.log();
    expect(log.map((e) => e.req)).toEqual(['createAppkey', 'createOauthkey', 'createSesskey', 'createOauthkey']);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log[1]).toMatchObject({ method: 'POST', path: '/live/api.php', outcome: 'ok', params: { login: 'demo', pwd: '***' } });
    expect(log[3]).toMatchObject({ outcome: 'nok', errorCode: SERVER_ERRORS.invalidAppkey.code });
    expect(log.every((e) => e.responseBytes > 0)).toBe(true);
    expect(JSON.stringify(log)).not.toMatch(/"pwd":"(demo|wrong)"/);
    server.control.clearLog();
    expect(server.control.log()).toEqual([]);
  });

  it('reset brings back the seed', async () => {
    const seedStamp = server.control.sstamp();
    const demo = await login();
    await as(demo)('sendMsg', { ...SUPPORT, msg: 'to be forgotten' });
    server.control.injectFaults({ kind: 'drop' });
    server.control.reset();
    expect(server.control.sstamp()).toBe(seedStamp);
    expect(server.control.log()).toEqual([]);
    expect(server.control.pendingFaults()).toEqual([]);
    expectNok(await as(demo)('getUserInfo'), SERVER_ERRORS.invalidSesskey);
    const fresh = as(await login());
    expect((await fresh('getBookMessages', SUPPORT)).bookMessages).toHaveLength(5);
  });

  it('serves the control endpoints over HTTP', async () => {
    const before = (await control('unread?u_c=demo')).unread;
    expect(before).toBe(server.control.unreadTotal('demo'));
    const { smid } = await control('post', { u_c: 'alice', ...SUPPORT, msg: 'From the control endpoint' });
    expect(typeof smid).toBe('number');
    expect((await control('unread?u_c=demo')).unread).toBe(before + 1);
    await control('mark-read', { u_c: 'demo', ...SUPPORT });
    expect((await control('unread?u_c=demo')).unread).toBe(before - 3);
    expect((await control('faults', { faults: [{ kind: 'drop', req: 'getUserInfo' }] })).pending).toHaveLength(1);
    await control('clear-faults', {});
    expect(await control('expire-sessions', {})).toEqual({ expired: 0 });
    expect(await control('revoke-oauthkeys', { u_c: 'demo' })).toEqual({ revoked: 0 });
    await call('createAppkey', { appname: 'x' });
    expect((await control('log')).entries.map((e: Json) => e.req)).toEqual(['createAppkey']);
    expect((await control('reset', {})).sstamp).toBe(server.control.sstamp());
  });
});

describe('a generated large account', () => {
  it('adds books and messages for demo besides the seed, and makes them again on reset', async () => {
    const large = await startServer({ seed: 'empty', generated: { books: 40, messages: 400 } });
    try {
      const base = `${large.url}/live/api.php`;
      const post = async (req: string, params: Record<string, string>) =>
        (await fetch(base, { method: 'POST', body: new URLSearchParams({ version: '1.47', req, ...params }) })).json() as Promise<Json>;
      const { appkey } = await post('createAppkey', { appname: 'tests' });
      const { oauthkey, o_u } = await post('createOauthkey', { login: 'demo', pwd: 'demo', appkey });
      const { sesskey } = await post('createSesskey', { o_u, u_c: o_u, oauthkey });
      const { allBooks } = await post('getAllBooks', { o_u, u_c: o_u, sesskey });
      expect(allBooks.books).toHaveLength(40);
      expect(allBooks.books.reduce((sum: number, book: Json) => sum + book.nbMsgs, 0)).toBe(400);
      const unread = large.control.unreadTotal('demo');
      expect(unread).toBeGreaterThan(0);
      large.control.postAs('alice', 'alice', 'generated-2', 'One more');
      large.control.reset();
      expect(large.control.messages('alice', 'generated-2')).toHaveLength(10);
      expect(large.control.unreadTotal('demo')).toBe(unread);
    } finally {
      await large.close();
    }
  });
});
