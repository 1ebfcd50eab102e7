/**
 * Typed calls of the TimeTonic HTTP API (see the API text: createAppkey, createOauthkey, ...).
 * No browser API in here: the same client runs in the service worker and in Node.
 */
import { ApiError } from './errors';
import * as s from './schemas';
import type { BookRef } from '../domain/refs';
import { callApi, type ApiConfig, type CallOptions } from './transport';

/** Who is calling: the OAuth user and a session key made for them. `u_c` is, for now, always `o_u`. */
export interface SessionKeys {
  o_u: string;
  sesskey: string;
}

export type { BookRef };

export interface BookMessagesQuery {
  /** Also return every message changed (or deleted) since this stamp, without paging. */
  sstamp?: number;
  smidFirst?: number;
  smidLast?: number;
  nbMax?: number;
  page?: number;
  search?: string;
}

export interface NewMessage {
  msg: string;
  body?: string;
  /** Number of images/documents that `fileUpload` calls will attach to this message next. */
  nbMedias?: number;
  nbDocs?: number;
  /** Client-made id of the message, so that a resend after a lost answer is recognised. */
  uuid?: string;
  /** Edit this existing message instead of posting a new one. */
  msgId?: number;
}

export interface FileToUpload {
  /** The message (`createMessageId` of `sendMsg`) the file is attached to. */
  smid: number;
  /** Client-made id of the file, so that a resend after a lost answer is recognised. */
  uuid: string;
  file: Blob;
  name: string;
}

export interface CellFileToUpload {
  /** The row (`newRows[].id` of `createOrUpdateTableRow`) and the file field of the cell. */
  rowId: number;
  fieldId: number;
  /** Client-made id of the file, so that a resend after a lost answer is recognised. */
  uuid: string;
  file: Blob;
  name: string;
}

/** Field id to value, as `createOrUpdateTableRow` takes them. */
export type FieldValues = Record<string, string>;

export type TimeTonicClient = ReturnType<typeof createClient>;

