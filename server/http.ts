/**
 * The HTTP side: `/live/api.php`, `/live/dbi/...`, injected faults, the request log and the
 * `/__control/` endpoints.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { callName, handleApi, nokOf, nokReply, resolveDbi, type Params, type Reply, type UploadedFile } from './api';
import { takeFault, validFault, type Control, type Fault, type RequestLogEntry, type ServerContext } from './control';
import { StateError } from './state';
import { WEB_APP_PAGE } from './webapp';

/** What PHP sends when it fails before the JSON: the start of an HTML error page. */
const MALFORMED_BODY = '<br />\n<b>Fatal error</b>:  Allowed memory size exhausted in <b>/live/api.php</b> on line <b>1</b><br />\n';

interface Body {
  params: Params;
  file?: UploadedFile;
}

class BodyTooLarge extends Error {}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Fields and the `qqfile` file; a file over the limit is read to the end and thrown away. */
function readMultipart(req: IncomingMessage, maxFileBytes: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, fields: 200 } });
    const params: Params = {};
    let file: UploadedFile | undefined;
    let chunks: Buffer[] = [];
    parser.on('field', (name, value) => {
      params[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'qqfile' || file) {
        stream.resume();
        return;
      }
      const current: UploadedFile = { filename: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.alloc(0), tooLarge: false };
      file = current;
      stream.on('data', (chunk: Buffer) => {
        if (!current.tooLarge) chunks.push(chunk);
      });
      stream.on('limit', () => {
        current.tooLarge = true;
        chunks = [];
      });
    });
    parser.on('close', () => {
      if (file && !file.tooLarge) file.bytes = Buffer.concat(chunks);
      resolve({ params, file });
    });
    parser.on('error', reject);
    req.on('error', reject);
    req.pipe(parser);
  });
}

async function readBody(req: IncomingMessage, maxUploadBytes: number): Promise<Body> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return readMultipart(req, maxUploadBytes);
  const text = await readText(req, Math.max(maxUploadBytes, 1 << 20) * 2);
  if (type.startsWith('application/json') && text.trim()) {
    const parsed: unknown = JSON.parse(text);
    const params: Params = {};
    if (parsed && typeof parsed === 'object') {
      for (const [k, v] of Object.entries(parsed)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return { params };
  }
  return { params: Object.fromEntries(new URLSearchParams(text)) };
}

/** Query parameters, overridden by those of the body. */
async function readParams(req: IncomingMessage, url: URL, maxUploadBytes: number): Promise<Body> {
  const query = Object.fromEntries(url.searchParams);
  if (req.method === 'GET' || req.method === 'HEAD') return { params: query };
  const body = await readBody(req, maxUploadBytes);
  return { params: { ...query, ...body.params }, file: body.file };
}

function loggedParams(params: Params, file: UploadedFile | undefined): Params {
  const copy = { ...params };
  if ('pwd' in copy) copy.pwd = '***';
  if (file) {
    copy.qqfile = `${file.filename} (${file.tooLarge ? 'over the limit' : `${file.bytes.length} bytes`}, ${file.contentType})`;
  }
  return copy;
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): number {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (res.destroyed) return 0;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), ...extra });
  res.end(bytes);
  return bytes.length;
}

