/**
 * Replies as a live server may send them: documented fields missing, others added, values spelled
 * differently. Each is read for what the extension uses, and refused only when that is missing.
 */
import { describe, expect, it } from 'vitest';
import { isApiError } from '../../src/api';
import * as s from '../../src/api/schemas';
import { parseReply } from '../../src/api/transport';

const ok = (reply: object) => JSON.stringify({ status: 'ok', newField: { nested: [1, 2] }, ...reply });

describe('a reply with fields the text documents left out, and others added', () => {
  it('getAllBooks: a book with only its name, stamp and count', () => {
    const reply = parseReply(
      'getAllBooks',
      ok({ sstamp: '42', allBooks: { books: [{ b_o: 'alice', b_c: 'inbox', nbNotRead: '3', coverImage: 'x.png', members: [{ right: 'admin' }] }] } }),
      s.allBooksReply,
    );
    expect(reply.sstamp).toBe(42);
    expect(reply.allBooks.books[0]).toMatchObject({ b_o: 'alice', b_c: 'inbox', nbNotRead: 3, archived: false, lastMsg: null, ownerPrefs: { title: '' } });
    expect(reply.allBooks.contacts).toEqual([]);
  });

  it('getBookMessages: medias without id or with a type of their own', () => {
    const reply = parseReply(
      'getBookMessages',
      ok({ sstamp: 7, bookMessages: [{ smid: 5, uuid: 'u-1', medias: [{ uuid: 'f-1', type: 'image', thumbnail: true }], reactions: [] }] }),
      s.bookMessagesReply,
    );
    expect(reply.messages[0]!.medias[0]).toMatchObject({ uuid: 'f-1', type: 'media', id: '', del: false });
  });

  it('sendMsg: the message id alone', () => {
    expect(parseReply('sendMsg', ok({ createMessageId: '1234', threadId: 9 }), s.sendMsgReply)).toEqual({ sstamp: 0, smid: 1234, uuid: undefined });
  });

  it('fileUpload: a bare ok', () => {
    expect(parseReply('fileUpload', ok({}), s.fileUploadReply)).toMatchObject({ internName: '', type: 'media' });
  });

  it('is still refused when what the extension reads is missing', () => {
    for (const [req, text, schema] of [
      ['getAllBooks', ok({ allBooks: { books: [] } }), s.allBooksReply],
      ['getAllBooks', ok({ sstamp: 1, allBooks: { books: [{ b_c: 'no-owner' }] } }), s.allBooksReply],
      ['sendMsg', ok({ sstamp: 1 }), s.sendMsgReply],
      ['getBookMessages', ok({ sstamp: 1, bookMessages: [{ uuid: 'no-smid' }] }), s.bookMessagesReply],
    ] as const) {
      let caught: unknown;
      try {
        parseReply(req, text, schema);
      } catch (error) {
        caught = error;
      }
      expect(isApiError(caught, 'badReply'), `${req} ${text}`).toBe(true);
    }
  });
});
