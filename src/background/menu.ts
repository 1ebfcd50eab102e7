/**
 * The right-click menu "Send to TimeTonic": built from what storage holds (sign-in, books, recent
 * books), rebuilt only when what it shows changes.
 */
import { menuEntries, type MenuEntry } from '../domain/capture';
import browser from '../shared/browser';
import { t } from '../shared/i18n';
import { authItem, bookCacheItem, menuShownItem, recentBooksItem } from '../shared/state';

const CONTEXTS = ['page', 'link', 'selection', 'image'] as const;

/**
 * Makes the menu match the state. `force` after an install or update, when the browser has
 * dropped the extension's items; otherwise nothing happens unless an entry changed.
 */
export function rebuildMenu(options: { force?: boolean } = {}): Promise<void> {
  // Rebuilds take turns: two interleaved ones would create the same ids twice.
  return navigator.locks.request('timetonic-menu', async () => {
    const [auth, cache, recent, shown] = await Promise.all([authItem.get(), bookCacheItem.get(), recentBooksItem.get(), menuShownItem.get()]);
    const entries = menuEntries(t, { signedIn: auth !== null, books: Object.values(cache.books), recent });
    if (!options.force && sameEntries(entries, shown)) return;
    await browser.contextMenus.removeAll();
    await Promise.all(entries.map(createEntry));
    await menuShownItem.set(entries);
  });
}

function createEntry(entry: MenuEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    browser.contextMenus.create(
      { id: entry.id, title: entry.title, parentId: entry.parentId, type: entry.type ?? 'normal', contexts: [...CONTEXTS] },
      () => {
        // The callback form is how `create` reports an error (the polyfill returns the id, not a promise).
        const error = browser.runtime.lastError;
        if (error) reject(new Error(error.message));
        else resolve();
      },
    );
  });
}

function sameEntries(a: readonly MenuEntry[], b: readonly MenuEntry[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
