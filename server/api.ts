/**
 * The calls of `/live/api.php` and the file look-ups of `/live/dbi/`: parameters in, reply out.
 * Parameter names and reply shapes follow the TimeTonic API text.
 */

import { SERVER_ERRORS } from './errors';
import { StateError, type FileType, type NokKey, type ServerState, type StoredFile, type User } from './state';
import { tableHandlers, uploadIntoCell } from './tables';
import { bookView, contactView, messageView, uploadView, userInfoView } from './views';

export const CREATED_VNB = 'local-1.0';

export type Params = Record<string, string>;

export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** The file went over the size limit; `bytes` is then empty. */
  tooLarge: boolean;
}

export type Reply = { status: 'ok' | 'nok'; errorCode?: string; errorMsg?: string } & Record<string, unknown>;

export class MissingParameter extends Error {
  constructor(readonly parameter: string) {
    super(`missing parameter: ${parameter}`);
  }
}

/** The call a request names: `req`, or `r` as some examples of the text write it. */
export function callName(params: Params): string {
  return params.req || params.r || '';
}

export function okReply(req: string, payload: Record<string, unknown>): Reply {
  return { status: 'ok', ...payload, createdVNB: CREATED_VNB, req };
}

export function nokReply(req: string, errorCode: string, errorMsg: string): Reply {
  return { status: 'nok', errorCode, errorMsg, createdVNB: CREATED_VNB, req };
}

export function nokOf(req: string, key: NokKey, detail?: string): Reply {
  return nokReply(req, SERVER_ERRORS[key].code, detail ? `${SERVER_ERRORS[key].msg}: ${detail}` : SERVER_ERRORS[key].msg);
}

export function required(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new MissingParameter(name);
  return value;
}

