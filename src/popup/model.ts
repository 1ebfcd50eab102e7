/**
 * State of the toolbar popup. The book list, the status and the settings are read from storage
 * (the worker writes them) and followed as they change; everything shown is derived from them.
 */
import { computed, signal } from '@preact/signals';
import { unreadTotal } from '../domain/badge';
import { EMPTY_CACHE, sortBooks, type BookCache } from '../domain/books';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import browser from '../shared/browser';
import { sendToWorker } from '../shared/messages';
import { mutedBooksSetting, serverSetting } from '../shared/settings';
import { bookCacheItem, syncStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';

export function createPopupModel() {
  const loaded = signal(false);
  const status = signal<SyncStatus>(SIGNED_OUT);
  const cache = signal<BookCache>(EMPTY_CACHE);
  const muted = signal<string[]>([]);
  const server = signal('');

  const login = signal('');
  const password = signal('');
  const signingIn = signal(false);
  const signInError = signal<string | null>(null);

  const signedIn = computed(() => status.value.state !== 'signedOut' && status.value.state !== 'signInAgain');
  const mutedSet = computed(() => new Set(muted.value));
  const books = computed(() => sortBooks(Object.values(cache.value.books).filter((book) => book.accepted)));
  const unread = computed(() => unreadTotal(books.value, mutedSet.value));
  const synced = computed(() => cache.value.sstamp !== null);

  async function load() {
    await Promise.all([mirror(syncStatusItem, status), mirror(bookCacheItem, cache), mirror(mutedBooksSetting, muted), mirror(serverSetting, server)]);
    loaded.value = true;
    // Fresh numbers whenever the popup opens; what is cached shows meanwhile.
    if (signedIn.value) void sendToWorker({ type: 'pollNow' });
  }

  async function signIn() {
    if (signingIn.value) return;
    if (!login.value.trim() || !password.value) {
      signInError.value = 'Enter your login and password';
      return;
    }
    signingIn.value = true;
    signInError.value = null;
    try {
      const outcome = await sendToWorker({ type: 'signIn', login: login.value.trim(), password: password.value });
      if (outcome.ok) password.value = '';
      else signInError.value = outcome.error;
    } catch (error) {
      signInError.value = `Sign-in failed: ${String(error)}`;
    } finally {
      signingIn.value = false;
    }
  }

  function openOptions() {
    void browser.runtime.openOptionsPage();
    window.close();
  }

  return {
    loaded,
    status,
    cache,
    server,
    login,
    password,
    signingIn,
    signInError,
    signedIn,
    mutedSet,
    books,
    unread,
    synced,
    load,
    signIn,
    openOptions,
  };
}

export type PopupModel = ReturnType<typeof createPopupModel>;
