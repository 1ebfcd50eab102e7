/**
 * The quick-send box: the draft (kept in storage, so closing the popup loses nothing), the book it
 * goes to, and the sends on their way. The worker's outbox does the rest.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { bookKey, type BookCache, type BookSummary } from '../domain/books';
import type { OutboxItem } from '../domain/outbox';
import type { Account } from '../domain/refs';
import { viewOf, waitingCount } from '../domain/outbox-view';
import { t } from '../shared/i18n';
import { sendToWorker } from '../shared/messages';
import { draftItem, type Draft } from './draft';

const byTitle = (a: BookSummary, b: BookSummary) => a.title.localeCompare(b.title);

/** Delivered sends stay listed (the worker keeps them a few minutes); at most this many. */
const SENT_SHOWN = 5;

interface Sources {
  cache: ReadonlySignal<BookCache>;
  outbox: ReadonlySignal<OutboxItem[]>;
  recentBooks: ReadonlySignal<string[]>;
  account: ReadonlySignal<Account | null>;
  draft: Draft;
}

export function createSendModel({ cache, outbox, recentBooks, account, draft: kept }: Sources) {
  const draft = signal(kept);
  const sending = signal(false);
  const sendError = signal<string | null>(null);

  /** The books one may send to, in no order: what the first frame needs. */
  const writable = computed(() => Object.values(cache.value.books).filter((book) => book.accepted && !book.archived && book.canWrite !== false));
  /** The same by title, for the Book choice's options, which are drawn after the first frame. */
  const writableBooks = computed(() => [...writable.value].sort(byTitle));
  /** The book the user picked, else the last one sent to, else the first by title. */
  const chosenBook = computed(() => {
    const keys = new Set(writable.value.map(bookKey));
    const preferred = [draft.value.book, ...recentBooks.value].find((key) => key !== null && keys.has(key));
    const first = writable.value.reduce<BookSummary | null>((min, book) => (min === null || byTitle(book, min) < 0 ? book : min), null);
    return preferred ?? (first ? bookKey(first) : null);
  });
  /** What was sent from here and is not delivered, or was delivered a moment ago; newest first. */
  const sends = computed(() => {
    const newestFirst = [...outbox.value].sort((a, b) => b.createdAt - a.createdAt);
    const sent = newestFirst.filter((item) => item.status === 'sent').slice(0, SENT_SHOWN);
    return newestFirst
      .filter((item) => item.status !== 'sent' || sent.includes(item))
      .map((item) => ({ item, view: viewOf(t, item, account.value) }));
  });
  const waiting = computed(() => waitingCount(outbox.value));

  function editDraft(change: Partial<Draft>) {
    draft.value = { ...draft.value, ...change };
    sendError.value = null;
    void draftItem.set(draft.value);
  }

  /** Sends the draft to `to` (the open book), or to the book chosen in the box. */
  async function send(to?: BookSummary) {
    const key = to ? bookKey(to) : chosenBook.value;
    const book = to ?? writable.value.find((candidate) => bookKey(candidate) === key);
    if (sending.value) return;
    if (!book) {
      sendError.value = t('popupChooseBook');
      return;
    }
    if (!draft.value.text.trim()) {
      sendError.value = t('popupTypeMessage');
      return;
    }
    sending.value = true;
    try {
      const outcome = await sendToWorker({ type: 'send', book: { b_o: book.b_o, b_c: book.b_c }, text: draft.value.text });
      if (outcome.ok) editDraft({ text: '' });
      else sendError.value = outcome.error;
    } catch (error) {
      sendError.value = t('popupCouldNotSend', String(error));
    } finally {
      sending.value = false;
    }
  }

  return {
    draft,
    sending,
    sendError,
    writable,
    writableBooks,
    chosenBook,
    sends,
    waiting,
    editDraft,
    send,
    retry: (uuid: string) => sendToWorker({ type: 'retrySend', uuid }),
    discard: (uuid: string) => sendToWorker({ type: 'discardSend', uuid }),
  };
}

export type SendModel = ReturnType<typeof createSendModel>;
