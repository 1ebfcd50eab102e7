/** "Save to a table…" besides the mapping: the books offered, the clip's values, drafts, finding a saved row. Pure. */
import { describe, expect, it } from 'vitest';
import type { BookSummary } from '../../src/domain/books';
import { clipValuesOf, DRAFT_MAX_AGE_MS, draftKey, keepDraft, savedRowIn, tableBooks, type TableDraft } from '../../src/domain/table-save';
import { bookSummary } from '../support/book-summary';

const book = (b_c: string, overrides: Partial<BookSummary> = {}) => bookSummary(b_c, { title: b_c, ...overrides });

describe('the books offered', () => {
  it('lists the books one may write to, the last saved into first, then the recent ones, then by title', () => {
    const books = [book('d'), book('a'), book('c'), book('b'), book('ro', { canWrite: false }), book('old', { archived: true }), book('inv', { accepted: false })];
    const keys = (list: BookSummary[]) => list.map((b) => b.b_c);
    expect(keys(tableBooks(books, [], null))).toEqual(['a', 'b', 'c', 'd']);
    expect(keys(tableBooks(books, ['alice/c', 'alice/gone'], { book: 'alice/d', catId: 1 }))).toEqual(['d', 'c', 'a', 'b']);
    expect(keys(tableBooks(books, [], { book: 'alice/ro', catId: 1 }))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('the clip', () => {
  const now = new Date(2026, 0, 9, 23, 59);
  it('gives the link’s address over the page’s, the selection, today in the user’s calendar, and says when there is an image', () => {
    expect(clipValuesOf({ kind: 'link', pageUrl: 'https://p', pageTitle: 'P', linkUrl: 'https://l' }, now)).toEqual({
      title: 'P', url: 'https://l', selection: '', today: { year: 2026, month: 1, day: 9 }, hasImage: false,
    });
    expect(clipValuesOf({ kind: 'selection', pageUrl: 'https://p', pageTitle: 'P', selectionText: 'S' }, now)).toMatchObject({ url: 'https://p', selection: 'S' });
    expect(clipValuesOf({ kind: 'image', pageUrl: 'https://p', pageTitle: 'P', srcUrl: 'https://i' }, now).hasImage).toBe(true);
  });
});

describe('drafts', () => {
  const draft = (savedAt: number): TableDraft => ({ book: 'a/b', catId: 1, values: { '1': 'x' }, savedAt });
  it('finds the same clip again, and only that one', () => {
    const page = { kind: 'page' as const, pageUrl: 'https://p', pageTitle: 'P' };
    expect(draftKey(page)).toBe(draftKey({ ...page, pageTitle: 'Renamed' }));
    expect(draftKey(page)).not.toBe(draftKey({ ...page, kind: 'selection', selectionText: 'S' }));
    expect(draftKey({ ...page, kind: 'link', linkUrl: 'https://a' })).not.toBe(draftKey({ ...page, kind: 'link', linkUrl: 'https://b' }));
  });

  it('keeps a draft, drops it once saved, and forgets stale ones', () => {
    const now = 10 * DRAFT_MAX_AGE_MS;
    const kept = keepDraft({ old: draft(now - DRAFT_MAX_AGE_MS - 1), other: draft(now - 5) }, 'k', draft(now), now);
    expect(Object.keys(kept).sort()).toEqual(['k', 'other']);
    expect(Object.keys(keepDraft(kept, 'k', null, now))).toEqual(['other']);
  });
});

describe('finding the row a lost answer made', () => {
  const rows = [
    { id: 1, cells: { '10': 'Same', '11': 'https://x', '12': [] } },
    { id: 2, cells: { '10': 'Other', '11': 'https://x' } },
    { id: 3, cells: { '10': 'Same', '11': 'https://x', '13': 'extra' } },
  ];
  it('takes the newest row holding every value saved', () => {
    expect(savedRowIn(rows, { '10': 'Same', '11': 'https://x' })).toBe(3);
    expect(savedRowIn(rows, { '10': 'Other' })).toBe(2);
    expect(savedRowIn(rows, { '10': 'Missing' })).toBeNull();
    expect(savedRowIn(rows, { '14': '' })).toBeNull();
    expect(savedRowIn([], {})).toBeNull();
  });

  it('does not take a key of the prototype for a field', () => {
    expect(savedRowIn([{ id: 9, cells: {} }], { constructor: '[object Object]' })).toBeNull();
  });
});