export function optionalInt(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

/** An id parameter that must be there; one that is not a number names nothing. */
function requiredId(params: Params, name: string, unknown: NokKey): number {
  const n = Number(required(params, name));
  if (!Number.isInteger(n)) throw new StateError(unknown);
  return n;
}

export interface Call {
  state: ServerState;
  params: Params;
  file: UploadedFile | undefined;
}

function session({ state, params }: Call): User {
  return state.checkSession(required(params, 'o_u'), required(params, 'u_c'), required(params, 'sesskey'));
}

export type Handler = (call: Call) => Record<string, unknown>;

const handlers: Record<string, Handler> = {
  createAppkey: ({ state, params }) => ({ appkey: state.createAppkey(required(params, 'appname')) }),

  createOauthkey: ({ state, params }) => {
    const login = required(params, 'login');
    const pwd = required(params, 'pwd');
    return state.createOauthkey(login, pwd, required(params, 'appkey'));
  },

  createSesskey: ({ state, params }) => {
    const o_u = required(params, 'o_u');
    const u_c = required(params, 'u_c');
    return { sesskey: state.createSesskey(o_u, u_c, required(params, 'oauthkey')) };
  },

  dropAllSessions: (call) => {
    const user = session(call);
    call.state.dropAllSessions(user.u_c, call.params.sesskey ?? '');
    return {};
  },

  getUserInfo: (call) => {
    const user = session(call);
    const since = optionalInt(call.params, 'sstamp');
    const changed = since === undefined || user.infoStamp > since;
    return { sstamp: call.state.stamp, ...(changed ? { userInfo: userInfoView(call.state, user) } : {}) };
  },

  getAllBooks: (call) => {
    const { state, params } = call;
    const user = session(call);
    const since = optionalInt(params, 'sstamp');
    const matches = (b: { b_o: string; b_c: string }) =>
      (!params.b_o || b.b_o === params.b_o) && (!params.b_c || b.b_c === params.b_c);
    const all = state.booksOf(user.u_c);
    const books = all
      .filter(matches)
      .map((book) => ({ book, member: state.memberOf(book, user.u_c) }))
      .filter(({ book, member }) => since === undefined || state.bookStampFor(book, member) > since)
      .sort((a, b) => a.member.order - b.member.order || a.book.sbid - b.book.sbid)
      .map(({ book, member }) => bookView(state, book, member));
    const gone =
      since === undefined
        ? []
        : state.tombstones
            .filter((t) => t.u_c === user.u_c && t.sstamp > since && matches(t))
            .map((t) => ({ b_c: t.b_c, b_o: t.b_o, del: true, sstamp: t.sstamp }));
    // Contacts carry their own sstamp, so a delta brings only the changed ones, as books do.
    const allContacts = state.contactsOf(user.u_c);
    const contacts = allContacts.filter((c) => since === undefined || c.infoStamp > since).map(contactView);
    return {
      sstamp: state.stamp,
      allBooks: { nbBooks: all.length, nbContacts: allContacts.length, contacts, books: [...books, ...gone] },
    };
  },

  getBookInfo: (call) => {
    const { state, params } = call;
    const user = session(call);
    const book = state.getBook(required(params, 'b_o'), required(params, 'b_c'));
    return { sstamp: state.stamp, book: bookView(state, book, state.memberOf(book, user.u_c)) };
  },

  getBookMessages: (call) => {
    const { state, params } = call;
    const user = session(call);
    const b_o = required(params, 'b_o');
    const b_c = required(params, 'b_c');
    const book = state.getBook(b_o, b_c);
    state.memberOf(book, user.u_c);
    const since = optionalInt(params, 'sstamp');
    const first = optionalInt(params, 'smidFirst');
    const last = optionalInt(params, 'smidLast');
    const nbMax = Math.max(1, optionalInt(params, 'nbMax') ?? 50);
    const page = Math.max(1, optionalInt(params, 'page') ?? 1);
    const search = (params.search_string ?? '').toLowerCase();
    const found = (m: { msg: string }) => !search || m.msg.toLowerCase().includes(search);
    const inRange = (smid: number) =>
      first !== undefined && last !== undefined
        ? smid < last || smid > first
        : (first === undefined || smid > first) && (last === undefined || smid < last);
    const newestFirst = [...book.messages].reverse();
    const paged = newestFirst
      .filter((m) => !m.del && inRange(m.smid) && found(m))
      .slice((page - 1) * nbMax, page * nbMax);
    const changed = since === undefined ? [] : newestFirst.filter((m) => m.sstamp > since && found(m));
    const smids = new Set([...paged, ...changed].map((m) => m.smid));
    const messages = newestFirst.filter((m) => smids.has(m.smid));
    return { sstamp: state.stamp, b_c, b_o, bookMessages: messages.map(messageView) };
  },

  sendMsg: (call) => {
    const { state, params } = call;
    const user = session(call);
    const b_o = required(params, 'b_o');
    const b_c = required(params, 'b_c');
    const nbMedias = optionalInt(params, 'nbMedias') ?? 0;
    const nbDocs = optionalInt(params, 'nbDocs') ?? 0;
    // A message may be only attachments, announced by nbMedias/nbDocs.
    const msg = nbMedias + nbDocs > 0 ? (params.msg ?? '') : required(params, 'msg');
    // msg_id 0 means a new message, as smid 0 does in the socket protocol.
    const editId = params.msg_id && params.msg_id !== '0' ? requiredId(params, 'msg_id', 'unknownMessage') : undefined;
    const message =
      editId === undefined
        ? state.postMessage(user.u_c, b_o, b_c, { msg, body: params.body, uuid: params.uuid, nbMedias, nbDocs }).message
        : state.editMessage(user.u_c, b_o, b_c, editId, msg, params.body);
    return { sstamp: state.stamp, createMessageId: message.smid, smid: message.smid, uuid: message.uuid };
  },

  deleteMsg: (call) => {
    const { state, params } = call;
    const user = session(call);
    const b_o = required(params, 'b_o');
    const b_c = required(params, 'b_c');
    const smid = requiredId(params, 'msg_id', 'unknownMessage');
    state.deleteMessage(user.u_c, b_o, b_c, smid);
    return { sstamp: state.stamp };
  },

  fileUpload: (call) => {
    const { state, params, file } = call;
    // A file for a table cell names its row and field instead of a message.
    if (params.rowId !== undefined) return uploadIntoCell(call);
    const user = session(call);
    const b_o = required(params, 'b_o');
    const b_c = required(params, 'b_c');
    const smid = requiredId(params, 'smid', 'unknownMessage');
    if (!file) throw new StateError('missingFile');
    if (file.tooLarge) throw new StateError('fileTooLarge');
    const { file: stored } = state.attachFile(user.u_c, b_o, b_c, smid, {
      uuid: params.uuid,
      originName: file.filename || params.qqfilename || 'file',
      contentType: file.contentType,
      bytes: file.bytes,
    });
    return uploadView(stored, state.stamp);
  },
};

/** Answers one `/live/api.php` request. */
export function handleApi(state: ServerState, params: Params, file?: UploadedFile): Reply {
  const req = callName(params);
  try {
    if (!req) throw new MissingParameter('req');
    if (!params.version) throw new MissingParameter('version');
    const handler = Object.hasOwn(handlers, req) ? handlers[req] : Object.hasOwn(tableHandlers, req) ? tableHandlers[req] : undefined;
    if (!handler) return nokOf(req, 'unknownRequest');
    return okReply(req, handler({ state, params, file }));
  } catch (error) {
    if (error instanceof MissingParameter) {
      return nokReply(req, SERVER_ERRORS.missingParameter.code, error.message);
    }
    if (error instanceof StateError) return nokOf(req, error.nok, error.detail);
    throw error;
  }
}

// ---- /live/dbi/ ----

export type DbiResult =
  | { status: 200; file: StoredFile }
  | { status: 403 | 404; reply?: Reply };

const BY_NAME = new Set(['in', 'oin', 'dn', 'odn']);
const BY_MESSAGE: Record<string, FileType> = { ic: 'media', oic: 'media', dc: 'doc', odc: 'doc' };
const BY_ID = new Set(['ii', 'oii', 'di', 'odi']);

/**
 * The file a `/live/dbi/<kind>/<size>/...` path names. `segments` are the decoded parts after
 * `dbi`. Files by internal name or uuid need no session; the others need one and a membership.
 */
export function resolveDbi(state: ServerState, segments: string[], params: Params): DbiResult {
  const [kind = '', , ...rest] = segments;
  if (BY_NAME.has(kind)) {
    // The text's own example puts `b_o/b_c/` before the uuid once: accept that form too.
    const file = state.fileByName(rest[0] ?? '') ?? state.fileByName(rest[2] ?? '');
    return file ? { status: 200, file } : { status: 404 };
  }
  const type = BY_MESSAGE[kind];
  if (type === undefined && !BY_ID.has(kind)) return { status: 404 };
  const [b_o = '', b_c = '', id = '', mdc = ''] = rest;
  try {
    const user = state.checkSession(required(params, 'o_u'), required(params, 'u_c'), required(params, 'sesskey'));
    const book = state.getBook(b_o, b_c);
    state.memberOf(book, user.u_c);
    const file =
      type === undefined
        ? state.fileById(Number(id))
        : state.fileOfMessage(book, Number(id), type, Number(mdc));
    if (!file || file.b_o !== b_o || file.b_c !== b_c) return { status: 404 };
    return { status: 200, file };
  } catch (error) {
    if (error instanceof MissingParameter) {
      return { status: 403, reply: nokReply('dbi', SERVER_ERRORS.missingParameter.code, error.message) };
    }
    if (error instanceof StateError) {
      return { status: error.nok === 'unknownBook' ? 404 : 403, reply: nokOf('dbi', error.nok) };
    }
    throw error;
  }
}
