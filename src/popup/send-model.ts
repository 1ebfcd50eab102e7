/**
 * The quick-send box: the draft (kept in storage, so closing the popup loses nothing), the book it
 * goes to, and the sends on their way. The worker's outbox does the rest.
 */
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { bookKey, byTitle, isWritable, type BookCache, type BookSummary, type ListTotals } from '../domain/books';
import type { OutboxItem } from '../domain/outbox';
import type { Account } from '../domain/refs';
import { undoableUntil, viewOf, waitingCount } from '../domain/outbox-view';
import { t } from '../shared/i18n';
import { sendToWorker } from '../shared/messages';
import { draftItem, type Draft } from '../shared/draft';
import type { AttachedFile, AttachmentsModel } from './attachments-model';

/** Delivered sends stay listed (the worker keeps them a few minutes); at most this many. */
const SENT_SHOWN = 5;

interface Sources {
  cache: ReadonlySignal<BookCache>;
  /** The whole list's counts while `cache` holds its first screenful only (list-model.ts). */
  totals: ReadonlySignal<ListTotals | null>;
  outbox: ReadonlySignal<OutboxItem[]>;
  recentBooks: ReadonlySignal<string[]>;
  account: ReadonlySignal<Account | null>;
  draft: Draft;
}

export function createSendModel({ cache, totals, outbox, recentBooks, account, draft: kept }: Sources) {
  const draft = signal(kept);
  /**
   * The Book choice lists every book once the user goes to it (focus, pointer): until then, only
   * the chosen one. Thousands of options take longer to build than the rest of the popup.
   */
  const choosing = signal(false);
  const sending = signal(false);
  const sendError = signal<string | null>(null);
  /** The files attached to the box, in order. */
  const attached = signal<AttachedFile[]>([]);
  /** Their controls, loaded when first drawn or when a file is pasted or dropped. */
  const attachmentsModel = signal<AttachmentsModel | null>(null);
  let loadingAttachments: Promise<AttachmentsModel> | null = null;
  const attachments = () =>
    (loadingAttachments ??= import('./attachments-model').then(({ createAttachmentsModel }) => (attachmentsModel.value = createAttachmentsModel(attached))));

  /** The books one may send to, in no order: what the first frame needs. */
  const writable = computed(() => Object.values(cache.value.books).filter(isWritable));
  const canSend = computed(() => (totals.value?.writable ?? writable.value.length) > 0);
  /** The same by title, for the Book choice's options, which are drawn when the user goes to it. */
  const writableBooks = computed(() => [...writable.value].sort(byTitle));
  /** The book the user picked, else the last one sent to, else the first by title. */
  const chosenBook = computed(() => {
    const keys = new Set(writable.value.map(bookKey));
    const preferred = [draft.value.book, ...recentBooks.value].find((key) => key !== null && keys.has(key));
    const first = writable.value.reduce<BookSummary | null>((min, book) => (min === null || byTitle(book, min) < 0 ? book : min), null);
    return preferred ?? (first ? bookKey(first) : null);
  });
  /** What was sent from here and is not delivered, or was delivered (or taken back) a moment ago; newest first. */
  const sends = computed(() => {
    const newestFirst = [...outbox.value].sort((a, b) => b.createdAt - a.createdAt);
    const done = newestFirst.filter((item) => item.status === 'sent' || item.status === 'undone').slice(0, SENT_SHOWN);
    return newestFirst
      .filter((item) => (item.status !== 'sent' && item.status !== 'undone') || done.includes(item))
      .map((item) => ({ item, view: viewOf(t, item, account.value) }));
  });
  /** The time as far as Undo buttons care: it moves on when the next one's time is up. */
  const undoClock = signal(Date.now());
  const nextUndoEnd = computed(() => {
    const ends = outbox.value.map(undoableUntil).filter((end): end is number => end !== null && Number.isFinite(end) && end > undoClock.value);
    return ends.length > 0 ? Math.min(...ends) : null;
  });
  effect(() => {
    const end = nextUndoEnd.value;
    if (end === null) return;
    const timer = setTimeout(() => (undoClock.value = Date.now()), end - Date.now());
    return () => clearTimeout(timer);
  });
  /** Whether the send may still be taken back: Undo shows beside it. */
  const canUndo = (item: OutboxItem) => (undoableUntil(item) ?? Number.NEGATIVE_INFINITY) > undoClock.value;
  /** The send that wrote the message `uuid`, if it was sent from here and is still listed. */
  const sendOf = (uuid: string) => outbox.value.find((item) => item.uuid === uuid) ?? null;
  /** Why the last Undo was refused (too late, say), by send. */
  const undoErrors = signal<Record<string, string>>({});
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
    if (!draft.value.text.trim() && attached.value.length === 0) {
      sendError.value = t('popupTypeMessage');
      return;
    }
    sending.value = true;
    try {
      // The bytes go to the attachment store here (the same origin's IndexedDB as the worker's),
      // so that a 50 MB file never travels in a message; the worker takes them over.
      const files = await keepFiles(attached.value);
      if (!files.ok) {
        sendError.value = files.error;
        return;
      }
      const outcome = await sendToWorker({
        type: 'send',
        book: { b_o: book.b_o, b_c: book.b_c },
        text: draft.value.text,
        ...(files.kept.length > 0 && { files: files.kept }),
      });
      if (outcome.ok) {
        editDraft({ text: '' });
        attached.value = [];
        // Sent from within a book: what it held is read (the API text asks for clearNotRead then).
        if (to) void sendToWorker({ type: 'markRead', books: [{ b_o: book.b_o, b_c: book.b_c }] }).catch(() => undefined);
      } else sendError.value = outcome.error;
    } catch (error) {
      sendError.value = t('popupCouldNotSend', String(error));
    } finally {
      sending.value = false;
    }
  }

  return {
    draft,
    attached,
    attachments,
    attachmentsModel,
    sending,
    sendError,
    writable,
    canSend,
    choosing,
    choose: () => (choosing.value = true),
    writableBooks,
    chosenBook,
    sends,
    waiting,
    editDraft,
    send,
    retry: (uuid: string) => sendToWorker({ type: 'retrySend', uuid }),
    discard: (uuid: string) => sendToWorker({ type: 'discardSend', uuid }),
    canUndo,
    sendOf,
    undoErrors,
    async undo(uuid: string) {
      const { [uuid]: _previous, ...others } = undoErrors.value;
      undoErrors.value = others;
      const outcome = await sendToWorker({ type: 'undoSend', uuid }).catch((error: unknown) => ({ ok: false as const, error: String(error) }));
      if (!outcome.ok) undoErrors.value = { ...undoErrors.value, [uuid]: outcome.error };
    },
  };
}

