/**
 * An in-memory model of the part of the TimeTonic API that delivery uses: sendMsg, getBookMessages
 * (the live messages page by page, newest first, `nbMax` at most 50, older than `smidLast`, with
 * their files as `medias`), deleteMsg and fileUpload, on a simulated clock; and for saves into a
 * table, each book's one table: getTableValues (`offset` / `maxRows`), getTableRows, and
 * createOrUpdateTableRow, deleteTableRow and fileUpload into a cell. Like a less forgiving server, a repeated `uuid`
 * makes another message, a repeated `tmp` id another row, and a repeated file `uuid` another file.
 * Like the API text, it promises nothing more: `sstamp` brings no changes outside the page.
 *
 * Each request plays the next outcome of a script (then `ok` once it runs out), so a property test
 * decides which answers are lost, held past the time-out (and for how long), refused, or cut short
 * by a worker stop; others may post just before any request.
 *
 * It remembers every message and file ever written, deleted ones included, and every request that
 * left without an answer, so a test can tell what members of a book saw, not only what is left.
 */
import {
  ApiError,
  type BookMessage,
  type CallOptions,
  type Media,
  type NewMessage,
  type SessionKeys,
  type TimeTonicClient,
  type UploadedFile,
} from '../../src/api';
import type { BookRef } from '../../src/domain/refs';

export type Outcome =
  /** Answered after `latencyMs`. */
  | { kind: 'ok'; latencyMs: number }
  /** The request never reaches the server. */
  | { kind: 'lostBeforeWrite' }
  /** The server performs the call; its answer is lost. */
  | { kind: 'lostAfterWrite' }
  /** HTTP 500 before anything is performed. */
  | { kind: 'http500' }
  /** No answer before the time-out; the call is performed `landsAfterMs` after the request left. */
  | { kind: 'held'; landsAfterMs: number }
  /** The session key expired just before: refused, nothing performed. */
  | { kind: 'sessionExpired' }
  /** The worker stops while the request is out; the call was performed or not. */
  | { kind: 'workerStopped'; written: boolean };

/** What a stopped worker leaves behind: not an `ApiError`, so delivery does not record it. */
export class WorkerStopped extends Error {}

/** A file as the model keeps it: what tells one upload from another, not its bytes. */
export interface StoredFile {
  uuid: string;
  name: string;
  size: number;
}

interface StoredMessage {
  smid: number;
  uuid: string;
  u_c: string;
  msg: string;
  sstamp: number;
  del: boolean;
  /** Written by a held call, after its time-out. */
  late: boolean;
  files: (StoredFile & { id: number; type: Media['type'] })[];
  /** The files `sendMsg` said would follow. */
  announced: { nbMedias: number; nbDocs: number };
}

interface StoredRow {
  id: number;
  tmpId: string;
  cells: Record<string, string>;
  del: boolean;
  /** Written by a held call, after its time-out. */
  late: boolean;
  /** The files of its one file field, in upload order. */
  files: StoredFile[];
}

/** Time a request takes when its outcome does not say. */
const LATENCY_MS = 10;
/** The most messages one getBookMessages returns, whatever `nbMax` asks. */
const PAGE_LIMIT = 50;

/** The file field of every table's rows. */
export const CELL_FILE_FIELD = 9;

const bookKey = (book: BookRef) => `${book.b_o}/${book.b_c}`;

export class ModelServer {
  private time: number;
  private stamp = 0;
  private nextSmid = 1;
  private nextFileId = 1;
  private sessions = 0;
  private sesskey = '';
  private readonly books = new Map<string, StoredMessage[]>();
  /** Each book's one table, by catId. */
  private readonly tables = new Map<number, { book: BookRef; rows: StoredRow[] }>();
  private nextRowId = 1;
  private readonly refused = new Set<string>();
  /** Calls performed later than they were asked for, in no particular order. */
  private held: { at: number; perform: () => void }[] = [];
  private landing = false;
  /** Per message or file uuid: when each request carrying it got no answer (its time of leaving). */
  private readonly unanswered = new Map<string, number[]>();
  /**
   * The uuids of sendMsg requests that arrived while a copy made by an earlier request, not a held
   * one, was live: a look before the resend would have found that copy.
   */
  readonly needlessResends: string[] = [];
  /**
   * The uuids of sendMsg requests that arrived while an earlier request with that uuid had no answer
   * and had left less than the grace delay before: it could still have been written.
   */
  readonly earlyResends: string[] = [];
  /** Per message or file uuid: how many held requests were written longer than the grace delay after they left. */
  private readonly landedPastGrace = new Map<string, number>();
  /** Others post this many messages to the book of a request, just before the request, in turn. */
  private readonly chatter: number[];

