/**
 * A book's messages: merging fetched pages into the cache (property-based, against the local
 * server's own state and call handlers, in process), keeping the cache small, and what the book
 * view shows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookMessage } from '../../src/api';
import { ApiError } from '../../src/api/errors';
import { bookMessagesReply } from '../../src/api/schemas';
import { parseReply } from '../../src/api/transport';
import { mergeLatest, mergeOlder, readFailure, storeBookMessages, toCachedMessage } from '../../src/domain/message-merge';
import { messageTime } from '../../src/domain/message-time';
import { messageLines } from '../../src/domain/message-lines';
import { EMPTY_MESSAGE_CACHE, senderName, type BookMessages } from '../../src/domain/messages';
import { english } from '../support/words';
import { newItem } from '../../src/domain/outbox';
import { handleApi, type Params } from '../../server/api';
import { seededState } from '../../server/control';
import type { ServerState } from '../../server/state';

const BOOK = { b_o: 'alice', b_c: 'support-inbox' };
const PAGE = 4;

/** getBookMessages as demo, in process. */
function signedIn(state: ServerState) {
  const call = (params: Params) => handleApi(state, { version: '6.41', ...params });
  const { appkey } = call({ req: 'createAppkey', appname: 'test' }) as unknown as { appkey: string };
  const { oauthkey } = call({ req: 'createOauthkey', login: 'demo', pwd: 'demo', appkey }) as unknown as { oauthkey: string };
  const { sesskey } = call({ req: 'createSesskey', o_u: 'demo', u_c: 'demo', oauthkey }) as unknown as { sesskey: string };
  return (query: { sstamp?: number; smidLast?: number }) => {
    const params: Params = { req: 'getBookMessages', o_u: 'demo', u_c: 'demo', sesskey, ...BOOK, nbMax: String(PAGE) };
    if (query.sstamp !== undefined) params.sstamp = String(query.sstamp);
    if (query.smidLast !== undefined) params.smidLast = String(query.smidLast);
    return parseReply('getBookMessages', JSON.stringify(call(params)), bookMessagesReply);
  };
}

/** The live messages of the book on the server, newest first, as the cache keeps them. */
function onServer(state: ServerState) {
  return state
    .getBook(BOOK.b_o, BOOK.b_c)
    .messages.filter((m) => !m.del)
    .map((m) => ({ smid: m.smid, text: m.msg || m.body }))
    .reverse();
}

type Change =
  | { kind: 'post'; author: number; text: string }
  | { kind: 'edit'; pick: number; text: string }
  | { kind: 'delete'; pick: number }
  | { kind: 'refresh' }
  | { kind: 'older' };

const AUTHORS = ['alice', 'bob', 'demo'];
const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), author: fc.nat(), text: fc.string({ minLength: 1, maxLength: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), text: fc.string({ minLength: 1, maxLength: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'refresh' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'older' as const }) },
);

function apply(state: ServerState, item: Change): void {
  const live = state.getBook(BOOK.b_o, BOOK.b_c).messages.filter((m) => !m.del);
  const picked = live.length > 0 ? live[(item as { pick?: number }).pick! % live.length] : undefined;
  if (item.kind === 'post') state.postMessage(AUTHORS[item.author % AUTHORS.length]!, BOOK.b_o, BOOK.b_c, { msg: item.text });
  // As the author, who may always edit and delete.
  if (item.kind === 'edit' && picked) state.editMessage(picked.u_c, BOOK.b_o, BOOK.b_c, picked.smid, item.text);
  if (item.kind === 'delete' && picked) state.deleteMessage(picked.u_c, BOOK.b_o, BOOK.b_c, picked.smid);
}

function serverMessage(smid: number, more: Partial<BookMessage> = {}): BookMessage {
  return {
    smid,
    uuid: `u${smid}`,
    u_c: 'bob',
    created: 1_700_000_000 + smid,
    lastModified: 0,
    sstamp: smid,
    del: false,
    msg: `Message ${smid}`,
    msgBody: '',
    msgType: 'm',
    nbMedias: 0,
    nbDocs: 0,
    nbComments: 0,
    medias: [],
    ...more,
  };
}

