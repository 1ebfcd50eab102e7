/**
 * The messages the popup and the options page send to the service worker: one union, one answer
 * type per message, and one typed way to send them.
 */
import type { BookRef } from '../domain/refs';
import type { Role } from '../domain/table-fill';
import type { BookTables } from '../domain/table-save';
import browser from './browser';

export type Request =
  /** The password travels in this one message to the worker, which passes it to the server only. */
  | { type: 'signIn'; login: string; password: string }
  | { type: 'signOut' }
  | { type: 'dropOtherSessions' }
  | { type: 'pollNow' }
  /**
   * Quick-send: the worker keeps the message in its outbox and delivers it. Its files' bytes are
   * already in the attachment store (shared/attachments.ts) under each `uuid`, in order.
   */
  | { type: 'send'; book: BookRef; text: string; files?: { uuid: string; name: string }[] }
  | { type: 'retrySend'; uuid: string }
  | { type: 'discardSend'; uuid: string }
  /** Undo: a send not yet gone is cancelled, a delivered one (for a short while) deleted. */
  | { type: 'undoSend'; uuid: string }
  /** The picker window's choice of book for a right-click send, with the note to put first. */
  | { type: 'pickBook'; pick: string; book: BookRef; note: string; screenshot: boolean }
  /** The book's newest messages, and what changed since the cached ones, into the message cache. */
  | { type: 'bookMessages'; book: BookRef }
  /** One page further back than the oldest cached message of the book. */
  | { type: 'olderMessages'; book: BookRef }
  /**
   * The user read these books (Mark as read, Mark all as read, a send from within a book; with
   * `opened`, the book was opened): their counts go down now, and the server is told.
   */
  | { type: 'markRead'; books: BookRef[]; opened?: boolean }
  /** "Save to a table": a book's tables, cached unless `refresh`. */
  | { type: 'bookTables'; book: BookRef; refresh?: boolean }
  /** "Save to a table": the row the window made of its clip, by field id, and what the user chose. */
  | {
      type: 'saveToTable';
      pick: string;
      book: BookRef;
      catId: number;
      values: Record<string, string>;
      /** The file field the clipped image goes to, if any. */
      imageFieldId: number | null;
      /** The field choices to remember for this table. */
      choices: Record<string, Role | null>;
    };

export type Outcome = { ok: true } | { ok: false; error: string };

export interface Responses {
  signIn: Outcome;
  /** `waiting`: sends kept for when the same user signs in again. */
  signOut: { ok: true; waiting: number };
  dropOtherSessions: Outcome;
  pollNow: Outcome;
  send: { ok: true; uuid: string } | { ok: false; error: string };
  retrySend: Outcome;
  discardSend: Outcome;
  undoSend: Outcome;
  pickBook: Outcome;
  /** The messages themselves arrive through the message cache (`messageCacheItem`). */
  bookMessages: Outcome;
  olderMessages: Outcome;
  markRead: Outcome;
  /** `choices`: what the user chose before for each table's fields, by table id. */
  bookTables: ({ ok: true; choices: Record<string, Record<string, Role | null>> } & BookTables) | { ok: false; error: string };
  saveToTable: Outcome;
}

export type RequestOf<K extends Request['type']> = Extract<Request, { type: K }>;

export type RequestHandlers = { [K in Request['type']]: (request: RequestOf<K>) => Promise<Responses[K]> };

/** The worker's answer when a handler threw: `sendToWorker` rejects with it, as a failed call does. */
export interface WorkerFailure {
  workerFailure: string;
}

export async function sendToWorker<K extends Request['type']>(request: RequestOf<K>): Promise<Responses[K]> {
  const response = (await browser.runtime.sendMessage(request)) as Responses[K] | WorkerFailure;
  if (typeof response === 'object' && response !== null && 'workerFailure' in response) throw new Error(response.workerFailure);
  return response;
}
