/**
 * In-memory data of the local TimeTonic-compatible server: users, keys, books, messages, files and
 * the server stamp. No HTTP here; the API layer turns `StateError`s into `nok` replies.
 *
 * Stamps: every write takes the next value of one global counter (`bump`) and the thing it changed
 * records that value. What a user sees of a book changes when the book changes (`book.stamp`) or when
 * that user's own state in it changes (`member.stamp`), so a book's stamp for a user is the larger.
 */

import { randomInt } from 'node:crypto';
import type { ServerErrorKey } from './errors';

export type NokKey = ServerErrorKey;

/** A refusal the API answers with the `nok` of that key. */
export class StateError extends Error {
  override readonly name = 'StateError';
  constructor(readonly nok: NokKey) {
    super(nok);
  }
}

export interface User {
  u_c: string;
  login: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  lang: string;
  /** `YYYY-MM-DD`. */
  createdOn: string;
  projectID: number;
  /** Stamp of the last change of anything `getUserInfo` shows. */
  infoStamp: number;
}

export interface Appkey {
  key: string;
  appname: string;
}

export interface Oauthkey {
  key: string;
  u_c: string;
  appkey: string;
}

export interface Sesskey {
  key: string;
  u_c: string;
  /** The oauthkey this session was made from. */
  oauthkey: string;
  /** ms since the epoch, on the state's clock. */
  expiresAt: number;
}

export type Invite = 'accepted' | 'sent';

/** Rights as in the API text: 1 read only, 2 read and write, 3 read, write and delete. */
export type Right = 1 | 2 | 3;

export interface Member {
  u_c: string;
  invite: Invite;
  right: Right;
  nbNotRead: number;
  archived: boolean;
  lastMsgRead: number;
  favorite: boolean;
  order: number;
  /** Stamp of the last change of this member's own state (unread count, archive, membership). */
  stamp: number;
}

export type FileType = 'media' | 'doc';

export interface StoredFile {
  id: number;
  uuid: string;
  b_o: string;
  b_c: string;
  smid: number;
  type: FileType;
  /** Index among the message's files of the same type. */
  mdc: number;
  ext: string;
  originName: string;
  internName: string;
  contentType: string;
  bytes: Buffer;
}

export interface Message {
  smid: number;
  uuid: string;
  u_c: string;
  msg: string;
  body: string;
  /** Seconds since the epoch. */
  created: number;
  lastModified: number;
  sstamp: number;
  del: boolean;
  /** What sendMsg announced; the reply shows the larger of this and what was attached. */
  nbMediasAnnounced: number;
  nbDocsAnnounced: number;
  files: StoredFile[];
}

export interface Book {
  b_o: string;
  b_c: string;
  title: string;
  coverColor: string;
  sbid: number;
  stamp: number;
  del: boolean;
  members: Member[];
  /** Oldest first. */
  messages: Message[];
}

/** Tells one user, once, that a book is gone for them (deleted, or they were removed). */
export interface Tombstone {
  u_c: string;
  b_o: string;
  b_c: string;
  sstamp: number;
}

export interface StateOptions {
  /** How long a new sesskey lives. Default: 24 hours. */
  sessionTtlMs?: number;
  /** The clock, in ms since the epoch. */
  now?: () => number;
  /** Whether a repeated uuid returns what it made before. Default true. */
  absorbRepeatedUuid?: boolean;
  /** Called after a message of a book is posted, edited or deleted by `u_c` (the message socket pushes). */
  onMessagesChanged?: (u_c: string, b_o: string, b_c: string) => void;
}

export interface NewMessage {
  msg: string;
  body?: string;
  uuid?: string;
  nbMedias?: number;
  nbDocs?: number;
}

export interface NewFile {
  uuid?: string;
  originName: string;
  contentType: string;
  bytes: Buffer;
  /** Fixed internal name, for seeding; otherwise a random one. */
  internName?: string;
}

export interface NewBook {
  b_o: string;
  b_c: string;
  title: string;
  coverColor?: string;
  /** Members besides the owner, who is always a member with right 3. */
  members?: { u_c: string; right?: Right; invite?: Invite }[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomChars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

/** A key of the API text's form, `lB3N-55xw-iRmm-dFrd-1PBS-0`. */
export function randomKey(): string {
  return `${[0, 1, 2, 3, 4].map(() => randomChars(4)).join('-')}-0`;
}

export function bookKey(b_o: string, b_c: string): string {
  return `${b_o}\u0000${b_c}`;
}

const MEDIA_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'svg', 'heic', 'avif',
  'mp3', 'wav', 'ogg', 'm4a', 'aac', 'flac', 'mp4', 'mov', 'webm', 'mkv', 'avi',
]);

