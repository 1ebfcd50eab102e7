/**
 * What tests control on the running server: other users' activity, sessions, faults, the request
 * log and a reset. The same operations back the `/__control/` HTTP endpoints.
 */

import { createHash } from 'node:crypto';
import { seedDemo, seedGeneratedAccount, seedUsers, type GeneratedAccount } from './demo';
import type { SocketControl } from './socket';
import { ServerState, type Invite, type Message, type NewBook, type Right, type StateOptions } from './state';

export type FaultKind = 'http500' | 'http503' | 'malformed' | 'drop' | 'dropAfterWrite' | 'delay' | 'nok';

export const FAULT_KINDS: readonly FaultKind[] = ['http500', 'http503', 'malformed', 'drop', 'dropAfterWrite', 'delay', 'nok'];

export interface Fault {
  kind: FaultKind;
  /** How many matching requests it applies to. Default 1. */
  count?: number;
  /** Only requests with this `req` (`dbi` for `/live/dbi/`). Default: any. */
  req?: string;
  /** For `delay`: how long to wait before answering normally. Default 1000. */
  delayMs?: number;
  /** For `nok`. */
  errorCode?: string;
  errorMsg?: string;
}

export interface RequestLogEntry {
  seq: number;
  /** ms since the epoch, when the request arrived. */
  at: number;
  method: string;
  path: string;
  req: string;
  /** The parameters, `pwd` replaced by `***`, an uploaded file by its name and size. */
  params: Record<string, string>;
  outcome: 'ok' | 'nok' | 'error' | FaultKind;
  errorCode?: string;
  responseBytes: number;
}

export type Seed = 'demo' | 'empty';

/** A live message as `messagesWithUuid` lists it. */
export interface MessageSummary {
  smid: number;
  msg: string;
  u_c: string;
  /** How many files are attached. */
  files: number;
}

/** A live message as `messages` lists it: its files by digest, to compare with what was sent. */
export interface MessageDetail {
  smid: number;
  uuid: string;
  u_c: string;
  msg: string;
  files: { originName: string; contentType: string; size: number; sha256: string }[];
}

/** The mutable run-time of one server; `state` is replaced by a reset. */
export interface ServerContext {
  state: ServerState;
  faults: Fault[];
  log: RequestLogEntry[];
  nextSeq: number;
  seed: Seed;
  /** Generated books and messages besides the seed; a reset makes them again. */
  generated: GeneratedAccount | undefined;
  sessionTtlMs: number | undefined;
  /** The start option; a reset goes back to it. */
  absorbRepeatedUuid: boolean;
  maxUploadBytes: number;
  keepAlive: boolean;
  /** Pending `delay` timers, cleared on close. */
  timers: Set<NodeJS.Timeout>;
  /** Told of every posted, edited or deleted message (the message socket pushes). */
  messagesChanged: (u_c: string, b_o: string, b_c: string) => void;
}

/** The options a state of this server is made with, at the start and on every reset. */
export function stateOptionsOf(ctx: Omit<ServerContext, 'state'>): StateOptions {
  return {
    sessionTtlMs: ctx.sessionTtlMs,
    absorbRepeatedUuid: ctx.absorbRepeatedUuid,
    onMessagesChanged: (u_c, b_o, b_c) => ctx.messagesChanged(u_c, b_o, b_c),
  };
}

export interface Control {
  /** Another user posts a message; returns its smid. */
  postAs(u_c: string, b_o: string, b_c: string, msg: string): number;
  /** Makes every sesskey (of one user, or all) expired; returns how many. */
  expireSessions(u_c?: string): number;
  /** Forgets every oauthkey (of one user, or all); returns how many. */
  revokeOauthkeys(u_c?: string): number;
  /** Queues faults; each applies to the next matching requests, in order. */
  injectFaults(...faults: Fault[]): void;
  clearFaults(): void;
  pendingFaults(): Fault[];
  log(): RequestLogEntry[];
  clearLog(): void;
  /**
   * Back to the seed: new data, empty log, no faults, uuid absorbing as the start option set it.
   * Sessions go too unless kept.
   */
  reset(options?: { keepSessions?: boolean }): void;
  /** Whether a repeated sendMsg/fileUpload uuid returns what it made before, or makes another. */
  setUuidAbsorbing(on: boolean): void;
  uuidAbsorbing(): boolean;
  /** The live messages of the book carrying that uuid, oldest first. */
  messagesWithUuid(b_o: string, b_c: string, uuid: string): MessageSummary[];
  /** The live messages of the book (only those carrying `uuid`, if given), oldest first. */
  messages(b_o: string, b_c: string, uuid?: string): MessageDetail[];
  unreadTotal(u_c: string): number;
  sstamp(): number;
  markRead(u_c: string, b_o: string, b_c: string): void;
  setUnread(u_c: string, b_o: string, b_c: string, nbNotRead: number): void;
  setArchived(u_c: string, b_o: string, b_c: string, archived: boolean): void;
  addBook(spec: NewBook): void;
  deleteBook(b_o: string, b_c: string): void;
  addMember(b_o: string, b_c: string, u_c: string, right?: Right, invite?: Invite): void;
  removeMember(b_o: string, b_c: string, u_c: string): void;
  /** The current data, for tests that need more. */
  readonly state: ServerState;
  /** The message socket (server/socket.ts): drop, refuse, pings, raw frames, its log. */
  readonly socket: SocketControl;
}