  constructor(
    start: number,
    private readonly script: Outcome[],
    private readonly graceMs: number,
    chatter: readonly number[] = [],
  ) {
    this.time = start;
    this.chatter = [...chatter];
  }

  now(): number {
    return this.time;
  }

  /** Moves the clock on; what was held until then is performed. */
  advanceTo(at: number): void {
    this.time = Math.max(this.time, at);
    this.landHeld();
  }

  /** Performs everything still held, whenever it was due. */
  landAll(): void {
    this.advanceTo(Math.max(this.time, ...this.held.map((h) => h.at)));
  }

  get sstamp(): number {
    return this.stamp;
  }

  /** A book where the user may write, or, `refused`, where every request is answered `noRights`. */
  addBook(book: BookRef, refused: boolean): void {
    this.books.set(bookKey(book), []);
    if (refused) this.refused.add(bookKey(book));
  }

  /** The catId of the book's one table. */
  tableOf(book: BookRef): number {
    for (const [catId, table] of this.tables) if (bookKey(table.book) === bookKey(book)) return catId;
    const catId = 100 + this.tables.size;
    this.tables.set(catId, { book, rows: [] });
    return catId;
  }

  /** Every row ever written under this `tmp` id, deleted ones too, with its files. */
  rowsWritten(catId: number, tmpId: string): { id: number; del: boolean; files: StoredFile[] }[] {
    return this.rowsOf(catId)
      .filter((row) => row.tmpId === tmpId)
      .map(({ id, del, files }) => ({ id, del, files: [...files] }));
  }

  /** Another member posts. */
  postAs(u_c: string, book: BookRef, msg: string): void {
    this.write(book, { msg }, u_c);
  }

  createSesskey(): string {
    this.sesskey = `sess-${++this.sessions}`;
    return this.sesskey;
  }

  /** Every message ever written in the book with `uuid`, deleted ones too, and every file ever put on one. */
  everWritten(book: BookRef, uuid: string): { messages: number; files: number } {
    const messages = this.messagesOf(book).filter((m) => m.uuid === uuid);
    return { messages: messages.length, files: messages.reduce((sum, m) => sum + m.files.length, 0) };
  }

  /** How many held requests carrying this message or file uuid were written past the grace delay. */
  pastGrace(uuid: string): number {
    return this.landedPastGrace.get(uuid) ?? 0;
  }

  /** The live messages of the book carrying `uuid`, oldest first, with their files in upload order. */
  copies(book: BookRef, uuid: string): { smid: number; files: StoredFile[]; announced: StoredMessage['announced'] }[] {
    return this.messagesOf(book)
      .filter((m) => m.uuid === uuid && !m.del)
      .map(({ smid, files, announced }) => ({ smid, files: files.map(({ uuid, name, size }) => ({ uuid, name, size })), announced }));
  }

