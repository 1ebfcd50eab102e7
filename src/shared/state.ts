/**
 * What the service worker learns from the server, kept in local storage so that it survives the
 * worker being stopped; the popup and the options page read it from here. Only the worker writes.
 */
import { EMPTY_CACHE, type BookCache } from '../domain/books';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import { storageItem } from './storage';

export const bookCacheItem = storageItem<BookCache>('local', 'bookCache', EMPTY_CACHE);
export const syncStatusItem = storageItem<SyncStatus>('local', 'syncStatus', SIGNED_OUT);
/**
 * The keys of the signed-in user, and the server they belong to; `null` when nobody is signed in.
 * Never the password. Written by the session module (background/session.ts) alone.
 */
export interface Auth {
  server: string;
  o_u: string;
  oauthkey: string;
  sesskey: string;
}
export const authItem = storageItem<Auth | null>('local', 'auth', null);

/** The application key, made once per install (createAppkey) and kept across sign-ins. */
export const appkeyItem = storageItem<{ server: string; appkey: string } | null>('local', 'appkey', null);
