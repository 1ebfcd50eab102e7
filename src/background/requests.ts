/** Answers the popup's and the options page's requests, and only theirs. */
import browser, { type Runtime } from '../shared/browser';
import type { Request, RequestHandlers, WorkerFailure } from '../shared/messages';
import { authItem } from '../shared/state';
import { loadOlderMessages, refreshBookMessages } from './book-messages';
import { sendPicked } from './capture';
import { sendReads } from './live';
import { deliver, discard, enqueue, retry, undo, waitingFor } from './outbox';
import { recordReads } from './reads';
import { onPopupOpened } from './schedule';
import { dropOtherSessions, signIn, signOut } from './session';
import { bookTables, saveToTable } from './tables';
import { exclusive, poll } from './sync';

const handlers: RequestHandlers = {
  async signIn({ login, password }) {
    const outcome = await exclusive(() => signIn(login, password));
    if (outcome.ok) await poll({ kind: 'signIn' });
    return outcome;
  },
  async signOut() {
    const waiting = await exclusive(async () => {
      const auth = await authItem.get();
      await signOut();
      return waitingFor(auth);
    });
    return { ok: true, waiting };
  },
  dropOtherSessions: () => exclusive(dropOtherSessions),
  async pollNow() {
    // The popup opened: the user is here, so what waits for a retry goes now too.
    void deliver({ now: true });
    await onPopupOpened();
    return { ok: true };
  },
  send: ({ book, text, files }) => enqueue({ book, text, keptFiles: files }),
  async retrySend({ uuid }) {
    await retry(uuid);
    return { ok: true };
  },
  async discardSend({ uuid }) {
    await discard(uuid);
    return { ok: true };
  },
  undoSend: ({ uuid }) => undo(uuid),
  pickBook: ({ pick, book, note, screenshot }) => sendPicked(pick, book, { note, screenshot }),
  bookMessages: ({ book }) => refreshBookMessages(book),
  olderMessages: ({ book }) => loadOlderMessages(book),
  async markRead({ books, opened }) {
    const refs = books.map(({ b_o, b_c }) => ({ b_o, b_c }));
    await recordReads(refs);
    // Over the socket when it is live; otherwise the reads wait, kept, for the next attach.
    await sendReads(opened ? refs : []);
    return { ok: true };
  },
  bookTables: ({ book, refresh }) => bookTables(book, refresh),
  saveToTable: ({ type: _type, ...request }) => saveToTable(request),
};

/** Our own pages only: another extension or a web page gets no answer. */
function fromOurPages(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

/**
 * Answers through `sendResponse` and `return true`, which every browser understands (a listener
 * that returns a promise is answered by some only). A handler that throws is answered with a
 * `WorkerFailure`, which `sendToWorker` turns back into a rejection.
 */
export function onMessage(message: unknown, sender: Runtime.MessageSender, sendResponse: (response: unknown) => void): true | undefined {
  if (!fromOurPages(sender) || !isRequest(message)) return undefined;
  const handler = handlers[message.type] as (request: Request) => Promise<unknown>;
  handler(message).then(sendResponse, (error: unknown) => sendResponse({ workerFailure: String(error) } satisfies WorkerFailure));
  return true;
}

function isRequest(message: unknown): message is Request {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === 'string' && Object.hasOwn(handlers, type);
}