export function createClient(config: ApiConfig) {
  const withSession = ({ o_u, sesskey }: SessionKeys) => ({ o_u, u_c: o_u, sesskey });

  return {
    async createAppkey(appname: string, options?: CallOptions): Promise<string> {
      return (await callApi(config, 'createAppkey', { appname }, s.appkeyReply, options)).appkey;
    },

    /** The password goes to the server in this one request and is kept nowhere. */
    async createOauthkey(
      credentials: { login: string; pwd: string; appkey: string },
      options?: CallOptions,
    ): Promise<{ oauthkey: string; o_u: string }> {
      return callApi(config, 'createOauthkey', credentials, s.oauthkeyReply, options);
    },

    async createSesskey(keys: { o_u: string; oauthkey: string }, options?: CallOptions): Promise<string> {
      const { o_u, oauthkey } = keys;
      return (await callApi(config, 'createSesskey', { o_u, u_c: o_u, oauthkey }, s.sesskeyReply, options)).sesskey;
    },

    /** Ends every other session and oauthkey of the user; this session stays. */
    async dropAllSessions(session: SessionKeys, options?: CallOptions): Promise<void> {
      await callApi(config, 'dropAllSessions', withSession(session), s.okReply, options);
    },

    /** With `sstamp`, `userInfo` is absent when nothing changed since. */
    async getUserInfo(session: SessionKeys, query: { sstamp?: number } = {}, options?: CallOptions) {
      return callApi(config, 'getUserInfo', { ...withSession(session), sstamp: query.sstamp }, s.userInfoReply, options);
    },

    /** With `sstamp`, only the books changed since (deleted ones as `del: true`). */
    async getAllBooks(session: SessionKeys, query: { sstamp?: number; book?: BookRef } = {}, options?: CallOptions) {
      const reply = await callApi(
        config,
        'getAllBooks',
        { ...withSession(session), sstamp: query.sstamp, ...query.book },
        s.allBooksReply,
        options,
      );
      return {
        sstamp: reply.sstamp,
        nbBooks: reply.allBooks.nbBooks,
        books: reply.allBooks.books,
        contacts: reply.allBooks.contacts,
      };
    },

    async getBookInfo(session: SessionKeys, book: BookRef, options?: CallOptions) {
      return callApi(config, 'getBookInfo', { ...withSession(session), ...book }, s.bookInfoReply, options);
    },

    /** Messages newest first. */
    async getBookMessages(session: SessionKeys, book: BookRef, query: BookMessagesQuery = {}, options?: CallOptions) {
      const { search, ...rest } = query;
      return callApi(
        config,
        'getBookMessages',
        { ...withSession(session), ...book, ...rest, search_string: search },
        s.bookMessagesReply,
        options,
      );
    },

    /** Returns the new message's id (`createMessageId`), which `fileUpload` attaches files to. */
    async sendMsg(session: SessionKeys, book: BookRef, message: NewMessage, options?: CallOptions) {
      const { msgId, ...rest } = message;
      return callApi(
        config,
        'sendMsg',
        { ...withSession(session), ...book, ...rest, msg_id: msgId },
        s.sendMsgReply,
        options,
      );
    },

    async deleteMsg(session: SessionKeys, book: BookRef, msgId: number, options?: CallOptions) {
      return callApi(config, 'deleteMsg', { ...withSession(session), ...book, msg_id: msgId }, s.stampReply, options);
    },

    /** Multipart upload, the file in the field `qqfile`. */
    async fileUpload(session: SessionKeys, book: BookRef, upload: FileToUpload, options?: CallOptions) {
      return callApi(
        config,
        'fileUpload',
        { ...withSession(session), ...book, smid: upload.smid, uuid: upload.uuid },
        s.fileUploadReply,
        options,
        { field: 'qqfile', blob: upload.file, name: upload.name },
      );
    },

    /** A book's tables with their fields, and whether the user may write rows. */
    async getBookTables(session: SessionKeys, book: BookRef, options?: CallOptions) {
      return callApi(config, 'getBookTables', { ...withSession(session), ...book, includeFields: true }, s.bookTablesReply, options);
    },

    /** Rows `offset`… of a table, by id, each cell by field id. */
    async getTableValues(session: SessionKeys, catId: number, query: { offset?: number; maxRows?: number } = {}, options?: CallOptions) {
      return callApi(
        config,
        'getTableValues',
        { ...withSession(session), catId, format: 'diff_ready_rows', offset: query.offset, maxRows: query.maxRows },
        s.tableValuesReply,
        options,
      );
    },

    async getTableRows(session: SessionKeys, catId: number, query: { rowIds?: number[]; page?: number; pageSize?: number } = {}, options?: CallOptions) {
      const rowIds = query.rowIds && JSON.stringify(query.rowIds);
      return callApi(
        config,
        'getTableRows',
        { ...withSession(session), catId, rowIds, page: query.page, pageSize: query.pageSize },
        s.tableRowsReply,
        options,
      );
    },

    /**
     * Creates a row in the table `catId` under a client-made `tmp…` id; returns the new row's id,
     * read from `newRows`.
     */
    async createTableRow(session: SessionKeys, row: { tmpId: string; catId: number; fieldValues: FieldValues }, options?: CallOptions) {
      if (!row.tmpId.startsWith('tmp')) throw new RangeError('a new row id starts with "tmp"');
      const reply = await callApi(
        config,
        'createOrUpdateTableRow',
        { ...withSession(session), rowId: row.tmpId, catId: row.catId, fieldValues: JSON.stringify(row.fieldValues) },
        s.tableRowReply,
        options,
      );
      const made = reply.newRows.find((r) => r.tmpId === row.tmpId) ?? (reply.newRows.length === 1 ? reply.newRows[0] : undefined);
      if (!made) throw new ApiError('badReply', 'createOrUpdateTableRow: newRows does not name the new row', { req: 'createOrUpdateTableRow' });
      return { rowId: made.id };
    },

    /** Writes values into an existing row. */
    async updateTableRow(session: SessionKeys, row: { rowId: number; fieldValues: FieldValues }, options?: CallOptions) {
      await callApi(
        config,
        'createOrUpdateTableRow',
        { ...withSession(session), rowId: row.rowId, fieldValues: JSON.stringify(row.fieldValues) },
        s.tableRowReply,
        options,
      );
    },

    async deleteTableRow(session: SessionKeys, rowId: number, options?: CallOptions) {
      return (await callApi(config, 'deleteTableRow', { ...withSession(session), rowId }, s.deletedRowReply, options)).deletedRow;
    },

    /** Multipart upload of a file into a cell of a file field (`qqfile`, `rowId`, `fieldId`). */
    async uploadToCell(session: SessionKeys, book: BookRef, upload: CellFileToUpload, options?: CallOptions) {
      return callApi(
        config,
        'fileUpload',
        { ...withSession(session), ...book, rowId: upload.rowId, fieldId: upload.fieldId, uuid: upload.uuid },
        s.fileUploadReply,
        options,
        { field: 'qqfile', blob: upload.file, name: upload.name },
      );
    },
  };
}