  /** A client of this server; only the calls delivery makes. */
  client(): TimeTonicClient {
    const api: Pick<
      TimeTonicClient,
      'sendMsg' | 'getBookMessages' | 'deleteMsg' | 'fileUpload' | 'getTableValues' | 'getTableRows' | 'createTableRow' | 'deleteTableRow' | 'uploadToCell'
    > = {
      getTableValues: async (keys, catId, query = {}, options) =>
        this.request('getTableValues', keys, this.bookOfTable(catId), options, null, () => {
          const rows = this.liveRowsOf(catId);
          const offset = query.offset ?? 0;
          return { nbRows: rows.length, rows: rows.slice(offset, offset + (query.maxRows ?? rows.length)).map(({ id, cells }) => ({ id, cells: { ...cells } })) };
        }),
      getTableRows: async (keys, catId, query = {}, options) =>
        this.request('getTableRows', keys, this.bookOfTable(catId), options, null, () => {
          const rows = this.liveRowsOf(catId).filter((row) => !query.rowIds || query.rowIds.includes(row.id));
          return {
            nbRows: rows.length,
            rows: rows.map((row) => ({ id: row.id, fieldValues: { ...row.cells, [String(CELL_FILE_FIELD)]: row.files.map((file) => ({ ...file })) } })),
          } as Awaited<ReturnType<TimeTonicClient['getTableRows']>>;
        }),
      createTableRow: async (keys, row, options) => {
        if (this.mayStillBeWritten(row.tmpId)) this.earlyResends.push(row.tmpId);
        return this.request('createOrUpdateTableRow', keys, this.bookOfTable(row.catId), options, row.tmpId, () => {
          const live = this.rowsOf(row.catId).some((other) => other.tmpId === row.tmpId && !other.late && !other.del);
          if (live && !this.landing) this.needlessResends.push(row.tmpId);
          const stored: StoredRow = { id: this.nextRowId++, tmpId: row.tmpId, cells: { ...(row.fieldValues as Record<string, string>) }, del: false, late: this.landing, files: [] };
          this.rowsOf(row.catId).push(stored);
          return { rowId: stored.id };
        });
      },
      deleteTableRow: async (keys, rowId, options) => {
        const table = [...this.tables.values()].find((candidate) => candidate.rows.some((row) => row.id === rowId));
        if (!table) throw new ApiError('notFound', 'deleteTableRow: unknown row', { req: 'deleteTableRow' });
        return this.request('deleteTableRow', keys, table.book, options, null, () => {
          const row = table.rows.find((candidate) => candidate.id === rowId)!;
          if (row.del) throw new ApiError('notFound', 'deleteTableRow: unknown row', { req: 'deleteTableRow' });
          row.del = true;
          return { id: rowId };
        });
      },
      uploadToCell: async (keys, book, upload, options) =>
        this.request('fileUpload', keys, book, options, upload.uuid, (): UploadedFile => {
          const row = [...this.tables.values()].flatMap((table) => table.rows).find((candidate) => candidate.id === upload.rowId && !candidate.del);
          if (!row || upload.fieldId !== CELL_FILE_FIELD) throw new ApiError('notFound', 'fileUpload: unknown cell', { req: 'fileUpload' });
          row.files.push({ uuid: upload.uuid, name: upload.name, size: upload.file.size });
          const id = this.nextFileId++;
          return { smid: 0, uuid: upload.uuid, id: String(id), type: 'media', mdc: 0, ext: '', originName: upload.name, internName: `file-${id}` };
        }),
      sendMsg: async (keys, book, message, options) => {
        const uuid = message.uuid ?? '';
        if (this.mayStillBeWritten(uuid)) this.earlyResends.push(uuid);
        return this.request('sendMsg', keys, book, options, uuid, () => {
          const live = this.messagesOf(book).some((m) => m.uuid === message.uuid && !m.del && !m.late);
          if (live && !this.landing) this.needlessResends.push(uuid);
          const stored = this.write(book, message, keys.o_u);
          return { sstamp: this.stamp, smid: stored.smid, uuid: stored.uuid };
        });
      },
      getBookMessages: async (keys, book, query = {}, options) =>
        this.request('getBookMessages', keys, book, options, null, () => {
          const nbMax = Math.min(PAGE_LIMIT, query.nbMax ?? PAGE_LIMIT);
          const page = query.page ?? 1;
          return {
            sstamp: this.stamp,
            messages: this.messagesOf(book)
              .filter((m) => !m.del && (query.smidLast === undefined || m.smid < query.smidLast) && (query.smidFirst === undefined || m.smid > query.smidFirst))
              .reverse()
              .slice((page - 1) * nbMax, page * nbMax)
              .map(messageView),
          };
        }),
      deleteMsg: async (keys, book, smid, options) =>
        this.request('deleteMsg', keys, book, options, null, () => {
          const message = this.messagesOf(book).find((m) => m.smid === smid);
          if (!message) throw new ApiError('notFound', 'deleteMsg: unknown message', { req: 'deleteMsg' });
          if (!message.del) {
            message.del = true;
            message.sstamp = ++this.stamp;
          }
          return { sstamp: this.stamp };
        }),
      fileUpload: async (keys, book, upload, options) =>
        this.request('fileUpload', keys, book, options, upload.uuid, (): UploadedFile => {
          const message = this.messagesOf(book).find((m) => m.smid === upload.smid && !m.del);
          if (!message) throw new ApiError('notFound', 'fileUpload: unknown message', { req: 'fileUpload' });
          // No file uuid is absorbed: the same upload again is another file.
          const type = /^(image|audio|video)\//.test(upload.file.type) ? 'media' : 'doc';
          const file = { id: this.nextFileId++, uuid: upload.uuid, name: upload.name, size: upload.file.size, type } as const;
          const mdc = message.files.filter((f) => f.type === type).length;
          message.files.push(file);
          message.sstamp = ++this.stamp;
          return { smid: message.smid, uuid: file.uuid, id: String(file.id), type, mdc, ext: '', originName: file.name, internName: `file-${file.id}` };
        }),
    };
    return api as TimeTonicClient;
  }

