/** A cached book for tests of the pure functions: named by its code, everything else at rest. */
import type { BookSummary } from '../../src/domain/books';

export function bookSummary(b_c: string, overrides: Partial<BookSummary> = {}): BookSummary {
  return {
    b_o: 'alice',
    b_c,
    title: b_c.toUpperCase(),
    nbNotRead: 0,
    archived: false,
    accepted: true,
    favorite: false,
    order: 0,
    sstamp: 1,
    canWrite: true,
    lastMsg: null,
    ...overrides,
  };
}
