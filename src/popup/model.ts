/**
 * State of the toolbar popup. It is made from what the first frame needs, read from storage in one
 * call (first-paint.ts), so the cached book list is drawn at once, from its first screenful; the
 * rest (the whole list, settings from sync storage, a fresh poll, the book view's model) follows.
 * The worker writes what the popup shows; the popup follows storage and derives everything else.
 * The book list, the book view and the quick-send box each have their own model.
 */
import { batch, computed, signal } from '@preact/signals';
import { bookKey, countsTowardUnread, type BookSummary } from '../domain/books';
import browser from '../shared/browser';
import { sendToWorker } from '../shared/messages';
import { mutedBooksSetting, pollMinutesSetting, serverSetting } from '../shared/settings';
import { accountItem, bookCacheItem, liveStatusItem, outboxItem, recentBooksItem, syncStatusItem } from '../shared/state';
import { follow, mirror } from '../shared/storage';
import type { BookModel } from './book-model';
import type { FirstPaint } from './first-paint';
import { createListModel } from './list-model';
import { createSendModel } from './send-model';

export function createPopupModel({ syncStatus, books, account: signedInAs, outbox: outboxItems, recentBooks: recent, draft }: FirstPaint) {
  const status = signal(syncStatus);
  const cache = signal(books.cache);
  /** The whole list's counts while `cache` holds its first screenful only; null once the whole list is read. */
  const totals = signal(books.totals);
  const account = signal(signedInAs);
  const outbox = signal(outboxItems);
  const recentBooks = signal(recent);
  follow(syncStatusItem, status);
  bookCacheItem.watch((whole) =>
    batch(() => {
      cache.value = whole;
      totals.value = null;
    }),
  );
  follow(accountItem, account);
  follow(outboxItem, outbox);
  follow(recentBooksItem, recentBooks);
  // Read after the first frame.
  const muted = signal(mutedBooksSetting.defaultValue);
  const server = signal<string | null>(null);
  /** The message socket, and the interval polled at without it: the status line's words. */
  const live = signal(liveStatusItem.defaultValue);
  const pollMinutes = signal(pollMinutesSetting.defaultValue);
  /** A poll this popup asked for is running. */
  const checking = signal(false);

  const signedIn = computed(() => status.value.state !== 'signedOut' && status.value.state !== 'signInAgain');
  /** Links go to the server the user is signed in to; the sign-in form names the chosen one. */
  const webServer = computed(() => account.value?.server ?? server.value ?? serverSetting.defaultValue);

  const list = createListModel(cache, muted, totals);
  const quickSend = createSendModel({ cache, totals, outbox, recentBooks, account, draft });

  const openKey = signal<string | null>(null);
  /** The book opened last: back in the list, the focus returns to it. */
  const lastOpened = signal<string | null>(null);
  /** The book being read; null in the list, or when the open one went away (deleted, or left). */
  const openBook = computed(() => (openKey.value === null ? null : (cache.value.books[openKey.value] ?? null)));
  /** The book view's model, made with its code (`loadReader`), which the first frame does without. */
  const reader = signal<BookModel | null>(null);
  let loadingReader: Promise<void> | null = null;
  const loadReader = () =>
    (loadingReader ??= import('./book-model').then(({ createBookModel }) => {
      reader.value = createBookModel({ book: openBook, outbox, account });
    }));

  /** What comes after the first frame. */
  function start() {
    void mirror(mutedBooksSetting, muted);
    void mirror(serverSetting, server);
    void mirror(liveStatusItem, live);
    void mirror(pollMinutesSetting, pollMinutes);
    // Fresh numbers whenever the popup opens; what is cached shows meanwhile.
    if (signedIn.value) void pollNow();
  }

  /** After the first frame: the whole list, where the first screenful stood. It draws the same. */
  async function readWholeList() {
    if (totals.value === null) return;
    const whole = await bookCacheItem.get();
    // A change that came meanwhile is as new or newer.
    if (totals.value === null) return;
    batch(() => {
      cache.value = whole;
      totals.value = null;
    });
  }

  async function pollNow() {
    checking.value = true;
    try {
      await sendToWorker({ type: 'pollNow' });
    } finally {
      checking.value = false;
    }
  }

  /** The worker lowers the counts at once (the list and the badge follow storage) and tells the server. */
  function markRead(books: readonly BookSummary[], opened = false) {
    const refs = books.map(({ b_o, b_c }) => ({ b_o, b_c }));
    void sendToWorker({ type: 'markRead', books: refs, opened }).catch(() => undefined);
  }

  function openOptions() {
    void browser.runtime.openOptionsPage();
    window.close();
  }

  return {
    status,
    account,
    names: computed(() => cache.value.names),
    server,
    live,
    pollMinutes,
    webServer,
    checking,
    signedIn,
    list,
    quickSend,
    openBook,
    lastOpened,
    reader,
    loadReader,
    open(book: BookSummary) {
      openKey.value = lastOpened.value = bookKey(book);
      void loadReader();
      markRead([book], true);
    },
    markRead,
    /** Every book whose unread messages the header counts; muted and archived ones are left as they are. */
    markAllRead: () => markRead(list.books.value.filter((book) => book.nbNotRead > 0 && countsTowardUnread(book, list.mutedSet.value))),
    close: () => (openKey.value = null),
    start,
    readWholeList,
    openOptions,
  };
}

export type PopupModel = ReturnType<typeof createPopupModel>;
