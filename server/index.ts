/**
 * The local TimeTonic-compatible server: `startServer()` runs it on a port and returns its base URL
 * (the API is at `${url}/live/api.php`) and the controls tests use.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControl, seededState, stateOptionsOf, type Control, type Seed, type ServerContext } from './control';
import type { GeneratedAccount } from './demo';
import { createRequestHandler } from './http';
import { createSocketHub } from './socket';

export type { Control, Fault, FaultKind, MessageDetail, MessageSummary, RequestLogEntry, Seed } from './control';
export type { ServerState } from './state';
export type { SocketControl, SocketLogEntry } from './socket';
export { SOCKET_PATH, SESSION_REFUSED_CLOSE } from './socket';
export { DEMO_LOGIN, type GeneratedAccount } from './demo';

export interface ServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `demo` (default): users and books; `empty`: the same users, no books. */
  seed?: Seed;
  /**
   * Besides the seed, a large account for `demo`: this many generated books (demo a member of each)
   * and messages spread over them, e.g. `{ books: 2000, messages: 100000 }`.
   */
  generated?: GeneratedAccount;
  /** Largest file fileUpload accepts. Default 10 MiB. */
  maxUploadBytes?: number;
  /** How long a sesskey lives. Default 24 hours. */
  sessionTtlMs?: number;
  /** Keep connections open between requests. Default false: every answer says `Connection: close`. */
  keepAlive?: boolean;
  /**
   * A sendMsg or fileUpload with a uuid already used returns what it made before. Default true;
   * false makes another message (or file), as a less forgiving server would.
   */
  absorbRepeatedUuid?: boolean;
}

export interface LocalServer {
  /** The base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** The message socket's address: `ws://<host>:<port>/socket`. */
  socketUrl: string;
  port: number;
  close(): Promise<void>;
  control: Control;
}

export async function startServer(options: ServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 'demo';
  const absorbRepeatedUuid = options.absorbRepeatedUuid ?? true;
  const hub = createSocketHub(() => ctx.state);
  const ctx: ServerContext = {
    // Seeded below, once the context it reports changes to exists.
    state: undefined as never,
    faults: [],
    log: [],
    nextSeq: 1,
    seed,
    generated: options.generated,
    sessionTtlMs: options.sessionTtlMs,
    absorbRepeatedUuid,
    maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024,
    keepAlive: options.keepAlive ?? false,
    timers: new Set(),
    messagesChanged: (u_c, b_o, b_c) => hub.messagesChanged(u_c, b_o, b_c),
  };
  ctx.state = seededState(seed, stateOptionsOf(ctx), options.generated);
  const control = createControl(ctx, hub.control);
  const handle = createRequestHandler(ctx, control);
  const server = createServer((req, res) => void handle(req, res));
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}`,
    socketUrl: `ws://${shownHost}:${port}/socket`,
    port,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of ctx.timers) clearTimeout(timer);
        ctx.timers.clear();
        hub.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
