/**
 * Merging getAllBooks deltas: for any sequence of changes on the server, the cache built from
 * deltas equals the one a full fetch builds. Property-based, against the local server's own state
 * and call handlers (in process, no sockets: thousands of runs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allBooksReply } from '../../src/api/schemas';
import { parseReply } from '../../src/api/transport';
import { mergeBooks } from '../../src/domain/book-merge';
import { EMPTY_CACHE, type BookCache } from '../../src/domain/books';
import { handleApi, type Params } from '../../server/api';
import { seededState } from '../../server/control';
import type { ServerState } from '../../server/state';

function signedIn(state: ServerState) {
  const call = (params: Params) => handleApi(state, { version: '6.41', ...params });
  const { appkey } = call({ req: 'createAppkey', appname: 'test' }) as unknown as { appkey: string };
  const { oauthkey } = call({ req: 'createOauthkey', login: 'demo', pwd: 'demo', appkey }) as unknown as { oauthkey: string };
  const { sesskey } = call({ req: 'createSesskey', o_u: 'demo', u_c: 'demo', oauthkey }) as unknown as { sesskey: string };
  return (sstamp: number | null) => {
    const reply = call({ req: 'getAllBooks', o_u: 'demo', u_c: 'demo', sesskey, ...(sstamp === null ? {} : { sstamp: String(sstamp) }) });
    return parseReply('getAllBooks', JSON.stringify(reply), allBooksReply);
  };
}

const toDelta = (reply: ReturnType<ReturnType<typeof signedIn>>) => ({
  sstamp: reply.sstamp,
  books: reply.allBooks.books,
  contacts: reply.allBooks.contacts,
});

type Change =
  | { kind: 'post'; book: number; author: number; text: string }
  | { kind: 'read'; book: number }
  | { kind: 'archive'; book: number; archived: boolean }
  | { kind: 'addBook'; id: number }
  | { kind: 'deleteBook'; book: number }
  | { kind: 'leave'; book: number }
  | { kind: 'join'; book: number }
  | { kind: 'poll' };

const AUTHORS = ['alice', 'bob', 'carla', 'demo'];

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), book: fc.nat(), author: fc.nat(), text: fc.string({ maxLength: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), book: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive' as const), book: fc.nat(), archived: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('addBook' as const), id: fc.nat({ max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteBook' as const), book: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), book: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('join' as const), book: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
);

/** Applies a change if it makes sense in the current state; a refused one changes nothing. */
function apply(state: ServerState, item: Change): void {
  const books = [...state.books.values()];
  const pick = (n: number) => books[n % books.length];
  try {
    switch (item.kind) {
      case 'post': {
        const book = pick(item.book);
        if (book) state.postMessage(AUTHORS[item.author % AUTHORS.length]!, book.b_o, book.b_c, { msg: item.text || 'x' });
        return;
      }
      case 'read': {
        const book = pick(item.book);
        if (book) state.markRead('demo', book.b_o, book.b_c);
        return;
      }
      case 'archive': {
        const book = pick(item.book);
        if (book) state.setArchived('demo', book.b_o, book.b_c, item.archived);
        return;
      }
      case 'addBook':
        if (!state.books.has(`bob/new-${item.id}`)) state.addBook({ b_o: 'bob', b_c: `new-${item.id}`, title: `New ${item.id}`, members: [{ u_c: 'demo' }] });
        return;
      case 'deleteBook': {
        const book = pick(item.book);
        if (book) state.deleteBook(book.b_o, book.b_c);
        return;
      }
      case 'leave': {
        const book = pick(item.book);
        if (book && book.b_o !== 'demo') state.removeMember(book.b_o, book.b_c, 'demo');
        return;
      }
      case 'join': {
        const book = pick(item.book);
        if (book && !book.members.some((m) => m.u_c === 'demo')) state.addMember(book.b_o, book.b_c, 'demo');
        return;
      }
      case 'poll':
        return;
    }
  } catch {
    // The server refused the change (a book code taken, a read-only member): nothing changed.
  }
}

describe('mergeBooks', () => {
  it('builds from deltas the same book list a full fetch builds, for any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const state = seededState('demo', undefined);
        const getAllBooks = signedIn(state);
        let cache: BookCache = mergeBooks(EMPTY_CACHE, toDelta(getAllBooks(null))).cache;
        for (const item of [...changes, { kind: 'poll' } as const]) {
          apply(state, item);
          if (item.kind !== 'poll') continue;
          cache = mergeBooks(cache, toDelta(getAllBooks(cache.sstamp))).cache;
          const full = mergeBooks(EMPTY_CACHE, toDelta(getAllBooks(null))).cache;
          expect(cache.books).toEqual(full.books);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports no change, and returns the same cache, for an empty delta', () => {
    const state = seededState('demo', undefined);
    const getAllBooks = signedIn(state);
    const cache = mergeBooks(EMPTY_CACHE, toDelta(getAllBooks(null))).cache;
    const idle = mergeBooks(cache, toDelta(getAllBooks(cache.sstamp)));
    expect(idle.changed).toBe(false);
    expect(idle.cache).toBe(cache);
  });

  it('names what a delta updated and removed', () => {
    const state = seededState('demo', undefined);
    const getAllBooks = signedIn(state);
    const cache = mergeBooks(EMPTY_CACHE, toDelta(getAllBooks(null))).cache;
    const unreadBefore = cache.books['alice/support-inbox']!.nbNotRead;
    state.postMessage('alice', 'alice', 'support-inbox', { msg: 'hi' });
    state.deleteBook('demo', 'reading-list');
    const result = mergeBooks(cache, toDelta(getAllBooks(cache.sstamp)));
    expect(result.updated.map((b) => b.b_c)).toEqual(['support-inbox']);
    expect(result.removed).toEqual(['demo/reading-list']);
    expect(result.previous['alice/support-inbox']!.nbNotRead).toBe(unreadBefore);
    expect(result.cache.books['alice/support-inbox']!.nbNotRead).toBe(unreadBefore + 1);
    expect(result.previous['demo/reading-list']?.title).toBe('Reading list');
    expect(result.cache.books['alice/support-inbox']!.lastMsg).toMatchObject({ u_c: 'alice', text: 'hi' });
  });

  it('forgets, on a full fetch, a book that went away unseen', () => {
    const cache: BookCache = {
      sstamp: null,
      names: {},
      books: { 'x/gone': { b_o: 'x', b_c: 'gone', title: 'Gone', nbNotRead: 3, archived: false, accepted: true, favorite: false, order: 0, sstamp: 1, canWrite: true, lastMsg: null } },
    };
    expect(mergeBooks(cache, { sstamp: 10, books: [] })).toMatchObject({ removed: ['x/gone'], cache: { books: {} } });
  });
});
