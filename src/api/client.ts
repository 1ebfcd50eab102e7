/**
 * Typed calls of the TimeTonic HTTP API (see the API text: createAppkey, createOauthkey, ...).
 * No browser API in here: the same client runs in the service worker and in Node.
 */
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
  };
}
