/**
 * A book's messages as the extension keeps them (the message cache, which the worker writes), and
 * who wrote them. Pure. How a fetched page is merged in is message-merge.ts, which only the worker
 * runs; what the book view lists is message-lines.ts.
 */
import { sameAccount, type Account, type BookRef } from './refs';
import { bookKey } from './books';
import type { Words } from './words';

export interface MessageFile {
  /** image: shown as a thumbnail; media: sound or video; doc: any other document. */
  kind: 'image' | 'media' | 'doc';
  /** The server's name for the file: its `/dbi/` address by internal name needs no session key. */
  internName: string;
  /** The name it was uploaded with. */
  name: string;
}

export interface CachedMessage {
  smid: number;
  uuid: string;
  u_c: string;
  /** Seconds since the epoch. */
  created: number;
  text: string;
  files: MessageFile[];
}

export interface BookMessages {
  /** The server stamp these messages are up to date with. */
  sstamp: number;
  /** Newest first, without gaps: every live message from the newest down to the oldest kept. */
  messages: CachedMessage[];
  /** The server may have messages older than the oldest kept: a full page says so, a short one ends it. */
  hasOlder: boolean;
  /** When the book was last fetched (ms): the books fetched least recently are dropped first. */
  fetchedAt: number;
}

export interface MessageCache {
  /** Whose messages these are: those of another account are neither shown nor merged into. */
  account: Account | null;
  books: Record<string, BookMessages>;
}

export const EMPTY_MESSAGE_CACHE: MessageCache = { account: null, books: {} };

/** At most this many messages of the book being read are kept; older ones are read in TimeTonic. */
export const MAX_KEPT_MESSAGES = 500;

/** The messages kept for a book of this account, if any. */
export function cachedMessages(cache: MessageCache, account: Account | null, book: BookRef): BookMessages | undefined {
  return sameAccount(cache.account, account) ? cache.books[bookKey(book)] : undefined;
}

/** The signed-in user is not among their own contacts: their messages are "You". */
export function senderName(t: Words, u_c: string, me: string | undefined, names: Readonly<Record<string, string>>): string {
  return u_c === me ? t('popupYou') : (names[u_c] ?? u_c);
}