/** Keeps each file's bytes under a new uuid, in order; on a refusal, keeps none. */
async function keepFiles(attached: readonly AttachedFile[]): Promise<{ ok: true; kept: { uuid: string; name: string }[] } | { ok: false; error: string }> {
  const kept: { uuid: string; name: string }[] = [];
  if (attached.length === 0) return { ok: true, kept };
  // The attachment store (and idb-keyval) only for a send with files.
  const { forgetAttachment, keepAttachment } = await import('../shared/attachments');
  let keeping: File | undefined;
  try {
    for (const { file } of attached) {
      keeping = file;
      const uuid = crypto.randomUUID();
      await keepAttachment(uuid, file);
      kept.push({ uuid, name: file.name });
    }
    return { ok: true, kept };
  } catch (error) {
    // IndexedDB refused (its quota, a private window), or the file changed or left the disk since
    // it was attached: nothing of this send stays, and the reason names the file it is.
    await Promise.all(kept.map(({ uuid }) => forgetAttachment(uuid).catch(() => undefined)));
    if (keeping && !(await isReadable(keeping))) return { ok: false, error: t('fileUnreadableAtSend', keeping.name) };
    return { ok: false, error: t('enqueueFileNotKept', error instanceof Error ? error.message : String(error)) };
  }
}

/** A file changed or gone from the disk since it was attached can no longer be read. */
async function isReadable(file: File): Promise<boolean> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export type SendModel = ReturnType<typeof createSendModel>;