  /**
   * Plays the next outcome for a request. `uuid`: the message or file it writes, whose requests
   * without an answer are remembered.
   */
  private request<T>(req: string, keys: SessionKeys, book: BookRef, options: CallOptions | undefined, uuid: string | null, perform: () => T): T {
    this.landHeld();
    for (let i = this.chatter.shift() ?? 0; i > 0; i--) this.postAs('carol', book, 'Meanwhile');
    const outcome = this.script.shift() ?? { kind: 'ok', latencyMs: LATENCY_MS };
    const start = this.time;
    this.time += outcome.kind === 'ok' ? outcome.latencyMs : LATENCY_MS;
    if (uuid !== null && !['ok', 'http500', 'sessionExpired'].includes(outcome.kind)) {
      this.unanswered.set(uuid, [...(this.unanswered.get(uuid) ?? []), start]);
    }
    switch (outcome.kind) {
      case 'lostBeforeWrite':
        throw new ApiError('network', `${req}: cannot reach the server`, { req });
      case 'http500':
        throw new ApiError('httpStatus', `${req}: the server answered HTTP 500`, { req, status: 500 });
      case 'sessionExpired':
        this.sesskey = '';
        return this.checked(req, keys, book, perform);
      case 'ok':
        return this.checked(req, keys, book, perform);
      case 'lostAfterWrite':
        this.attempt(() => this.checked(req, keys, book, perform));
        throw new ApiError('network', `${req}: the connection closed before the answer`, { req });
      case 'held': {
        // Accepted on arrival, the call is performed later whatever comes between (a new session key).
        if (this.attempt(() => this.checked(req, keys, book, () => undefined))) {
          this.held.push({
            at: start + outcome.landsAfterMs,
            perform: () => {
              if (this.attempt(perform) && uuid !== null && outcome.landsAfterMs > this.graceMs) {
                this.landedPastGrace.set(uuid, this.pastGrace(uuid) + 1);
              }
            },
          });
        }
        this.time = start + (options?.timeoutMs ?? 0);
        throw new ApiError('timeout', `${req}: no answer from the server in time`, { req });
      }
      case 'workerStopped':
        if (outcome.written) this.attempt(() => this.checked(req, keys, book, perform));
        throw new WorkerStopped(`the worker stopped during ${req}`);
    }
  }

  /** Whether a request with this uuid left without an answer less than the grace delay ago. */
  private mayStillBeWritten(uuid: string): boolean {
    return (this.unanswered.get(uuid) ?? []).some((left) => this.time < left + this.graceMs);
  }

  /** Answers as the server does: the session first, then the rights on the book. */
  private checked<T>(req: string, keys: SessionKeys, book: BookRef, perform: () => T): T {
    if (keys.sesskey !== this.sesskey) throw new ApiError('invalidSession', `${req}: sesskey expired`, { req });
    if (this.refused.has(bookKey(book))) throw new ApiError('noRights', `${req}: no rights on this book`, { req });
    return perform();
  }

  /** Performs a call whose answer nobody will read; whether the server accepted it. */
  private attempt(perform: () => unknown): boolean {
    try {
      perform();
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return false;
    }
  }

  private landHeld(): void {
    const due = this.held.filter((h) => h.at <= this.time).sort((a, b) => a.at - b.at);
    this.held = this.held.filter((h) => h.at > this.time);
    this.landing = true;
    for (const h of due) h.perform();
    this.landing = false;
  }

  private liveRowsOf(catId: number): StoredRow[] {
    return this.rowsOf(catId).filter((row) => !row.del);
  }

  private rowsOf(catId: number): StoredRow[] {
    const table = this.tables.get(catId);
    if (!table) throw new ApiError('notFound', 'unknown table');
    return table.rows;
  }

  private bookOfTable(catId: number): BookRef {
    const table = this.tables.get(catId);
    if (!table) throw new ApiError('notFound', 'unknown table');
    return table.book;
  }

  private messagesOf(book: BookRef): StoredMessage[] {
    const messages = this.books.get(bookKey(book));
    if (!messages) throw new ApiError('notFound', 'unknown book');
    return messages;
  }

  private write(book: BookRef, message: NewMessage, u_c: string): StoredMessage {
    const stored: StoredMessage = {
      smid: this.nextSmid++,
      uuid: message.uuid ?? `server-${this.nextSmid}`,
      u_c,
      msg: message.msg,
      sstamp: ++this.stamp,
      del: false,
      late: this.landing,
      files: [],
      announced: { nbMedias: message.nbMedias ?? 0, nbDocs: message.nbDocs ?? 0 },
    };
    this.messagesOf(book).push(stored);
    return stored;
  }
}

function messageView(m: StoredMessage): BookMessage {
  return {
    smid: m.smid,
    uuid: m.uuid,
    u_c: m.u_c,
    created: 0,
    lastModified: 0,
    sstamp: m.sstamp,
    del: m.del,
    msg: m.msg,
    msgBody: '',
    msgType: 'm',
    nbMedias: m.files.filter((f) => f.type === 'media').length,
    nbDocs: m.files.filter((f) => f.type === 'doc').length,
    nbComments: 0,
    medias: m.files.map((f) => ({
      id: String(f.id),
      ext: '',
      originName: f.name,
      internName: `file-${f.id}`,
      uuid: f.uuid,
      size: f.size,
      type: f.type,
      del: false,
    })),
  };
}
