/** Which desktop notifications a poll, or a delivery of right-click sends, raises. Pure. */
import { bookKey, type BookSummary } from './books';
import type { OutboxItem } from './outbox';
import type { BookRef } from './refs';
import type { Words } from './words';

export interface BookNotification {
  /** One notification per book: a newer one replaces it. */
  id: string;
  book: BookRef | null;
  title: string;
  message: string;
  /** A button that opens the book, where the browser has notification buttons (a click does too). */
  openButton?: string;
  /** A button that takes the send named in `id` back, where the browser has notification buttons. */
  undoButton?: string;
}

export interface NotificationContext {
  /** The signed-in user: their own messages raise nothing. */
  me: string;
  /** The first sync after sign-in only learns the current state. */
  firstSync: boolean;
  enabled: boolean;
  muted: ReadonlySet<string>;
  /** Milliseconds since the previous successful poll (e.g. the machine slept). */
  sincePreviousPoll: number;
  /** Display names by user id, for "Alice Martin" rather than "alice". */
  names?: Readonly<Record<string, string>>;
}

/** Above this many books with news at once, one summary instead of a flood. */
export const MAX_SEPARATE_NOTIFICATIONS = 3;
/** After a gap this long (a sleep), news from more than one book is summed up in one notification. */
export const LONG_GAP_MS = 30 * 60_000;
export const SUMMARY_ID = 'summary';

export function notificationId(book: BookRef): string {
  return `book:${bookKey(book)}`;
}

export function bookFromNotificationId(id: string): BookRef | null {
  const match = /^(?:book|sent):([^/]+)\/(.+?)(?:#[0-9a-f-]{36})?$/.exec(id);
  return match ? { b_o: match[1]!, b_c: match[2]! } : null;
}

/** A delivered right-click send's notification names the send, so that its Undo button can take it back. */
function sendNotificationId(item: OutboxItem): string {
  return `sent:${bookKey(item.book)}#${item.uuid}`;
}

/** The send whose notification this is, if it is one with an Undo button. */
export function sendFromNotificationId(id: string): string | null {
  return /^sent:.+#([0-9a-f-]{36})$/.exec(id)?.[1] ?? null;
}

/** New messages from other people in one book. */
export interface BookNews {
  book: BookSummary;
  count: number;
}

/**
 * The books of `updated` with new messages from other people since `previous`, as far as the user
 * wants to hear of them: nothing on the first sync or with notifications off.
 */
export function newsFor(previous: Readonly<Record<string, BookSummary>>, updated: readonly BookSummary[], context: NotificationContext): BookNews[] {
  if (context.firstSync || !context.enabled) return [];
  const news: BookNews[] = [];
  for (const book of updated) {
    if (!book.accepted || book.archived || context.muted.has(bookKey(book))) continue;
    const before = previous[bookKey(book)];
    const last = book.lastMsg;
    if (!last || last.u_c === context.me || last.smid <= (before?.lastMsg?.smid ?? 0)) continue;
    const count = book.nbNotRead - (before?.nbNotRead ?? 0);
    if (count > 0) news.push({ book, count });
  }
  return news;
}

export function notificationsFor(
  t: Words,
  previous: Readonly<Record<string, BookSummary>>,
  updated: readonly BookSummary[],
  context: NotificationContext,
): BookNotification[] {
  const news = newsFor(previous, updated, context);
  const flood = news.length > MAX_SEPARATE_NOTIFICATIONS || (context.sincePreviousPoll >= LONG_GAP_MS && news.length > 1);
  if (flood) {
    const total = news.reduce((sum, item) => sum + item.count, 0);
    return [
      {
        id: SUMMARY_ID,
        book: null,
        title: t('newsInBooks', t.plural('newMessages', total), t.plural('books', news.length)),
        message: news.map((item) => `${item.book.title} (${item.count})`).join(', '),
      },
    ];
  }
  return news.map(({ book, count }) => {
    const last = book.lastMsg!;
    const sender = context.names?.[last.u_c] ?? last.u_c;
    return {
      id: notificationId(book),
      book: { b_o: book.b_o, b_c: book.b_c },
      title: count > 1 ? t('labelled', book.title, t.plural('newMessages', count)) : book.title,
      message: t('labelled', sender, last.text),
    };
  });
}

/**
 * What a delivery run tells about right-click sends (the popup shows its own): "Sent to <book>",
 * or why not, once when a send first waits and once when it fails for good. One per book: a newer
 * one replaces it, and a click opens the book.
 */
export function sendNotifications(
  t: Words,
  run: { delivered: readonly OutboxItem[]; setBack: readonly OutboxItem[]; undone?: readonly OutboxItem[] },
): BookNotification[] {
  const notice = (item: OutboxItem, title: string, message: string): BookNotification => ({
    id: `sent:${bookKey(item.book)}`,
    book: { b_o: item.book.b_o, b_c: item.book.b_c },
    title,
    message,
  });
  const notices: BookNotification[] = [];
  for (const item of run.delivered) {
    if (item.origin !== 'menu') continue;
    if (item.table) {
      notices.push({ ...notice(item, t('tableSavedTo', item.table.tableName, item.bookTitle), item.note ?? t('tableSavedOpen')), openButton: t('openInTimeTonic') });
      continue;
    }
    notices.push({ ...notice(item, t('sentTo', item.bookTitle), item.note ?? firstLine(item.text)), id: sendNotificationId(item), undoButton: t('popupUndo') });
  }
  // The outcome of an Undo replaces the send's notification, and its button.
  for (const item of run.undone ?? []) {
    if (item.origin !== 'menu') continue;
    const title = item.status === 'undone' ? t('deletedFrom', item.bookTitle) : t('notDeletedFrom', item.bookTitle);
    notices.push({ ...notice(item, title, item.reason ?? firstLine(item.text)), id: sendNotificationId(item) });
  }
  for (const item of run.setBack) {
    if (item.origin !== 'menu' || item.reason === null) continue;
    if (item.table) {
      // A refused row is fixed in the window, which kept what the user typed: Retry would only be refused again.
      if (item.status === 'failed') notices.push(notice(item, t('tableNotSavedTo', item.table.tableName), t('tableRefusedFix', item.reason)));
      else if (item.attempts === 1) notices.push(notice(item, t('tableNotSavedYetTo', item.table.tableName), t('willBeRetried', item.reason)));
      continue;
    }
    if (item.status === 'failed') notices.push(notice(item, t('notSentTo', item.bookTitle), t('failedRetryOrDiscard', item.reason)));
    else if (item.attempts === 1) notices.push(notice(item, t('notSentYetTo', item.bookTitle), t('willBeRetried', item.reason)));
  }
  return notices;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