/** A fresh state with the seed (`empty` has the demo users but no books), then any generated books. */
export function seededState(seed: Seed, options: StateOptions = {}, generated?: GeneratedAccount): ServerState {
  const state = new ServerState(options);
  if (seed === 'demo') seedDemo(state);
  else seedUsers(state);
  if (generated) seedGeneratedAccount(state, generated);
  return state;
}

export function validFault(value: unknown): value is Fault {
  return typeof value === 'object' && value !== null && FAULT_KINDS.includes((value as Fault).kind);
}

/** Takes the first queued fault that matches the request, if any. */
export function takeFault(ctx: ServerContext, req: string): Fault | undefined {
  const index = ctx.faults.findIndex((f) => f.req === undefined || f.req === '' || f.req === req);
  const fault = ctx.faults[index];
  if (!fault) return undefined;
  const left = (fault.count ?? 1) - 1;
  if (left > 0) ctx.faults[index] = { ...fault, count: left };
  else ctx.faults.splice(index, 1);
  return fault;
}

function liveMessages(ctx: ServerContext, b_o: string, b_c: string, uuid?: string): Message[] {
  return ctx.state.getBook(b_o, b_c).messages.filter((m) => !m.del && (uuid === undefined || m.uuid === uuid));
}

export function createControl(ctx: ServerContext, socket: SocketControl): Control {
  return {
    postAs: (u_c, b_o, b_c, msg) => ctx.state.postMessage(u_c, b_o, b_c, { msg }).message.smid,
    expireSessions: (u_c) => ctx.state.expireSessions(u_c),
    revokeOauthkeys: (u_c) => ctx.state.revokeOauthkeys(u_c),
    injectFaults: (...faults) => {
      for (const f of faults) if (!validFault(f)) throw new Error(`not a fault: ${JSON.stringify(f)}`);
      ctx.faults.push(...faults.map((f) => ({ ...f })));
    },
    clearFaults: () => {
      ctx.faults = [];
    },
    pendingFaults: () => ctx.faults.map((f) => ({ ...f })),
    log: () => ctx.log.map((e) => ({ ...e, params: { ...e.params } })),
    clearLog: () => {
      ctx.log = [];
    },
    reset: (options = {}) => {
      const old = ctx.state;
      ctx.state = seededState(ctx.seed, stateOptionsOf(ctx), ctx.generated);
      if (options.keepSessions) {
        for (const [k, v] of old.appkeys) ctx.state.appkeys.set(k, v);
        for (const [k, v] of old.oauthkeys) ctx.state.oauthkeys.set(k, v);
        for (const [k, v] of old.sesskeys) ctx.state.sesskeys.set(k, v);
      }
      ctx.faults = [];
      ctx.log = [];
      ctx.nextSeq = 1;
    },
    setUuidAbsorbing: (on) => {
      ctx.state.absorbRepeatedUuid = on;
    },
    uuidAbsorbing: () => ctx.state.absorbRepeatedUuid,
    messagesWithUuid: (b_o, b_c, uuid) =>
      liveMessages(ctx, b_o, b_c, uuid).map((m) => ({ smid: m.smid, msg: m.msg, u_c: m.u_c, files: m.files.length })),
    messages: (b_o, b_c, uuid) =>
      liveMessages(ctx, b_o, b_c, uuid).map((m) => ({
        smid: m.smid,
        uuid: m.uuid,
        u_c: m.u_c,
        msg: m.msg,
        files: m.files.map((f) => ({
          originName: f.originName,
          contentType: f.contentType,
          size: f.bytes.length,
          sha256: createHash('sha256').update(f.bytes).digest('hex'),
        })),
      })),
    unreadTotal: (u_c) => ctx.state.unreadTotal(u_c),
    sstamp: () => ctx.state.stamp,
    markRead: (u_c, b_o, b_c) => ctx.state.markRead(u_c, b_o, b_c),
    setUnread: (u_c, b_o, b_c, n) => ctx.state.setUnread(u_c, b_o, b_c, n),
    setArchived: (u_c, b_o, b_c, archived) => ctx.state.setArchived(u_c, b_o, b_c, archived),
    addBook: (spec) => void ctx.state.addBook(spec),
    deleteBook: (b_o, b_c) => ctx.state.deleteBook(b_o, b_c),
    addMember: (b_o, b_c, u_c, right, invite) => void ctx.state.addMember(b_o, b_c, u_c, right, invite),
    removeMember: (b_o, b_c, u_c) => ctx.state.removeMember(b_o, b_c, u_c),
    get state() {
      return ctx.state;
    },
    socket,
  };
}
