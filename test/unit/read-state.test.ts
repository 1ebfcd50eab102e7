import { describe, expect, it } from 'vitest';
import { EMPTY_CACHE, type BookCache } from '../../src/domain/books';
import { acknowledge, holdReads, markRead, unreadDespiteRead } from '../../src/domain/read-state';
import { bookSummary } from '../support/book-summary';

const last = (smid: number) => ({ smid, u_c: 'bob', text: 'Hi', created: smid });

function cacheOf(...books: ReturnType<typeof bookSummary>[]): BookCache {
  return { ...EMPTY_CACHE, sstamp: 10, books: Object.fromEntries(books.map((book) => [`${book.b_o}/${book.b_c}`, book])) };
}

describe('reads made in the popup', () => {
  it('lower the count at once and are kept, one per book', () => {
    const cache = cacheOf(bookSummary('a', { nbNotRead: 3, lastMsg: last(30) }), bookSummary('b', { nbNotRead: 1, lastMsg: last(40) }));
    const first = markRead(cache, {}, [{ b_o: 'alice', b_c: 'a' }]);
    expect(first.cache.books['alice/a']!.nbNotRead).toBe(0);
    expect(first.cache.books['alice/b']!.nbNotRead).toBe(1);
    expect(first.pending).toEqual({ 'alice/a': { b_o: 'alice', b_c: 'a', lastSmid: 30, unreadAtRead: 3, uuid: null } });
    // The input is left as it was.
    expect(cache.books['alice/a']!.nbNotRead).toBe(3);

    // A second read of the same book replaces the first; the server still counts from before both.
    const again = markRead(cacheOf({ ...first.cache.books['alice/a']!, nbNotRead: 2, lastMsg: last(32) }), first.pending, [{ b_o: 'alice', b_c: 'a' }]);
    expect(Object.keys(again.pending)).toEqual(['alice/a']);
    expect(again.pending['alice/a']).toMatchObject({ lastSmid: 32, unreadAtRead: 5 });
  });

  it('leave out books not in the list', () => {
    expect(markRead(cacheOf(), {}, [{ b_o: 'x', b_c: 'y' }]).pending).toEqual({});
  });

  it('keep a poll from bringing the old count back, while a newer message counts', () => {
    const read = { b_o: 'alice', b_c: 'a', lastSmid: 30, unreadAtRead: 3, uuid: 'u1' };
    expect(unreadDespiteRead(bookSummary('a', { nbNotRead: 3, lastMsg: last(30) }), read)).toBe(0);
    expect(unreadDespiteRead(bookSummary('a', { nbNotRead: 4, lastMsg: last(31) }), read)).toBe(1);
    expect(unreadDespiteRead(bookSummary('a', { nbNotRead: 6, lastMsg: last(33) }), read)).toBe(3);
    // Read elsewhere too, then one new message: still one.
    expect(unreadDespiteRead(bookSummary('a', { nbNotRead: 1, lastMsg: last(34) }), read)).toBe(1);
    expect(unreadDespiteRead(bookSummary('a', { nbNotRead: 0, lastMsg: last(34) }), read)).toBe(0);

    const books = cacheOf(bookSummary('a', { nbNotRead: 3, lastMsg: last(30) }), bookSummary('b', { nbNotRead: 2, lastMsg: last(9) })).books;
    expect(holdReads(books, { 'alice/a': read })).toBe(true);
    expect(books['alice/a']!.nbNotRead).toBe(0);
    expect(books['alice/b']!.nbNotRead).toBe(2);
    expect(holdReads(books, { 'alice/a': read })).toBe(false);
  });

  it('end when the server acknowledges the clearNotRead sent with them', () => {
    const pending = {
      'alice/a': { b_o: 'alice', b_c: 'a', lastSmid: 30, unreadAtRead: 3, uuid: 'u1' },
      'alice/b': { b_o: 'alice', b_c: 'b', lastSmid: 40, unreadAtRead: 1, uuid: 'u2' },
    };
    expect(acknowledge(pending, 'u2')).toEqual({ 'alice/a': pending['alice/a'] });
    expect(acknowledge(pending, 'other')).toBeNull();
  });
});
