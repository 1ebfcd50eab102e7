/**
 * A book's messages for the popup. The worker fetches them (the pages never call the API nor see
 * the keys) and keeps them in the message cache, which the popup follows: a book read before opens
 * at once, then updates in place. The one writer of `messageCacheItem` besides signing in and out.
 */
import { isApiError, type SessionKeys, type TimeTonicClient } from '../api';
import { bookKey } from '../domain/books';
import { MESSAGE_PAGE_SIZE, mergeLatest, mergeOlder, readFailure, storeBookMessages } from '../domain/message-merge';
import { cachedMessages, type BookMessages } from '../domain/messages';
import { accountOf, sameAccount, type BookRef } from '../domain/refs';
import type { Outcome } from '../shared/messages';
import { authItem, messageCacheItem } from '../shared/state';
import { withSession } from './session';

const SIGNED_OUT: Outcome = { ok: false, error: 'Sign in to read this book' };

/** What a fetch does with the cached entry it finds once its answer is in. */
type Merge = (current: BookMessages | undefined) => BookMessages | undefined;

/**
 * Runs `fetch` with the cached entry as it was, then merges its answer into the entry as it is
 * now, one write at a time. Only while the same account is signed in: a sign-out or another user
 * meanwhile makes the answer theirs no longer.
 */
async function fetchInto(
  book: BookRef,
  fetch: (api: TimeTonicClient, keys: SessionKeys, entry: BookMessages | undefined) => Promise<Merge>,
): Promise<Outcome> {
  const auth = await authItem.get();
  if (!auth) return SIGNED_OUT;
  const account = accountOf(auth);
  const entry = cachedMessages(await messageCacheItem.get(), account, book);
  let merge: Merge | null;
  try {
    merge = await withSession((api, keys) => fetch(api, keys, entry), account);
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { ok: false, error: readFailure(error) };
  }
  if (merge === null) return SIGNED_OUT;
  const stored = await navigator.locks.request('timetonic-messages-write', async () => {
    const now = await authItem.get();
    if (!sameAccount(now, account)) return false;
    const cache = await messageCacheItem.get();
    const current = cachedMessages(cache, account, book);
    const next = merge(current);
    if (next && next !== current) await messageCacheItem.set(storeBookMessages(cache, account, bookKey(book), next));
    return true;
  });
  return stored ? { ok: true } : SIGNED_OUT;
}

/** The newest page; with a cached entry, also every message changed since it was fetched. */
export function refreshBookMessages(book: BookRef): Promise<Outcome> {
  return fetchInto(book, async (api, keys, entry) => {
    const reply = await api.getBookMessages(keys, book, { nbMax: MESSAGE_PAGE_SIZE, sstamp: entry?.sstamp });
    return (current) => mergeLatest(current, reply, Date.now());
  });
}

/** The page before the oldest cached message. Nothing to do when the book is not cached. */
export function loadOlderMessages(book: BookRef): Promise<Outcome> {
  return fetchInto(book, async (api, keys, entry) => {
    const before = entry?.messages.at(-1)?.smid;
    if (!entry?.hasOlder || before === undefined) return (current) => current;
    const page = await api.getBookMessages(keys, book, { nbMax: MESSAGE_PAGE_SIZE, smidLast: before });
    return (current) => current && mergeOlder(current, page.messages, before, Date.now());
  });
}