describe('merging fetched pages', () => {
  it('keeps, for any sequence of changes, the newest messages of the server, without gaps or stale ones', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const state = seededState('demo', undefined);
        const getBookMessages = signedIn(state);
        let entry: BookMessages = mergeLatest(undefined, getBookMessages({}), 0, PAGE);
        for (const item of [...changes, { kind: 'refresh' } as const]) {
          apply(state, item);
          if (item.kind === 'older' && entry.hasOlder && entry.messages.length > 0) {
            const before = entry.messages.at(-1)!.smid;
            entry = mergeOlder(entry, getBookMessages({ smidLast: before }).messages, before, 0, PAGE);
          }
          if (item.kind !== 'refresh') continue;
          entry = mergeLatest(entry, getBookMessages({ sstamp: entry.sstamp }), 0, PAGE);
          const server = onServer(state);
          const kept = entry.messages.map((m) => ({ smid: m.smid, text: m.text }));
          // After a refresh, what is kept is the server's newest messages, as they are now...
          expect(kept).toEqual(server.slice(0, kept.length));
          // ...and when some are not kept, it says older ones wait (a full page may say so of none).
          if (server.length > kept.length) expect(entry.hasOlder).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps what a first fetch brings, and says older ones wait when the page is full', () => {
    const full = mergeLatest(undefined, { sstamp: 9, messages: [serverMessage(3), serverMessage(5), serverMessage(4)] }, 1, 3);
    expect(full.messages.map((m) => m.smid)).toEqual([5, 4, 3]);
    expect(full).toMatchObject({ sstamp: 9, hasOlder: true, fetchedAt: 1 });
    expect(mergeLatest(undefined, { sstamp: 9, messages: [serverMessage(3)] }, 1, 3).hasOlder).toBe(false);
  });

  it('drops an answer older than what is kept: two fetches crossed', () => {
    const kept = mergeLatest(undefined, { sstamp: 20, messages: [serverMessage(5)] }, 1, 3);
    expect(mergeLatest(kept, { sstamp: 19, messages: [serverMessage(4)] }, 2, 3)).toBe(kept);
  });

  it('drops an older page that no longer joins the list', () => {
    const kept = mergeLatest(undefined, { sstamp: 20, messages: [serverMessage(6), serverMessage(5)] }, 1, 2);
    expect(mergeOlder(kept, [serverMessage(3)], 4, 2, 2)).toBe(kept);
    expect(mergeOlder(kept, [serverMessage(4), serverMessage(3)], 5, 2, 2).messages.map((m) => m.smid)).toEqual([6, 5, 4, 3]);
  });

  it('reads images, other media and documents, and leaves out deleted files', () => {
    const media = (internName: string, more: object = {}) => ({ id: internName, ext: '', originName: `${internName} name`, internName, uuid: '', size: 1, type: 'media' as const, del: false, ...more });
    const cached = toCachedMessage(
      serverMessage(1, {
        msg: '',
        msgBody: 'Body text',
        medias: [media('a.JPG'), media('b.mp3', { ext: 'mp3' }), media('c.pdf', { type: 'doc', ext: 'pdf' }), media('d.png', { del: true })],
      }),
    );
    expect(cached.text).toBe('Body text');
    expect(cached.files).toEqual([
      { kind: 'image', internName: 'a.JPG', name: 'a.JPG name' },
      { kind: 'media', internName: 'b.mp3', name: 'b.mp3 name' },
      { kind: 'doc', internName: 'c.pdf', name: 'c.pdf name' },
    ]);
  });
});

