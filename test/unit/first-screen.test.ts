/** The popup's first screenful of the book list, made by the worker: it draws as the whole list would. */
import { describe, expect, it } from 'vitest';
import { bookKey, coversNamed, inDisplayOrder, isWritable, screenCache, sortBooks, unreadTotal, type BookCache, type BookSummary } from '../../src/domain/books';
import { findBooks } from '../../src/domain/find';
import { FIRST_SCREEN_ROWS, firstScreenOf } from '../../src/domain/first-screen';

function book(i: number, more: Partial<BookSummary> = {}): BookSummary {
  return {
    b_o: 'owner',
    b_c: `b${i}`,
    title: `Book ${String(1000 - i)}`,
    nbNotRead: i % 5 === 0 ? i : 0,
    archived: i % 11 === 3,
    accepted: i % 13 !== 4,
    favorite: i % 17 === 0,
    order: 0,
    sstamp: i,
    canWrite: i % 7 !== 2,
    lastMsg: { smid: i, u_c: `user${i % 9}`, text: `text ${i}`, created: 1_000_000 + ((i * 7919) % 1000) },
    ...more,
  };
}

const CACHE: BookCache = inDisplayOrder({
  sstamp: 4242,
  books: Object.fromEntries(Array.from({ length: 500 }, (_, i) => book(i)).map((b) => [bookKey(b), b])),
  names: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`user${i}`, `User ${i}`])),
});
const accepted = sortBooks(Object.values(CACHE.books).filter((b) => b.accepted));

describe('the first screenful', () => {
  it('holds the first books the list shows, in its order, and the counts of the whole list', () => {
    const screen = firstScreenOf(CACHE, [null]);
    const shown = findBooks(accepted, '', false);
    const fromScreen = findBooks(sortBooks(Object.values(screen.books).filter((b) => b.accepted)), '', false);
    expect(fromScreen.shown.slice(0, FIRST_SCREEN_ROWS)).toEqual(shown.shown.slice(0, FIRST_SCREEN_ROWS));
    expect(screen.totals).toEqual({
      accepted: accepted.length,
      archived: shown.archivedHidden,
      unread: unreadTotal(accepted, new Set()),
      writable: accepted.filter(isWritable).length,
    });
    expect(screen.sstamp).toBe(4242);
    expect(Object.keys(screen.books).length).toBeLessThanOrEqual(FIRST_SCREEN_ROWS + 1);
    // The names its previews use, and no others.
    const senders = new Set(Object.values(screen.books).map((b) => b.lastMsg!.u_c));
    expect(Object.keys(screen.names).sort()).toEqual([...senders].sort());
  });

  it('holds the books named for the quick-send box and the first writable one by title', () => {
    const named = ['owner/b499', 'owner/b498', 'gone/b1'];
    const screen = firstScreenOf(CACHE, [null, ...named]);
    expect(screen.books['owner/b499']).toEqual(CACHE.books['owner/b499']);
    expect(screen.books['owner/b498']).toEqual(CACHE.books['owner/b498']);
    const firstByTitle = accepted.filter(isWritable).sort((a, b) => a.title.localeCompare(b.title))[0]!;
    expect(screen.books[bookKey(firstByTitle)]).toEqual(firstByTitle);
    expect(coversNamed(screen, ['owner/b499', null, 'gone/b1'])).toBe(true);
    expect(coversNamed(screen, ['owner/b497'])).toBe(false);
    expect(screenCache(screen)).toEqual({ sstamp: 4242, books: screen.books, names: screen.names });
  });

  it('of an empty list is empty', () => {
    const screen = firstScreenOf({ sstamp: null, books: {}, names: {} }, [null]);
    expect(screen).toEqual({ sstamp: null, books: {}, names: {}, named: [], totals: { accepted: 0, archived: 0, unread: 0, writable: 0 } });
  });
});
