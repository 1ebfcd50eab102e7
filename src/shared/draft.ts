/**
 * The quick-send box as the user left it: closing the popup loses nothing. Written by the popup
 * alone; the worker reads its book for the popup's first screenful (background/book-store.ts).
 */
import { storageItem } from './storage';

export interface Draft {
  /** `b_o/b_c` of the chosen book, or null for the default choice. */
  book: string | null;
  text: string;
}

export const draftItem = storageItem<Draft>('local', 'quickSendDraft', { book: null, text: '' });
