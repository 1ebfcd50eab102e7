/** What the book view lists: the fetched messages, and the sends from here on their way. Pure. */
import { bookKey } from './books';
import type { BookMessages, CachedMessage } from './messages';
import type { OutboxItem } from './outbox';
import { viewOf, type ItemView } from './outbox-view';
import { sameAccount, type Account, type BookRef } from './refs';
import type { Words } from './words';

/** One line of the book view: a message from the server, or one sent from here. */
export type MessageLine = { kind: 'message'; message: CachedMessage } | { kind: 'send'; item: OutboxItem; view: ItemView };

/**
 * What the book view lists, newest first: what this account sent to the book from here and the
 * server has not yet returned (a delivered send shows until a fetch brings its message), then the
 * fetched messages.
 */
export function messageLines(
  t: Words,
  entry: BookMessages | undefined,
  outbox: readonly OutboxItem[],
  book: BookRef,
  account: Account | null,
): MessageLine[] {
  const messages = entry?.messages ?? [];
  const fetched = new Set(messages.map((message) => message.uuid));
  const key = bookKey(book);
  const sends: MessageLine[] = outbox
    // A save into a table is a row, not a message of the conversation, and a send taken back is
    // not one either: the list of sends shows them.
    .filter((item) => !item.table && !item.undo && bookKey(item.book) === key && sameAccount(item.account, account) && !fetched.has(item.uuid))
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((item) => ({ kind: 'send', item, view: viewOf(t, item, account) }));
  return [...sends, ...messages.map((message): MessageLine => ({ kind: 'message', message }))];
}
