/** Finding a book by typing a few letters of its title. Pure. */
import type { BookSummary } from './books';

/** Letters that carry a stroke rather than a separate accent, so that Unicode does not decompose them. */
const PLAIN_LETTERS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe' };

/** Text as the search compares it: lower case, without accents. */
export function searchKey(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øłđßæœ]/g, (letter) => PLAIN_LETTERS[letter] ?? letter);
}

export interface FoundBooks {
  /** The books to list, in the order given. */
  shown: BookSummary[];
  /** Archived books that match but are hidden. */
  archivedHidden: number;
}

/**
 * The books whose title holds every word of the query, ignoring case and accents (an empty query
 * matches all). Archived books are left out unless asked for.
 */
export function findBooks(books: readonly BookSummary[], query: string, showArchived: boolean): FoundBooks {
  // No query, no comparing: the popup's first frame spends no time on it (the first use of the
  // accent-stripping expression is slow).
  const words = query.trim() ? searchKey(query).split(/\s+/).filter(Boolean) : [];
  const shown: BookSummary[] = [];
  let archivedHidden = 0;
  for (const book of books) {
    if (words.length > 0 && !words.every((word) => searchKey(book.title).includes(word))) continue;
    if (book.archived && !showArchived) archivedHidden++;
    else shown.push(book);
  }
  return { shown, archivedHidden };
}
