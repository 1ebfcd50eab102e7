/**
 * The message socket, as the API text describes it, at `/socket` on the server's own port: attach
 * (type 4, or 7 as in the text's example), ping (9 -> 10), system messages (11 -> 12), and the
 * "book updates ready" push (type 8) to every other attached member of a book whose messages
 * changed. Framing is the `ws` package's.
 *
 * The text does not say how the server refuses a session: here it closes the socket with 1008
 * (policy violation) and the error code (`invalidSesskey`, `expiredSesskey`) as the reason.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bookKey, StateError, type ServerState } from './state';

export const SOCKET_PATH = '/socket';
/** The close code for a refused session. */
export const SESSION_REFUSED_CLOSE = 1008;

/** One frame in or out, for tests and the benchmark. */
export interface SocketLogEntry {
  at: number;
  direction: 'in' | 'out';
  /** The attached user, or '' before the attach. */
  u_c: string;
  /** The frame's `type`, or null for a frame that is not JSON. */
  type: number | null;
  /** A system message's `msg`, and its book. */
  msg?: string;
  b_o?: string;
  b_c?: string;
}

export interface SocketControl {
  /** Closes every socket at once, as a server restart would (no close frame). Returns how many. */
  dropAll(): number;
  /** Refuses every new connection (HTTP 503 to the upgrade) for `ms` milliseconds; 0 accepts again. */
  refuseFor(ms: number): void;
  /** Whether pings are answered (default true). */
  answerPings(on: boolean): void;
  /** Sends raw text to every socket attached as `u_c` (every socket when not given); returns how many. */
  sendRaw(text: string, u_c?: string): number;
  /** The users attached now, one entry per socket. */
  attached(): string[];
  /** Connections accepted since the start (or the last clear). */
  connections(): number;
  log(): SocketLogEntry[];
  clearLog(): void;
}

export interface SocketHub {
  control: SocketControl;
  /** For the HTTP server's `upgrade` event; answers false for a path that is not the socket's. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Someone posted, edited or deleted a message in the book. */
  messagesChanged(u_c: string, b_o: string, b_c: string): void;
  close(): void;
}

interface Client {
  ws: WebSocket;
  u_c: string;
}

type Frame = Record<string, unknown>;

const text = (frame: Frame, key: string): string => (typeof frame[key] === 'string' ? (frame[key] as string) : '');

export function createSocketHub(state: () => ServerState): SocketHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<Client>();
  let refusedUntil = 0;
  let pingsAnswered = true;
  let accepted = 0;
  let log: SocketLogEntry[] = [];

  const record = (direction: 'in' | 'out', client: Client, frame: Frame | null) => {
    const entry: SocketLogEntry = { at: Date.now(), direction, u_c: client.u_c, type: typeof frame?.type === 'number' ? frame.type : null };
    if (frame && frame.type === 11) Object.assign(entry, { msg: text(frame, 'msg'), b_o: text(frame, 'b_o'), b_c: text(frame, 'b_c') });
    log.push(entry);
  };
  const send = (client: Client, frame: Frame) => {
    record('out', client, frame);
    client.ws.send(JSON.stringify(frame));
  };

  /** The session of a frame, or the socket closed with the refusal. */
  const sessionOf = (client: Client, frame: Frame): string | null => {
    try {
      return state().checkSession(text(frame, 'o_u'), text(frame, 'u_c') || text(frame, 'o_u'), text(frame, 'sesskey')).u_c;
    } catch (error) {
      const reason = error instanceof StateError ? error.nok : 'invalidSesskey';
      client.ws.close(SESSION_REFUSED_CLOSE, reason);
      return null;
    }
  };

  const systemMessage = (client: Client, frame: Frame): Frame => {
    const uuid = text(frame, 'uuid');
    const msg = text(frame, 'msg');
    try {
      if (msg === 'clearNotRead') state().markRead(client.u_c, text(frame, 'b_o'), text(frame, 'b_c'));
      // logOpenBook: accepted; this server keeps no statistics. It still checks the book.
      else if (msg === 'logOpenBook') state().memberOf(state().getBook(text(frame, 'b_o'), text(frame, 'b_c')), client.u_c);
      else return { type: 12, status: 'nok', uuid, errorMsg: `unknown system message: ${msg}` };
      // The text's ack has no uuid; this one adds it, so a client can tell which message it answers.
      return { type: 12, status: 'ok', uuid };
    } catch (error) {
      return { type: 12, status: 'nok', uuid, errorMsg: error instanceof Error ? error.message : String(error) };
    }
  };

  const onFrame = (client: Client, data: string) => {
    let frame: Frame | null = null;
    try {
      const parsed: unknown = JSON.parse(data);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) frame = parsed as Frame;
    } catch {
      // Not JSON: logged, then ignored.
    }
    record('in', client, frame);
    if (!frame) return;
    switch (frame.type) {
      case 4:
      case 7: {
        const u_c = sessionOf(client, frame);
        if (u_c) client.u_c = u_c;
        return;
      }
      case 9:
        if (sessionOf(client, frame) && pingsAnswered) send(client, { type: 10, status: 'ok' });
        return;
      case 11:
        if (!client.u_c || !sessionOf(client, frame)) return;
        send(client, systemMessage(client, frame));
        return;
      default:
      // Other types (data messages, table updates) are the web app's; ignored here.
    }
  };

  const control: SocketControl = {
    dropAll() {
      const n = clients.size;
      for (const client of clients) client.ws.terminate();
      return n;
    },
    refuseFor(ms) {
      refusedUntil = ms > 0 ? Date.now() + ms : 0;
    },
    answerPings(on) {
      pingsAnswered = on;
    },
    sendRaw(raw, u_c) {
      let n = 0;
      for (const client of clients) {
        if (u_c !== undefined && client.u_c !== u_c) continue;
        log.push({ at: Date.now(), direction: 'out', u_c: client.u_c, type: null });
        client.ws.send(raw);
        n++;
      }
      return n;
    },
    attached: () => [...clients].filter((c) => c.u_c).map((c) => c.u_c),
    connections: () => accepted,
    log: () => log.map((entry) => ({ ...entry })),
    clearLog() {
      log = [];
      accepted = 0;
    },
  };

  return {
    control,
    handleUpgrade(req, socket, head) {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== SOCKET_PATH) return false;
      if (Date.now() < refusedUntil) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        accepted++;
        const client: Client = { ws, u_c: '' };
        clients.add(client);
        ws.on('message', (data, isBinary) => onFrame(client, isBinary ? '' : String(data)));
        ws.on('close', () => clients.delete(client));
        ws.on('error', () => clients.delete(client));
      });
      return true;
    },
    messagesChanged(author, b_o, b_c) {
      // Seeding posts before anyone can be attached (and before the state is in place).
      if (clients.size === 0) return;
      const book = state().books.get(bookKey(b_o, b_c));
      if (!book) return;
      const members = new Set(book.members.map((m) => m.u_c));
      members.delete(author);
      for (const client of clients) if (members.has(client.u_c)) send(client, { type: 8, u_c: author });
    },
    close() {
      for (const client of clients) client.ws.terminate();
      wss.close();
    },
  };
}