describe('keeping the cache small', () => {
  const me = { server: 'https://tt.example', o_u: 'demo' };
  const entry = (count: number, fetchedAt: number): BookMessages => ({
    sstamp: 1,
    hasOlder: false,
    fetchedAt,
    messages: Array.from({ length: count }, (_, i) => toCachedMessage(serverMessage(count - i))),
  });

  it('keeps the books fetched last, and the newest messages of each but the one just fetched', () => {
    let cache = EMPTY_MESSAGE_CACHE;
    const limits = { books: 2, messagesPerBook: 3, messagesOfLatestBook: 5 };
    cache = storeBookMessages(cache, me, 'a/1', entry(10, 1), limits);
    expect(cache.books['a/1']!.messages).toHaveLength(5);
    cache = storeBookMessages(cache, me, 'a/2', entry(2, 2), limits);
    expect(cache.books['a/1']!.messages.map((m) => m.smid)).toEqual([10, 9, 8]);
    expect(cache.books['a/1']!.hasOlder).toBe(true);
    cache = storeBookMessages(cache, me, 'a/3', entry(1, 3), limits);
    expect(Object.keys(cache.books).sort()).toEqual(['a/2', 'a/3']);
  });

  it('starts afresh for another account', () => {
    const cache = storeBookMessages(EMPTY_MESSAGE_CACHE, me, 'a/1', entry(1, 1));
    const other = storeBookMessages(cache, { ...me, o_u: 'alice' }, 'a/2', entry(1, 2));
    expect(other).toEqual({ account: { ...me, o_u: 'alice' }, books: { 'a/2': entry(1, 2) } });
  });
});

describe('what the book view shows', () => {
  const me = { server: 'https://tt.example', o_u: 'demo' };
  const kept = mergeLatest(undefined, { sstamp: 9, messages: [serverMessage(2), serverMessage(1)] }, 1);
  const item = (uuid: string, now: number, more = {}) => ({
    ...newItem({ uuid, account: me, book: BOOK, bookTitle: 'Support', text: uuid, sinceStamp: 9, now }),
    ...more,
  });

  it('lists sends not yet fetched first, newest first, then the messages', () => {
    const outbox = [
      item('first', 1),
      item('second', 2),
      item('u2', 3, { status: 'sent' }),
      item('elsewhere', 4, { book: { b_o: 'x', b_c: 'y' } }),
      item('by alice', 5, { account: { ...me, o_u: 'alice' } }),
    ];
    const lines = messageLines(english, kept, outbox, BOOK, me);
    expect(lines.map((line) => (line.kind === 'send' ? `send ${line.item.uuid} ${line.view.state}` : `message ${line.message.smid}`))).toEqual([
      'send second sending',
      'send first sending',
      'message 2',
      'message 1',
    ]);
  });

  it('names the sender, and the user as You', () => {
    expect(senderName(english, 'bob', 'demo', { bob: 'Bob Okafor' })).toBe('Bob Okafor');
    expect(senderName(english, 'demo', 'demo', { bob: 'Bob Okafor' })).toBe('You');
    expect(senderName(english, 'zed', 'demo', {})).toBe('zed');
  });

  it('tells the time in the user’s locale: the hour today, the day this year, the date before', () => {
    const now = Date.UTC(2026, 5, 15, 18, 0);
    const at = (ms: number) => ms / 1000;
    expect(messageTime(at(Date.UTC(2026, 5, 15, 9, 5)), now, 'en-GB', 'UTC')).toBe('09:05');
    expect(messageTime(at(Date.UTC(2026, 5, 15, 9, 5)), now, 'en-US', 'UTC')).toBe('9:05 AM');
    expect(messageTime(at(Date.UTC(2026, 2, 3, 14, 30)), now, 'en-GB', 'UTC')).toBe('3 Mar, 14:30');
    expect(messageTime(at(Date.UTC(2024, 11, 24, 8, 0)), now, 'fr-FR', 'UTC')).toBe('24 déc. 2024, 8:00');
  });

  it('says in words why messages could not be fetched', () => {
    expect(readFailure(new ApiError('network', 'x'))).toBe('TimeTonic could not be reached');
    expect(readFailure(new ApiError('httpStatus', 'x', { status: 503 }))).toBe('TimeTonic had a server error (HTTP 503)');
    expect(readFailure(new ApiError('noRights', 'x'))).toBe('You may not read this book');
    expect(readFailure(new ApiError('badCredentials', 'x'))).toBe('Sign in again to read this book');
  });
});
