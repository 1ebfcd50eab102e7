/**
 * The local server's message socket, over a real WebSocket (the `ws` client), and its controls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SESSION_REFUSED_CLOSE, startServer, type LocalServer } from '../../server/index';

type Json = any;
let server: LocalServer;
const open: WebSocket[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => {
  for (const ws of open.splice(0)) ws.terminate();
  server.control.reset();
  server.control.socket.clearLog();
  server.control.socket.answerPings(true);
  server.control.socket.refuseFor(0);
});

async function call(req: string, params: Record<string, string>): Promise<Json> {
  const res = await fetch(`${server.url}/live/api.php`, { method: 'POST', body: new URLSearchParams({ version: '1.47', req, ...params }) });
  return res.json();
}

async function login(user: string) {
  const pwd = user === 'demo' ? 'demo' : `${user}-pw`;
  const { appkey } = await call('createAppkey', { appname: 'tests' });
  const { oauthkey, o_u } = await call('createOauthkey', { login: user, pwd, appkey });
  const { sesskey } = await call('createSesskey', { o_u, u_c: o_u, oauthkey });
  return { o_u, u_c: o_u, sesskey };
}

/** A socket with every frame it receives queued, and a way to wait for the next one. */
async function connect() {
  const ws = new WebSocket(server.socketUrl);
  open.push(ws);
  const frames: string[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(String(data));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (): Promise<Json> => {
    while (frames.length === 0) await new Promise<void>((wake) => waiters.push(wake));
    const text = frames.shift()!;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return { ws, next, closed, send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)) };
}

async function attached(user: string, type = 4) {
  const keys = await login(user);
  const socket = await connect();
  socket.send({ type, ...keys });
  socket.send({ type: 9, ...keys });
  expect(await socket.next()).toEqual({ type: 10, status: 'ok' });
  return { ...socket, keys };
}

describe('message socket', () => {
  it('attaches with type 4 or 7 and answers pings', async () => {
    await attached('demo', 4);
    await attached('alice', 7);
    expect(server.control.socket.attached().sort()).toEqual(['alice', 'demo']);
  });

  it('closes an attach with a refused session, saying why', async () => {
    const keys = await login('demo');
    server.control.expireSessions('demo');
    const socket = await connect();
    socket.send({ type: 4, ...keys });
    expect(await socket.closed).toEqual({ code: SESSION_REFUSED_CLOSE, reason: 'expiredSesskey' });
    const other = await connect();
    other.send({ type: 4, ...keys, sesskey: 'nope' });
    expect(await other.closed).toEqual({ code: SESSION_REFUSED_CLOSE, reason: 'invalidSesskey' });
  });

  it('pushes type 8 to the other attached members of a book on a post and a delete, not to the author', async () => {
    const demo = await attached('demo');
    const bob = await attached('bob');
    const carla = await attached('carla');
    const post = await fetch(`${server.url}/__control/post`, {
      method: 'POST',
      body: JSON.stringify({ u_c: 'bob', b_o: 'alice', b_c: 'support-inbox', msg: 'Hi' }),
    }).then((r) => r.json());
    expect(await demo.next()).toEqual({ type: 8, u_c: 'bob' });
    // sendMsg through the API pushes too.
    const sent = await call('sendMsg', { ...demo.keys, b_o: 'alice', b_c: 'support-inbox', msg: 'Back to you' });
    expect(await bob.next()).toEqual({ type: 8, u_c: 'demo' });
    await call('deleteMsg', { ...demo.keys, b_o: 'alice', b_c: 'support-inbox', msg_id: String(sent.smid) });
    expect(await bob.next()).toEqual({ type: 8, u_c: 'demo' });
    expect(post.smid).toBeGreaterThan(0);
    // Carla, a member too, hears of all three; an author hears nothing of their own change.
    expect(await carla.next()).toEqual({ type: 8, u_c: 'bob' });
    const pushedTo = server.control.socket.log().filter((e) => e.type === 8).map((e) => e.u_c);
    expect(pushedTo.sort()).toEqual(['bob', 'bob', 'carla', 'carla', 'carla', 'demo']);
  });

  it('clearNotRead zeroes the count of that user in that book; logOpenBook is accepted', async () => {
    server.control.postAs('bob', 'alice', 'support-inbox', 'One');
    const before = server.control.unreadTotal('demo');
    const demo = await attached('demo');
    demo.send({ type: 11, ...demo.keys, uuid: 'u1', msg: 'logOpenBook', b_o: 'alice', b_c: 'support-inbox' });
    expect(await demo.next()).toEqual({ type: 12, status: 'ok', uuid: 'u1' });
    demo.send({ type: 11, ...demo.keys, uuid: 'u2', msg: 'clearNotRead', b_o: 'alice', b_c: 'support-inbox' });
    expect(await demo.next()).toEqual({ type: 12, status: 'ok', uuid: 'u2' });
    const book = server.control.state.getBook('alice', 'support-inbox');
    expect(server.control.state.memberOf(book, 'demo').nbNotRead).toBe(0);
    expect(server.control.unreadTotal('demo')).toBeLessThan(before);
    demo.send({ type: 11, ...demo.keys, uuid: 'u3', msg: 'clearNotRead', b_o: 'alice', b_c: 'no-such-book' });
    expect(await demo.next()).toMatchObject({ type: 12, status: 'nok', uuid: 'u3' });
  });

  it('ignores frames it cannot read and keeps the socket', async () => {
    const demo = await attached('demo');
    demo.send('{not json');
    demo.send({ type: 99 });
    demo.send({ type: 9, ...demo.keys });
    expect(await demo.next()).toEqual({ type: 10, status: 'ok' });
    expect(server.control.socket.log().filter((e) => e.direction === 'in').map((e) => e.type)).toEqual([4, 9, null, 99, 9]);
  });

  it('drops every socket, refuses new ones for a while, and can leave pings unanswered', async () => {
    const demo = await attached('demo');
    const dropped = await fetch(`${server.url}/__control/socket-drop`, { method: 'POST', body: '{}' }).then((r) => r.json());
    expect(dropped).toEqual({ dropped: 1 });
    expect((await demo.closed).code).toBe(1006);

    await fetch(`${server.url}/__control/socket-refuse`, { method: 'POST', body: JSON.stringify({ ms: 60_000 }) });
    await expect(connect()).rejects.toThrow(/503/);
    await fetch(`${server.url}/__control/socket-refuse`, { method: 'POST', body: JSON.stringify({ ms: 0 }) });

    const again = await attached('demo');
    await fetch(`${server.url}/__control/socket-pings`, { method: 'POST', body: JSON.stringify({ answer: false }) });
    again.send({ type: 9, ...again.keys });
    await fetch(`${server.url}/__control/socket-send`, { method: 'POST', body: JSON.stringify({ u_c: 'demo', text: 'garbage' }) });
    // The garbage arrives, the pong never does.
    expect(await again.next()).toBe('garbage');
    const sockets = await fetch(`${server.url}/__control/sockets`).then((r) => r.json());
    expect(sockets.attached).toEqual(['demo']);
  });
});