/** "media" for images, audio and video (by content type, else by extension), "doc" otherwise. */
export function fileTypeOf(contentType: string, ext: string): FileType {
  if (/^(image|audio|video)\//i.test(contentType)) return 'media';
  if (/^application\/octet-stream$|^$/i.test(contentType) && MEDIA_EXTENSIONS.has(ext)) return 'media';
  return 'doc';
}

function extensionOf(name: string, contentType: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  if (m?.[1]) return m[1].toLowerCase();
  const sub = /^[a-z]+\/([a-z0-9]+)$/i.exec(contentType)?.[1]?.toLowerCase();
  return sub === undefined || sub === 'octet-stream' ? '' : sub === 'jpeg' ? 'jpg' : sub;
}

export class ServerState {
  stamp = 0;
  readonly users = new Map<string, User>();
  readonly appkeys = new Map<string, Appkey>();
  readonly oauthkeys = new Map<string, Oauthkey>();
  readonly sesskeys = new Map<string, Sesskey>();
  /** By `bookKey(b_o, b_c)`, deleted books included (with `del`). */
  readonly books = new Map<string, Book>();
  tombstones: Tombstone[] = [];
  /** Files by internal name and by uuid. */
  readonly filesByName = new Map<string, StoredFile>();
  readonly filesById = new Map<number, StoredFile>();

  readonly sessionTtlMs: number;
  readonly now: () => number;
  /**
   * A sendMsg or fileUpload whose uuid was already used returns what it made, so a resent post lands
   * once. Off, it makes another, as a less forgiving server would.
   */
  absorbRepeatedUuid: boolean;
  private readonly onMessagesChanged: (u_c: string, b_o: string, b_c: string) => void;
  private nextSmid = 1001;
  private nextFileId = 5001;
  private nextSbid = 101;

  constructor(options: StateOptions = {}) {
    this.sessionTtlMs = options.sessionTtlMs ?? 24 * 3600 * 1000;
    this.now = options.now ?? Date.now;
    this.absorbRepeatedUuid = options.absorbRepeatedUuid ?? true;
    this.onMessagesChanged = options.onMessagesChanged ?? (() => {});
  }

  /** The next server stamp, taken by a write. */
  bump(): number {
    return ++this.stamp;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  // ---- users and keys ----

  addUser(user: Omit<User, 'infoStamp' | 'projectID' | 'lang' | 'createdOn'> & Partial<User>): User {
    const u: User = {
      lang: 'EN',
      createdOn: new Date(this.now()).toISOString().slice(0, 10),
      projectID: 7845287990000 + this.users.size + 1,
      ...user,
      infoStamp: this.bump(),
    };
    this.users.set(u.u_c, u);
    return u;
  }

  /** A user by id, login or email (case-insensitive for the email). */
  findUser(login: string): User | undefined {
    const byId = this.users.get(login);
    if (byId) return byId;
    const lower = login.toLowerCase();
    for (const u of this.users.values()) {
      if (u.login === login || u.email.toLowerCase() === lower) return u;
    }
    return undefined;
  }

  createAppkey(appname: string): string {
    const key = randomKey();
    this.appkeys.set(key, { key, appname });
    return key;
  }

  createOauthkey(login: string, pwd: string, appkey: string): { oauthkey: string; o_u: string } {
    if (!this.appkeys.has(appkey)) throw new StateError('invalidAppkey');
    const user = this.findUser(login);
    if (!user || user.password !== pwd) throw new StateError('invalidLogin');
    const key = randomKey();
    this.oauthkeys.set(key, { key, u_c: user.u_c, appkey });
    return { oauthkey: key, o_u: user.u_c };
  }

  createSesskey(o_u: string, u_c: string, oauthkey: string): string {
    const oauth = this.oauthkeys.get(oauthkey);
    if (!oauth || oauth.u_c !== o_u) throw new StateError('invalidOauthkey');
    if (u_c !== o_u) throw new StateError('userMismatch');
    const key = randomKey();
    this.sesskeys.set(key, { key, u_c: o_u, oauthkey, expiresAt: this.now() + this.sessionTtlMs });
    return key;
  }

  /** The user of a valid session, or the refusal. */
  checkSession(o_u: string, u_c: string, sesskey: string): User {
    const session = this.sesskeys.get(sesskey);
    if (!session || session.u_c !== o_u) throw new StateError('invalidSesskey');
    if (this.now() >= session.expiresAt) throw new StateError('expiredSesskey');
    if (u_c !== o_u) throw new StateError('userMismatch');
    const user = this.users.get(o_u);
    if (!user) throw new StateError('invalidSesskey');
    return user;
  }

  /** Drops every session and oauthkey of the user but `keep` and the oauthkey that made it. */
  dropAllSessions(u_c: string, keep: string): void {
    const keptOauth = this.sesskeys.get(keep)?.oauthkey;
    for (const [key, s] of this.sesskeys) if (s.u_c === u_c && key !== keep) this.sesskeys.delete(key);
    for (const [key, o] of this.oauthkeys) if (o.u_c === u_c && key !== keptOauth) this.oauthkeys.delete(key);
  }

  /** Makes the sessions of one user (or of all) expired; returns how many. */
  expireSessions(u_c?: string): number {
    let n = 0;
    for (const s of this.sesskeys.values()) {
      if (u_c === undefined || s.u_c === u_c) {
        s.expiresAt = Number.NEGATIVE_INFINITY;
        n++;
      }
    }
    return n;
  }

  /** Forgets the oauthkeys of one user (or of all); returns how many. */
  revokeOauthkeys(u_c?: string): number {
    let n = 0;
    for (const [key, o] of this.oauthkeys) {
      if (u_c === undefined || o.u_c === u_c) {
        this.oauthkeys.delete(key);
        n++;
      }
    }
    return n;
  }

  // ---- books and members ----

  addBook(spec: NewBook): Book {
    if (!this.users.has(spec.b_o)) throw new Error(`unknown owner ${spec.b_o}`);
    const stamp = this.bump();
    const key = bookKey(spec.b_o, spec.b_c);
    const existing = this.books.get(key);
    if (existing && !existing.del) throw new Error(`book ${spec.b_o}/${spec.b_c} exists`);
    const member = (u_c: string, right: Right, invite: Invite): Member => ({
      u_c, invite, right, nbNotRead: 0, archived: false, lastMsgRead: 0, favorite: false,
      order: this.booksOf(u_c).length, stamp,
    });
    const book: Book = {
      b_o: spec.b_o,
      b_c: spec.b_c,
      title: spec.title,
      coverColor: spec.coverColor ?? 'defaut',
      sbid: this.nextSbid++,
      stamp,
      del: false,
      members: [member(spec.b_o, 3, 'accepted')],
      messages: [],
    };
    for (const m of spec.members ?? []) {
      if (!this.users.has(m.u_c)) throw new Error(`unknown member ${m.u_c}`);
      if (m.u_c !== spec.b_o) book.members.push(member(m.u_c, m.right ?? 2, m.invite ?? 'accepted'));
    }
    this.books.set(key, book);
    for (const m of book.members) this.membershipChanged(m.u_c, spec.b_o, spec.b_c, stamp);
    return book;
  }

  deleteBook(b_o: string, b_c: string): void {
    const book = this.getBook(b_o, b_c);
    const stamp = this.bump();
    book.del = true;
    book.stamp = stamp;
    for (const m of book.members) {
      this.tombstones.push({ u_c: m.u_c, b_o, b_c, sstamp: stamp });
      this.membershipChanged(m.u_c, b_o, b_c, stamp, true);
    }
  }

  addMember(b_o: string, b_c: string, u_c: string, right: Right = 2, invite: Invite = 'accepted'): Member {
    const book = this.getBook(b_o, b_c);
    if (!this.users.has(u_c)) throw new Error(`unknown user ${u_c}`);
    if (book.members.some((m) => m.u_c === u_c)) throw new Error(`${u_c} is already a member`);
    const stamp = this.bump();
    const member: Member = {
      u_c, invite, right, nbNotRead: 0, archived: false, lastMsgRead: 0, favorite: false,
      order: this.booksOf(u_c).length, stamp,
    };
    book.members.push(member);
    book.stamp = stamp;
    this.membershipChanged(u_c, b_o, b_c, stamp);
    return member;
  }

  removeMember(b_o: string, b_c: string, u_c: string): void {
    const book = this.getBook(b_o, b_c);
    const index = book.members.findIndex((m) => m.u_c === u_c);
    if (index < 0) throw new StateError('noRights');
    const stamp = this.bump();
    book.members.splice(index, 1);
    book.stamp = stamp;
    this.tombstones.push({ u_c, b_o, b_c, sstamp: stamp });
    this.membershipChanged(u_c, b_o, b_c, stamp, true);
  }

  /** nbBooks is part of the user's info; a returning member must not get an old tombstone. */
  private membershipChanged(u_c: string, b_o: string, b_c: string, stamp: number, gone = false): void {
    const user = this.users.get(u_c);
    if (user) user.infoStamp = stamp;
    if (!gone) {
      this.tombstones = this.tombstones.filter((t) => !(t.u_c === u_c && t.b_o === b_o && t.b_c === b_c));
    }
  }

  /** A live book, or `unknownBook`. */
  getBook(b_o: string, b_c: string): Book {
    const book = this.books.get(bookKey(b_o, b_c));
    if (!book || book.del) throw new StateError('unknownBook');
    return book;
  }

  /** The user's membership of the book, or `noRights`. */
  memberOf(book: Book, u_c: string): Member {
    const member = book.members.find((m) => m.u_c === u_c);
    if (!member) throw new StateError('noRights');
    return member;
  }

  /** Live books the user is a member of (invited or accepted). */
  booksOf(u_c: string): Book[] {
    return [...this.books.values()].filter((b) => !b.del && b.members.some((m) => m.u_c === u_c));
  }

  /** The stamp of the book as this member sees it. */
  bookStampFor(book: Book, member: Member): number {
    return Math.max(book.stamp, member.stamp);
  }

  /** Users who share a live book with this one. */
  contactsOf(u_c: string): User[] {
    const ids = new Set<string>();
    for (const b of this.booksOf(u_c)) for (const m of b.members) if (m.u_c !== u_c) ids.add(m.u_c);
    return [...ids].sort().flatMap((id) => this.users.get(id) ?? []);
  }

  /** Sum of nbNotRead over the user's accepted, non-archived books. */
  unreadTotal(u_c: string): number {
    let total = 0;
    for (const b of this.booksOf(u_c)) {
      const m = this.memberOf(b, u_c);
      if (m.invite === 'accepted' && !m.archived) total += m.nbNotRead;
    }
    return total;
  }

  /** Sets what a member has not read, and up to where they read (seeding, control). */
  setUnread(u_c: string, b_o: string, b_c: string, nbNotRead: number): void {
    const book = this.getBook(b_o, b_c);
    const member = this.memberOf(book, u_c);
    const live = book.messages.filter((m) => !m.del);
    const lastRead = live[live.length - 1 - nbNotRead]?.smid ?? 0;
    if (member.nbNotRead === nbNotRead && member.lastMsgRead === lastRead) return;
    member.nbNotRead = nbNotRead;
    member.lastMsgRead = lastRead;
    member.stamp = this.bump();
  }

  markRead(u_c: string, b_o: string, b_c: string): void {
    this.setUnread(u_c, b_o, b_c, 0);
  }

  setArchived(u_c: string, b_o: string, b_c: string, archived: boolean): void {
    const member = this.memberOf(this.getBook(b_o, b_c), u_c);
    if (member.archived === archived) return;
    member.archived = archived;
    member.stamp = this.bump();
  }

  // ---- messages ----

  /** A message of the book (deleted ones too), or `unknownMessage`. */
  getMessage(book: Book, smid: number): Message {
    const message = book.messages.find((m) => m.smid === smid);
    if (!message) throw new StateError('unknownMessage');
    return message;
  }

  private writer(book: Book, u_c: string): Member {
    const member = this.memberOf(book, u_c);
    if (member.invite !== 'accepted' || member.right < 2) throw new StateError('noRights');
    return member;
  }

  /**
   * Posts a message. While repeated uuids are absorbed, a uuid already used in the book names the
   * message it made: nothing new is created and that message is returned with `created: false`.
   */
  postMessage(u_c: string, b_o: string, b_c: string, input: NewMessage): { message: Message; created: boolean } {
    const book = this.getBook(b_o, b_c);
    const author = this.writer(book, u_c);
    if (input.uuid && this.absorbRepeatedUuid) {
      const same = book.messages.find((m) => m.uuid === input.uuid);
      if (same) return { message: same, created: false };
    }
    const stamp = this.bump();
    const now = this.seconds();
    const message: Message = {
      smid: this.nextSmid++,
      uuid: input.uuid || randomChars(40),
      u_c,
      msg: input.msg,
      body: input.body ?? '',
      created: now,
      lastModified: now,
      sstamp: stamp,
      del: false,
      nbMediasAnnounced: input.nbMedias ?? 0,
      nbDocsAnnounced: input.nbDocs ?? 0,
      files: [],
    };
    book.messages.push(message);
    book.stamp = stamp;
    author.lastMsgRead = message.smid;
    author.stamp = stamp;
    for (const m of book.members) {
      if (m !== author && m.invite === 'accepted') {
        m.nbNotRead += 1;
        m.stamp = stamp;
      }
    }
    this.onMessagesChanged(u_c, b_o, b_c);
    return { message, created: true };
  }

  /** Changes the text of a message; its author only. */
  editMessage(u_c: string, b_o: string, b_c: string, smid: number, msg: string, body?: string): Message {
    const book = this.getBook(b_o, b_c);
    this.writer(book, u_c);
    const message = this.getMessage(book, smid);
    if (message.del) throw new StateError('unknownMessage');
    if (message.u_c !== u_c) throw new StateError('noRights');
    const stamp = this.bump();
    message.msg = msg;
    if (body !== undefined) message.body = body;
    message.lastModified = this.seconds();
    message.sstamp = stamp;
    book.stamp = stamp;
    this.onMessagesChanged(u_c, b_o, b_c);
    return message;
  }

  /** Marks a message deleted; its author or a member with right 3. Deleting twice is a no-op. */
  deleteMessage(u_c: string, b_o: string, b_c: string, smid: number): Message {
    const book = this.getBook(b_o, b_c);
    const member = this.memberOf(book, u_c);
    const message = this.getMessage(book, smid);
    if (!(member.right >= 3 || (message.u_c === u_c && member.right >= 2))) throw new StateError('noRights');
    if (message.del) return message;
    const stamp = this.bump();
    message.del = true;
    message.lastModified = this.seconds();
    message.sstamp = stamp;
    book.stamp = stamp;
    this.onMessagesChanged(u_c, b_o, b_c);
    return message;
  }

  // ---- files ----

  /**
   * Attaches a file to a message; its author or a member with right 3. While repeated uuids are
   * absorbed, the same uuid again for the same message returns the file already stored with
   * `created: false`.
   */
  attachFile(u_c: string, b_o: string, b_c: string, smid: number, input: NewFile): { file: StoredFile; created: boolean } {
    const book = this.getBook(b_o, b_c);
    const member = this.writer(book, u_c);
    const message = this.getMessage(book, smid);
    if (message.del) throw new StateError('unknownMessage');
    if (message.u_c !== u_c && member.right < 3) throw new StateError('noRights');
    if (input.uuid && this.absorbRepeatedUuid) {
      const same = message.files.find((f) => f.uuid === input.uuid);
      if (same) return { file: same, created: false };
    }
    const ext = extensionOf(input.originName, input.contentType);
    const type = fileTypeOf(input.contentType, ext);
    let internName = input.internName ?? '';
    while (!internName || this.filesByName.has(internName)) {
      internName = randomChars(10) + (ext ? `.${ext}` : '');
    }
    const stamp = this.bump();
    const file: StoredFile = {
      id: this.nextFileId++,
      uuid: input.uuid || randomChars(16),
      b_o,
      b_c,
      smid,
      type,
      mdc: message.files.filter((f) => f.type === type).length,
      ext,
      originName: input.originName,
      internName,
      contentType: input.contentType || 'application/octet-stream',
      bytes: input.bytes,
    };
    message.files.push(file);
    message.sstamp = stamp;
    message.lastModified = this.seconds();
    book.stamp = stamp;
    this.filesById.set(file.id, file);
    this.filesByName.set(file.internName, file);
    if (!this.filesByName.has(file.uuid)) this.filesByName.set(file.uuid, file);
    return { file, created: true };
  }

  /** A file of a live message, by internal name or uuid. */
  fileByName(nameOrUuid: string): StoredFile | undefined {
    const file = this.filesByName.get(nameOrUuid);
    return file && this.fileIsLive(file) ? file : undefined;
  }

  fileById(id: number): StoredFile | undefined {
    const file = this.filesById.get(id);
    return file && this.fileIsLive(file) ? file : undefined;
  }

  /** The `mdc`-th file of that type of a live message. */
  fileOfMessage(book: Book, smid: number, type: FileType, mdc: number): StoredFile | undefined {
    const message = book.messages.find((m) => m.smid === smid && !m.del);
    return message?.files.find((f) => f.type === type && f.mdc === mdc);
  }

  private fileIsLive(file: StoredFile): boolean {
    const book = this.books.get(bookKey(file.b_o, file.b_c));
    return !!book && !book.del && book.messages.some((m) => m.smid === file.smid && !m.del);
  }
}
