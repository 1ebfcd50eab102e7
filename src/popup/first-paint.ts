/** What the popup's first frame shows, read from storage in one call. */
import { coversNamed, screenCache, type BookCache, type ListTotals } from '../domain/books';
import { draftItem } from '../shared/draft';
import { accountItem, bookCacheItem, firstScreenItem, outboxItem, recentBooksItem, syncStatusItem } from '../shared/state';
import { readItems } from '../shared/storage';

/**
 * All from `storage.local`: the `sync` area answers more slowly, and nothing in it is needed to draw
 * the list. Of the book list, its first screenful: the whole list is read after the first frame.
 */
export const FIRST_PAINT_ITEMS = [syncStatusItem, firstScreenItem, accountItem, outboxItem, recentBooksItem, draftItem] as const;

declare global {
  /** The read of FIRST_PAINT_ITEMS, started by public/popup/first-read.js before the modules load. */
  var popupFirstRead: Promise<Record<string, unknown>> | undefined;
}

/**
 * The book list the first frame draws: its first screenful and the whole list's counts (`totals`),
 * or, when there is no screenful that draws as the whole list would (written by an earlier version,
 * or not for the quick-send draft's book), the whole list (`totals` null).
 */
export interface FirstBooks {
  cache: BookCache;
  totals: ListTotals | null;
}

export async function readFirstPaint() {
  const [syncStatus, screen, account, outbox, recentBooks, draft] = await readItems('local', FIRST_PAINT_ITEMS, globalThis.popupFirstRead);
  let books: FirstBooks;
  if (screen && coversNamed(screen, [draft.book, ...recentBooks])) books = { cache: screenCache(screen), totals: screen.totals };
  else books = { cache: await bookCacheItem.get(), totals: null };
  return { syncStatus, books, account, outbox, recentBooks, draft };
}

export type FirstPaint = Awaited<ReturnType<typeof readFirstPaint>>;