function sendJson(res: ServerResponse, value: unknown, status = 200): number {
  return send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function createRequestHandler(ctx: ServerContext, control: Control) {
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ctx.timers.delete(timer);
        resolve();
      }, ms);
      ctx.timers.add(timer);
    });

  function startLog(req: IncomingMessage, path: string): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ctx.nextSeq++, at: Date.now(), method: req.method ?? '', path, req: '', params: {}, outcome: 'ok', responseBytes: 0,
    };
    ctx.log.push(entry);
    return entry;
  }

  /**
   * Plays a fault that answers in place of the call; returns false for those that let the call run
   * (`delay`, `dropAfterWrite`).
   */
  async function playFault(fault: Fault, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, call: string): Promise<boolean> {
    entry.outcome = fault.kind;
    switch (fault.kind) {
      case 'drop':
        req.socket.destroy();
        return true;
      case 'http500':
      case 'http503': {
        const status = fault.kind === 'http500' ? 500 : 503;
        const text = status === 500 ? 'Internal Server Error' : 'Service Unavailable';
        entry.responseBytes = send(res, status, 'text/html; charset=utf-8', `<html><body><h1>${status} ${text}</h1></body></html>\n`);
        return true;
      }
      case 'malformed':
        entry.responseBytes = send(res, 200, 'application/json; charset=utf-8', MALFORMED_BODY);
        return true;
      case 'nok': {
        const reply = nokReply(call, fault.errorCode ?? 'apiProcess500', fault.errorMsg ?? 'injected failure');
        entry.errorCode = reply.errorCode;
        entry.responseBytes = sendJson(res, reply);
        return true;
      }
      case 'delay':
        await sleep(fault.delayMs ?? 1000);
        return false;
      case 'dropAfterWrite':
        return false;
    }
  }

  /** Runs a logged request; a failure of our own answers 500 and is logged as `error`. */
  async function logged(req: IncomingMessage, res: ServerResponse, url: URL, run: (entry: RequestLogEntry) => Promise<void>): Promise<void> {
    const entry = startLog(req, url.pathname);
    try {
      await run(entry);
    } catch (error) {
      entry.outcome = 'error';
      // An oversized form body has already cost the connection.
      if (error instanceof BodyTooLarge) return;
      entry.errorCode = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) entry.responseBytes = sendJson(res, { error: entry.errorCode }, 500);
      else res.destroy();
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const { params, file } = await readParams(req, url, ctx.maxUploadBytes);
    const call = callName(params);
    entry.req = call;
    entry.params = loggedParams(params, file);
    // The API text describes POST only: anything else is refused, performs nothing and takes no fault.
    if (req.method !== 'POST') {
      const reply = nokOf(call, 'postOnly');
      entry.outcome = 'nok';
      entry.errorCode = reply.errorCode;
      entry.responseBytes = sendJson(res, reply);
      return;
    }
    const fault = takeFault(ctx, call);
    if (fault && (await playFault(fault, req, res, entry, call))) return;
    const reply: Reply = handleApi(ctx.state, params, file);
    if (!fault) entry.outcome = reply.status;
    if (reply.status === 'nok') entry.errorCode = reply.errorCode;
    if (fault?.kind === 'dropAfterWrite') {
      req.socket.destroy();
      return;
    }
    entry.responseBytes = sendJson(res, reply);
  }

  async function dbi(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const { params } = await readParams(req, url, ctx.maxUploadBytes);
    entry.req = 'dbi';
    entry.params = loggedParams(params, undefined);
    const fault = takeFault(ctx, 'dbi');
    if (fault && (await playFault(fault, req, res, entry, 'dbi'))) return;
    const segments = url.pathname
      .slice('/live/dbi/'.length)
      .split('/')
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const result = resolveDbi(ctx.state, segments, params);
    if (!fault) entry.outcome = result.status === 200 ? 'ok' : 'nok';
    if (result.status !== 200) entry.errorCode = result.reply?.errorCode ?? `http${result.status}`;
    if (fault?.kind === 'dropAfterWrite') {
      req.socket.destroy();
      return;
    }
    if (result.status === 200) {
      const { file } = result;
      entry.responseBytes = send(res, 200, file.contentType, file.bytes, {
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.originName)}`,
        'Cache-Control': 'private, max-age=3600',
      });
    } else if (result.reply) {
      entry.responseBytes = sendJson(res, result.reply, result.status);
    } else {
      entry.responseBytes = send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  }

  async function controlEndpoint(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.pathname.slice('/__control/'.length);
    const text = req.method === 'POST' ? await readText(req, 1 << 20) : '';
    const body = (text.trim() ? JSON.parse(text) : {}) as Record<string, unknown>;
    const str = (key: string): string => {
      const v = body[key] ?? url.searchParams.get(key);
      if (typeof v !== 'string' || !v) throw new Error(`missing ${key}`);
      return v;
    };
    const optStr = (key: string): string | undefined => {
      const v = body[key] ?? url.searchParams.get(key) ?? undefined;
      return typeof v === 'string' && v ? v : undefined;
    };
    const route = `${req.method} ${name}`;
    switch (route) {
      case 'POST post': {
        const smid = control.postAs(str('u_c'), str('b_o'), str('b_c'), str('msg'));
        sendJson(res, { smid, sstamp: control.sstamp() });
        return;
      }
      case 'POST expire-sessions':
        sendJson(res, { expired: control.expireSessions(optStr('u_c')) });
        return;
      case 'POST revoke-oauthkeys':
        sendJson(res, { revoked: control.revokeOauthkeys(optStr('u_c')) });
        return;
      case 'POST faults': {
        const faults = body.faults;
        if (!Array.isArray(faults) || !faults.every(validFault)) throw new Error('faults: expected [{kind, ...}]');
        control.injectFaults(...faults);
        sendJson(res, { pending: control.pendingFaults() });
        return;
      }
      case 'POST clear-faults':
        control.clearFaults();
        sendJson(res, { pending: [] });
        return;
      case 'GET log':
        sendJson(res, { entries: control.log() });
        return;
      case 'POST clear-log':
        control.clearLog();
        sendJson(res, { entries: [] });
        return;
      case 'POST reset':
        control.reset({ keepSessions: body.keepSessions === true });
        sendJson(res, { sstamp: control.sstamp() });
        return;
      case 'GET uuid-absorbing':
        sendJson(res, { on: control.uuidAbsorbing() });
        return;
      case 'POST uuid-absorbing':
        if (typeof body.on !== 'boolean') throw new Error('on: expected true or false');
        control.setUuidAbsorbing(body.on);
        sendJson(res, { on: control.uuidAbsorbing() });
        return;
      case 'GET messages':
        sendJson(res, { messages: control.messages(str('b_o'), str('b_c'), optStr('uuid')) });
        return;
      case 'GET unread': {
        const u_c = str('u_c');
        sendJson(res, { u_c, unread: control.unreadTotal(u_c) });
        return;
      }
      case 'GET sstamp':
        sendJson(res, { sstamp: control.sstamp() });
        return;
      case 'POST mark-read':
        control.markRead(str('u_c'), str('b_o'), str('b_c'));
        sendJson(res, { sstamp: control.sstamp() });
        return;
      case 'POST archive':
        control.setArchived(str('u_c'), str('b_o'), str('b_c'), body.archived !== false);
        sendJson(res, { sstamp: control.sstamp() });
        return;
      case 'POST add-book': {
        const members = Array.isArray(body.members) ? (body.members as { u_c: string; right?: 1 | 2 | 3; invite?: 'accepted' | 'sent' }[]) : [];
        control.addBook({ b_o: str('b_o'), b_c: str('b_c'), title: optStr('title') ?? str('b_c'), members });
        sendJson(res, { sstamp: control.sstamp() });
        return;
      }
      case 'POST delete-book':
        control.deleteBook(str('b_o'), str('b_c'));
        sendJson(res, { sstamp: control.sstamp() });
        return;
      case 'POST socket-drop':
        sendJson(res, { dropped: control.socket.dropAll() });
        return;
      case 'POST socket-refuse': {
        const ms = body.ms;
        if (typeof ms !== 'number' || !(ms >= 0)) throw new Error('ms: expected a number of milliseconds');
        control.socket.refuseFor(ms);
        sendJson(res, { refusingMs: ms });
        return;
      }
      case 'POST socket-pings':
        if (typeof body.answer !== 'boolean') throw new Error('answer: expected true or false');
        control.socket.answerPings(body.answer);
        sendJson(res, { answer: body.answer });
        return;
      case 'POST socket-send': {
        if (typeof body.text !== 'string') throw new Error('text: expected the raw frame text');
        sendJson(res, { sent: control.socket.sendRaw(body.text, optStr('u_c')) });
        return;
      }
      case 'GET sockets':
        sendJson(res, { attached: control.socket.attached(), connections: control.socket.connections() });
        return;
      case 'GET socket-log':
        sendJson(res, { entries: control.socket.log() });
        return;
      case 'POST clear-socket-log':
        control.socket.clearLog();
        sendJson(res, { entries: [] });
        return;
      case 'POST remove-member':
        control.removeMember(str('b_o'), str('b_c'), str('u_c'));
        sendJson(res, { sstamp: control.sstamp() });
        return;
      default:
        sendJson(res, { error: `unknown control endpoint: ${route}` }, 404);
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A browser silently resends a POST when a kept-alive connection closes before the answer.
    if (!ctx.keepAlive) res.setHeader('Connection', 'close');
    res.setHeader('Access-Control-Allow-Origin', '*');
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': '*' });
        res.end();
      } else if (url.pathname.startsWith('/__control/')) {
        await controlEndpoint(req, res, url);
      } else if (url.pathname === '/live/api.php') {
        await logged(req, res, url, (entry) => api(req, res, url, entry));
      } else if (url.pathname.startsWith('/live/dbi/')) {
        await logged(req, res, url, (entry) => dbi(req, res, url, entry));
      } else if (req.method === 'GET' && (url.pathname === '/live/' || url.pathname === '/live/index.html')) {
        send(res, 200, 'text/html; charset=utf-8', WEB_APP_PAGE);
      } else {
        send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      }
    } catch (error) {
      // Only the control endpoints get here: their mistakes are the caller's.
      if (error instanceof BodyTooLarge) return;
      const message = error instanceof StateError ? error.nok : error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, { error: message }, 400);
      else res.destroy();
    }
  };
}
