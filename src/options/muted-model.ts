/** The books the user muted, chosen among the cached ones. */
import { computed, signal } from '@preact/signals';
import { bookKey, EMPTY_CACHE, type BookCache } from '../domain/books';
import type { BookRef } from '../domain/refs';
import { mutedBooksSetting } from '../shared/settings';
import { bookCacheItem } from '../shared/state';
import { mirror } from '../shared/storage';

export function createMutedModel() {
  const mutedBooks = signal<string[]>([]);
  const cache = signal<BookCache>(EMPTY_CACHE);
  return {
    books: computed(() => Object.values(cache.value.books).sort((a, b) => a.title.localeCompare(b.title))),
    mutedSet: computed(() => new Set(mutedBooks.value)),
    load: () => Promise.all([mirror(mutedBooksSetting, mutedBooks), mirror(bookCacheItem, cache)]),
    setMuted(book: BookRef, muted: boolean) {
      const key = bookKey(book);
      const others = mutedBooks.value.filter((k) => k !== key);
      return mutedBooksSetting.set(muted ? [...others, key] : others);
    },
  };
}

export type MutedModel = ReturnType<typeof createMutedModel>;
