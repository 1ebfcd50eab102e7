/**
 * "Send to TimeTonic" from the right-click menu: which items the menu shows, what a click captured,
 * and the message that says it. Pure.
 */
import { bookKey, isWritable, type BookSummary } from './books';
import { quoteAddress } from './text-fragment';
import type { BookRef } from './refs';
import type { Words } from './words';

export const MENU_ROOT = 'send';
export const MENU_CHOOSE = 'send:choose';
export const MENU_TABLE = 'send:table';
export const MENU_SIGN_IN = 'send:signIn';
const BOOK_PREFIX = 'send:book:';
/** About ten books in the menu; the rest are a "Choose book…" away. */
export const MENU_BOOKS = 10;

export interface MenuEntry {
  id: string;
  title: string;
  parentId?: string;
  type?: 'separator';
}

/**
 * The menu's items. Ids are stable (a book's id is its key), so a click that wakes the worker is
 * understood from its id alone.
 */
export function menuEntries(t: Words, state: { signedIn: boolean; books: readonly BookSummary[]; recent: readonly string[] }): MenuEntry[] {
  const root: MenuEntry = { id: MENU_ROOT, title: t('sendToTimeTonic') };
  if (!state.signedIn) return [root, { id: MENU_SIGN_IN, parentId: MENU_ROOT, title: t('menuSignIn') }];
  return [
    root,
    ...menuBooks(state.books, state.recent).map((book) => ({ id: `${BOOK_PREFIX}${bookKey(book)}`, parentId: MENU_ROOT, title: menuTitle(book.title) })),
    { id: 'send:separator', parentId: MENU_ROOT, title: '', type: 'separator' as const },
    { id: MENU_CHOOSE, parentId: MENU_ROOT, title: t('menuChooseBook') },
    { id: MENU_TABLE, parentId: MENU_ROOT, title: t('menuSaveToTable') },
  ];
}

/**
 * A book's title as a menu item shows it as written. Both browsers read `&` in a menu title as the
 * mark of an access key (`&&` is a literal one), and put the selected text in place of `%s`, which
 * has no escape: a word joiner (U+2060, invisible) between `%` and `s` keeps it as written.
 */
function menuTitle(title: string): string {
  return title.replaceAll('&', '&&').replaceAll('%s', '%\u2060s');
}

/**
 * The books one may write to: the recently used first, then favourites, then in the user's own
 * order of books. No activity counts, so that a poll with news does not reshuffle the menu.
 */
export function menuBooks(books: readonly BookSummary[], recent: readonly string[]): BookSummary[] {
  const writable = books.filter(isWritable);
  const byKey = new Map(writable.map((book) => [bookKey(book), book]));
  const chosen = new Map<string, BookSummary>();
  for (const key of recent) {
    const book = byKey.get(key);
    if (book) chosen.set(key, book);
  }
  const rest = writable
    .filter((book) => !chosen.has(bookKey(book)))
    .sort((a, b) => Number(b.favorite) - Number(a.favorite) || a.order - b.order || a.title.localeCompare(b.title));
  for (const book of rest) chosen.set(bookKey(book), book);
  return [...chosen.values()].slice(0, MENU_BOOKS);
}

export function bookOfMenuItem(id: string | number): BookRef | null {
  const match = new RegExp(`^${BOOK_PREFIX}([^/]+)/(.+)$`).exec(String(id));
  return match ? { b_o: match[1]!, b_c: match[2]! } : null;
}

/** What a right-click (or the keyboard command) captured. */
export interface Capture {
  kind: 'page' | 'link' | 'selection' | 'image';
  pageUrl: string;
  pageTitle: string;
  linkUrl?: string;
  linkText?: string;
  selectionText?: string;
  srcUrl?: string;
}

/** The click's context, in the order a user means it: an image, a selection, a link, else the page. */
export function captureOf(
  info: { pageUrl?: string; frameUrl?: string; linkUrl?: string; linkText?: string; selectionText?: string; srcUrl?: string; mediaType?: string },
  tab: { title?: string; url?: string } | undefined,
): Capture {
  const pageUrl = info.pageUrl ?? tab?.url ?? info.frameUrl ?? '';
  const base = { pageUrl, pageTitle: tab?.title || pageUrl };
  if (info.srcUrl && info.mediaType === 'image') return { ...base, kind: 'image', srcUrl: info.srcUrl };
  if (info.selectionText) return { ...base, kind: 'selection', selectionText: info.selectionText };
  if (info.linkUrl) return { ...base, kind: 'link', linkUrl: info.linkUrl, linkText: info.linkText };
  return { ...base, kind: 'page' };
}

/** The message text for a capture; an image's own bytes go as a file beside it. */
export function messageOf(t: Words, capture: Capture): string {
  const page = pageLines(capture.pageTitle, capture.pageUrl);
  switch (capture.kind) {
    case 'page':
    case 'image':
      return page;
    case 'link': {
      const text = capture.linkText?.trim();
      const link = [text && text !== capture.linkUrl ? text : '', capture.linkUrl].filter(Boolean).join('\n');
      return `${link}\n\n${t('messageFrom', page.replace('\n', ' '))}`;
    }
    case 'selection':
      // The address leads back to the quoted words, not just to the page.
      return `${quote(capture.selectionText ?? '')}\n\n${pageLines(capture.pageTitle, quoteAddress(capture.pageUrl, capture.selectionText ?? ''))}`;
  }
}

/** The page's title then its address, the title left out when it is only the address again. */
function pageLines(title: string, url: string): string {
  return [title, url].filter((line, i, all) => line && (i === 0 || line !== all[0])).join('\n');
}

function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

/** The user's note goes first, then what was captured. */
export function withNote(note: string, text: string): string {
  const written = note.trim();
  return written ? `${written}\n\n${text}` : text;
}

/** An image whose bytes could not be had goes as a link, and says why. */
export function imageAsLink(t: Words, capture: Capture, why: string): { text: string; note: string } {
  return { text: `${messageOf(t, capture)}\n\n${t('messageImage', capture.srcUrl ?? '')}`, note: why };
}


const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/avif': 'avif',
  'image/bmp': 'bmp',
};

/** A file name for an image: the last part of its address, with an extension that fits its type. */
export function imageFileName(srcUrl: string, type: string): string {
  const extension = EXTENSIONS[type.split(';')[0]!.trim().toLowerCase()] ?? 'png';
  let base = '';
  if (!srcUrl.startsWith('data:')) {
    try {
      base = decodeURIComponent(new URL(srcUrl).pathname.split('/').pop() ?? '');
    } catch {
      base = '';
    }
  }
  base = base.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 100);
  if (!base) return `image.${extension}`;
  return /\.[A-Za-z0-9]{2,5}$/.test(base) ? base : `${base}.${extension}`;
}
