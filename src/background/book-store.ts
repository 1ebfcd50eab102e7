/**
 * The book list in storage, with two small items beside it: its server stamp, which is all an idle
 * poll reads, and the popup's first screenful, which is all the popup's first frame reads. Written
 * here alone, in one call, so that the three always agree.
 */
import { coversNamed, inDisplayOrder, type BookCache } from '../domain/books';
import { firstScreenOf } from '../domain/first-screen';
import { draftItem } from '../shared/draft';
import { bookCacheItem, bookStampItem, firstScreenItem, recentBooksItem } from '../shared/state';
import { itemWrite, writeItems } from '../shared/storage';

/** The books the quick-send box may preselect: the draft's, then the recent sends'. */
async function namedBooks(): Promise<(string | null)[]> {
  const [draft, recent] = await Promise.all([draftItem.get(), recentBooksItem.get()]);
  return [draft.book, ...recent];
}

/** Stores the list (in the order the popup shows it), its stamp and its first screenful. */
export async function storeBooks(cache: BookCache): Promise<void> {
  const ordered = inDisplayOrder(cache);
  const screen = firstScreenOf(ordered, await namedBooks());
  await writeItems('local', [itemWrite(bookCacheItem, ordered), itemWrite(bookStampItem, ordered.sstamp), itemWrite(firstScreenItem, screen)]);
}

/** The stamp the list is up to date with, without reading the list. */
export async function storedStamp(): Promise<number | null> {
  const stamp = await bookStampItem.get();
  if (stamp !== undefined) return stamp;
  // A list an earlier version stored without its stamp and first screenful: stored again once, with them.
  const cache = await bookCacheItem.get();
  if (cache.sstamp !== null) await storeBooks(cache);
  return cache.sstamp;
}

export async function forgetBooks(): Promise<void> {
  await Promise.all([bookCacheItem.remove(), bookStampItem.remove(), firstScreenItem.remove()]);
}

/**
 * The quick-send draft or the recent sends name another book: the first screenful is made again
 * when it lacks it, so that the popup's first frame preselects the same book as the whole list.
 */
export async function coverNamedBooks(): Promise<void> {
  const [screen, named] = await Promise.all([firstScreenItem.get(), namedBooks()]);
  if (!screen || coversNamed(screen, named)) return;
  await firstScreenItem.set(firstScreenOf(await bookCacheItem.get(), named));
}
