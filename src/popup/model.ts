/**
 * State of the toolbar popup. The book list, the status and the settings are read from storage
 * (the worker writes them) and followed as they change; everything shown is derived from them.
 */
import { computed, signal } from '@preact/signals';
import { unreadTotal } from '../domain/badge';
import { bookKey, EMPTY_CACHE, sortBooks, type BookCache } from '../domain/books';
import { viewOf, waitingCount, type OutboxItem } from '../domain/outbox';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import browser from '../shared/browser';
import { sendToWorker } from '../shared/messages';
import { mutedBooksSetting, serverSetting } from '../shared/settings';
import { authItem, bookCacheItem, outboxItem, recentBooksItem, syncStatusItem, type Auth } from '../shared/state';
import { mirror } from '../shared/storage';
import { draftItem, type Draft } from './draft';

/** Delivered sends stay listed (the worker keeps them a few minutes); at most this many. */
const SENT_SHOWN = 5;

export function createPopupModel() {
  const loaded = signal(false);
  const status = signal<SyncStatus>(SIGNED_OUT);
  const cache = signal<BookCache>(EMPTY_CACHE);
  const muted = signal<string[]>([]);
  const server = signal('');
  const auth = signal<Auth | null>(null);
  const outbox = signal<OutboxItem[]>([]);
  const recentBooks = signal<string[]>([]);
  const draft = signal<Draft>(draftItem.defaultValue);
  const sending = signal(false);
  const sendError = signal<string | null>(null);

  const login = signal('');
  const password = signal('');
  const signingIn = signal(false);
  const signInError = signal<string | null>(null);

  const signedIn = computed(() => status.value.state !== 'signedOut' && status.value.state !== 'signInAgain');
  const mutedSet = computed(() => new Set(muted.value));
  const books = computed(() => sortBooks(Object.values(cache.value.books).filter((book) => book.accepted)));
  const unread = computed(() => unreadTotal(books.value, mutedSet.value));
  const synced = computed(() => cache.value.sstamp !== null);

  /** Only who is signed in: the keys stay with the worker. */
  const account = computed(() => (auth.value ? { server: auth.value.server, o_u: auth.value.o_u } : null));
  const writableBooks = computed(() =>
    Object.values(cache.value.books)
      .filter((book) => book.accepted && !book.archived && book.canWrite !== false)
      .sort((a, b) => a.title.localeCompare(b.title)),
  );
  /** The book the user picked, else the last one sent to, else the first. */
  const chosenBook = computed(() => {
    const keys = new Set(writableBooks.value.map(bookKey));
    const preferred = [draft.value.book, ...recentBooks.value].find((key) => key !== null && keys.has(key));
    return preferred ?? (writableBooks.value[0] ? bookKey(writableBooks.value[0]) : null);
  });
  /** What was sent from here and is not delivered, or was delivered a moment ago; newest first. */
  const sends = computed(() => {
    const newestFirst = [...outbox.value].sort((a, b) => b.createdAt - a.createdAt);
    const sent = newestFirst.filter((item) => item.status === 'sent').slice(0, SENT_SHOWN);
    return newestFirst
      .filter((item) => item.status !== 'sent' || sent.includes(item))
      .map((item) => ({ item, view: viewOf(item, account.value) }));
  });
  const waiting = computed(() => waitingCount(outbox.value));

  async function load() {
    await Promise.all([
      mirror(syncStatusItem, status),
      mirror(bookCacheItem, cache),
      mirror(mutedBooksSetting, muted),
      mirror(serverSetting, server),
      mirror(authItem, auth),
      mirror(outboxItem, outbox),
      mirror(recentBooksItem, recentBooks),
      draftItem.get().then((kept) => (draft.value = kept)),
    ]);
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

  function editDraft(change: Partial<Draft>) {
    draft.value = { ...draft.value, ...change };
    sendError.value = null;
    void draftItem.set(draft.value);
  }

  async function send() {
    const key = chosenBook.value;
    const book = key === null ? undefined : writableBooks.value.find((candidate) => bookKey(candidate) === key);
    if (sending.value) return;
    if (!book) {
      sendError.value = 'Choose a book first';
      return;
    }
    if (!draft.value.text.trim()) {
      sendError.value = 'Type a message first';
      return;
    }
    sending.value = true;
    try {
      const outcome = await sendToWorker({ type: 'send', book: { b_o: book.b_o, b_c: book.b_c }, text: draft.value.text });
      if (outcome.ok) editDraft({ text: '' });
      else sendError.value = outcome.error;
    } catch (error) {
      sendError.value = `Could not send: ${String(error)}`;
    } finally {
      sending.value = false;
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
    draft,
    sending,
    sendError,
    writableBooks,
    chosenBook,
    sends,
    waiting,
    load,
    signIn,
    editDraft,
    send,
    retrySend: (uuid: string) => sendToWorker({ type: 'retrySend', uuid }),
    discardSend: (uuid: string) => sendToWorker({ type: 'discardSend', uuid }),
    openOptions,
  };
}

export type PopupModel = ReturnType<typeof createPopupModel>;
