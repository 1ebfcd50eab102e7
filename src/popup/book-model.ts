/**
 * The book view's model: the open book's messages from the message cache (at once, when it was
 * read before), and the worker asked to refresh them, when the book opens and whenever the worker's
 * poll sees it change, and to page further back. Made with the book view's code, after the first
 * frame; the list knows only which book is open.
 */
import { computed, effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import { bookKey, type BookSummary } from '../domain/books';
import { messageLines } from '../domain/message-lines';
import { cachedMessages, EMPTY_MESSAGE_CACHE, MAX_KEPT_MESSAGES } from '../domain/messages';
import type { OutboxItem } from '../domain/outbox';
import type { Account } from '../domain/refs';
import { t } from '../shared/i18n';
import { sendToWorker, type Outcome } from '../shared/messages';
import { messageCacheItem } from '../shared/state';
import { mirror } from '../shared/storage';

interface Sources {
  /** The open book, or null. */
  book: ReadonlySignal<BookSummary | null>;
  outbox: ReadonlySignal<OutboxItem[]>;
  account: ReadonlySignal<Account | null>;
}

export function createBookModel({ book, outbox, account }: Sources) {
  const messageCache = signal(EMPTY_MESSAGE_CACHE);
  void mirror(messageCacheItem, messageCache);
  const refreshing = signal(false);
  const refreshError = signal<string | null>(null);
  const loadingOlder = signal(false);
  const olderError = signal<string | null>(null);

  const entry = computed(() => (book.value ? cachedMessages(messageCache.value, account.value, book.value) : undefined));
  const lines = computed(() => (book.value ? messageLines(t, entry.value, outbox.value, book.value, account.value) : []));
  const canLoadOlder = computed(() => !!entry.value?.hasOlder && entry.value.messages.length < MAX_KEPT_MESSAGES);
  const isOpen = (target: BookSummary) => book.value !== null && bookKey(book.value) === bookKey(target);

  /** Asks the worker, and says what went wrong in words. */
  async function ask(type: 'bookMessages' | 'olderMessages', target: BookSummary): Promise<string | null> {
    let outcome: Outcome;
    try {
      outcome = await sendToWorker({ type, book: { b_o: target.b_o, b_c: target.b_c } });
    } catch (error) {
      outcome = { ok: false, error: t('popupCouldNotAsk', String(error)) };
    }
    return outcome.ok ? null : outcome.error;
  }

  let refreshAgain = false;
  async function refresh() {
    const target = book.value;
    if (!target) return;
    // One at a time; a refresh asked for meanwhile runs after, for the book open then.
    if (refreshing.value) {
      refreshAgain = true;
      return;
    }
    refreshing.value = true;
    const error = await ask('bookMessages', target);
    // An answer for a book left since says nothing of the one open now.
    if (isOpen(target)) refreshError.value = error;
    refreshing.value = false;
    if (refreshAgain) {
      refreshAgain = false;
      void refresh();
    }
  }

  async function loadOlder() {
    const target = book.value;
    if (!target || loadingOlder.value) return;
    loadingOlder.value = true;
    olderError.value = null;
    const error = await ask('olderMessages', target);
    if (isOpen(target)) olderError.value = error;
    loadingOlder.value = false;
  }

  // A book opened, or the worker's poll saw the open one change (a message from someone, a send
  // delivered): fetch it.
  let seen: { key: string; sstamp: number } | null = null;
  effect(() => {
    const current = book.value;
    const key = current && bookKey(current);
    if (current && key && (key !== seen?.key || current.sstamp !== seen.sstamp)) {
      if (key !== seen?.key) refreshError.value = olderError.value = null;
      untracked(() => void refresh());
    }
    seen = current && key ? { key, sstamp: current.sstamp } : null;
  });

  return { entry, lines, canLoadOlder, refreshing, refreshError, loadingOlder, olderError, refresh, loadOlder };
}

export type BookModel = ReturnType<typeof createBookModel>;
