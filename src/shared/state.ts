/**
 * What the service worker learns from the server, kept in local storage so that it survives the
 * worker being stopped; the popup and the options page read it from here. Only the worker writes.
 */
import { EMPTY_CACHE, type BookCache, type FirstScreen } from '../domain/books';
import type { Capture, MenuEntry } from '../domain/capture';
import { EMPTY_MESSAGE_CACHE, type MessageCache } from '../domain/messages';
import { LIVE_OFF, type LiveStatus } from '../domain/live-status';
import type { OutboxItem } from '../domain/outbox';
import type { Account } from '../domain/refs';
import type { HeldBookNews } from '../domain/quiet-hours';
import type { PendingReads } from '../domain/read-state';
import type { BookTables, LastTable, TableChoicesByTable, TableDraft } from '../domain/table-save';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import { storageItem } from './storage';

/**
 * Kept as text: with thousands of books, reading it is what a poll and the popup's first frame wait
 * for. Written with the two items after it, in one call, by the worker's book store
 * (background/book-store.ts) alone.
 */
export const bookCacheItem = storageItem<BookCache>('local', 'bookCache', EMPTY_CACHE, { asText: true });
/**
 * The book list's server stamp, alone: an idle poll reads this and nothing else. `undefined` when
 * an earlier version wrote the list without it: then the list's own stamp.
 */
export const bookStampItem = storageItem<number | null | undefined>('local', 'bookStamp', undefined);
/** What the popup's first frame draws of the book list; `null` when an earlier version wrote the list without it. */
export const firstScreenItem = storageItem<FirstScreen | null>('local', 'firstScreen', null);
export const syncStatusItem = storageItem<SyncStatus>('local', 'syncStatus', SIGNED_OUT);
/**
 * The messages of the books last read in the popup, so that a book opens at once. Written by the
 * worker's book-messages module (background/book-messages.ts); emptied by signing in and out.
 */
export const messageCacheItem = storageItem<MessageCache>('local', 'messageCache', EMPTY_MESSAGE_CACHE);
/**
 * The keys of the signed-in user, and the server they belong to; `null` when nobody is signed in.
 * Never the password. Written by the session module (background/session.ts) alone.
 */
export interface Auth extends Account {
  oauthkey: string;
  sesskey: string;
}
export const authItem = storageItem<Auth | null>('local', 'auth', null);
/**
 * Who is signed in on which server, without the keys: what the pages read (they never read
 * `authItem`). Written beside it by the session module.
 */
export const accountItem = storageItem<Account | null>('local', 'account', null);

/**
 * New messages that arrived during quiet hours, per book, for the summary raised when they end.
 * Written by the quiet-hours module (background/quiet-hours.ts) alone; forgotten on sign-out.
 */
export const quietNewsItem = storageItem<HeldBookNews[]>('local', 'quietNews', []);

/** The application key, made once per install (createAppkey) and kept across sign-ins. */
export const appkeyItem = storageItem<{ server: string; appkey: string } | null>('local', 'appkey', null);

/**
 * What the user asked to send, until delivered (and a while after, to show "sent"). Written by the
 * outbox module (background/outbox.ts) alone, one change at a time.
 */
export const outboxItem = storageItem<OutboxItem[]>('local', 'outbox', []);

/** Books the user sent to, most recent first (`b_o/b_c`): the quick-send box preselects the first. */
export const recentBooksItem = storageItem<string[]>('local', 'recentBooks', []);


/**
 * Books the user read in the popup whose `clearNotRead` the server has not acknowledged yet, one
 * per book: sent on the next attach of the message socket. Written by the worker's read module
 * (background/reads.ts); forgotten on sign-out.
 */
export const pendingReadsItem = storageItem<PendingReads>('local', 'pendingReads', {});

/**
 * The message socket as the worker's connection (background/live.ts) last knew it: what the popup's
 * status line and the options page show, and the back-off a restarted worker resumes.
 */
export const liveStatusItem = storageItem<LiveStatus>('session', 'liveStatus', LIVE_OFF);

/** The menu as last built, so that a poll that changes nothing it shows rebuilds nothing. */
export const menuShownItem = storageItem<MenuEntry[]>('session', 'menuShown', []);

/** Right-click sends waiting for the user to choose a book in the picker window, by pick id. */
export interface PendingPick {
  capture: Capture;
  /** The image's origin was granted when the menu item was clicked. */
  imageAllowed: boolean;
  createdAt: number;
  /**
   * The screenshot taken at the click (its bytes in IndexedDB under `screenshot:<pick>`), or why
   * the browser refused it; none for an image, which is itself the message's file.
   */
  screenshot?: { ok: true; name: string } | { ok: false; why: string };
  /** The picker's window: closed unsent, the pick and its screenshot go with it. */
  windowId?: number;
}
export const pendingPicksItem = storageItem<Record<string, PendingPick>>('session', 'pendingPicks', {});

/**
 * "Save to a table…": a book's tables, fetched when the book is first chosen, by account and book
 * (`server|o_u|b_o/b_c`). Written by background/tables.ts.
 */
export const tableCacheItem = storageItem<Record<string, BookTables & { fetchedAt: number }>>('session', 'tableCache', {});
/** What the user chose for each table's fields, winning over names next time (see domain/table-save.ts). */
export const tableChoicesItem = storageItem<TableChoicesByTable>('local', 'tableChoices', {});
/** The book and table last saved into, preselected next time. */
export const lastTableItem = storageItem<LastTable | null>('local', 'lastTable', null);
/**
 * The "Save to a table" window as the user left it, by clip: closing it loses nothing. Written by
 * that window; the worker drops a draft once its row is saved, and keeps it when the row is refused.
 */
export const tableDraftsItem = storageItem<Record<string, TableDraft>>('local', 'tableDrafts', {});
