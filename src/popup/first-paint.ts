/** What the popup's first frame shows, read from storage in one call. */
import { accountItem, bookCacheItem, outboxItem, recentBooksItem, syncStatusItem } from '../shared/state';
import { readItems } from '../shared/storage';
import { draftItem } from './draft';

/** All from `storage.local`: the `sync` area answers more slowly, and nothing in it is needed to draw the list. */
export const FIRST_PAINT_ITEMS = [syncStatusItem, bookCacheItem, accountItem, outboxItem, recentBooksItem, draftItem] as const;

declare global {
  /** The read of FIRST_PAINT_ITEMS, started by public/popup/first-read.js before the modules load. */
  var popupFirstRead: Promise<Record<string, unknown>> | undefined;
}

export function readFirstPaint() {
  return readItems('local', FIRST_PAINT_ITEMS, globalThis.popupFirstRead);
}

export type FirstPaint = Awaited<ReturnType<typeof readFirstPaint>>;
