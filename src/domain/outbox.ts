/**
 * The outbox: what the user asked to send, until it is delivered exactly once. Pure decisions only
 * (which step comes next, what an answer means, how long to wait); the worker does the I/O.
 *
 * Exactly once without trusting the server to ignore a repeated `uuid`:
 * - before a `sendMsg` leaves, the item records that its outcome is unknown (`unknownOutcome`), so
 *   a worker stopped mid-request looks for the message instead of resending it;
 * - an unknown outcome is settled by looking for the item's `uuid` in the book. A look that finds
 *   the message settles it. A look that finds nothing settles it only once the last request is over:
 *   the server answered it (even with a 5xx or a body we cannot read), or the grace delay since it
 *   left has passed (`inFlightUntil`). Only then is the message sent again, so that no member of
 *   the book ever sees it twice because we resent it while the server was still writing it;
 * - as a last safety net, a request the server held even longer may still be written after the
 *   resend, so once an item was sent by more than one request (`maybeWritten > 1`) it is looked for
 *   again a grace delay after the last request could still be written, and every copy but the
 *   first is deleted. That check sees every copy written within twice the grace delay of its
 *   request; one written later still would stay.
 *
 * Undo keeps the same promise the other way round: a send no request has left for is cancelled
 * and never goes; any other has every copy deleted, found by the same look when its outcome is
 * unknown, and looked for again once no request may still write one (as late as the check above).
 */
import type { ApiErrorKind } from '../api/errors';
import { bookKey } from './books';
import { isMedia } from './files';
import { filesOf, undoableUntil, UNDO_WINDOW_MS } from './outbox-view';
import { accountOf, sameAccount, type Account, type BookRef } from './refs';
import type { TableRowSave } from './table-outbox';
import type { Words } from './words';

/**
 * A file attached to the message once it exists; its bytes wait in the attachment store until its
 * upload is confirmed.
 */
export interface Attachment {
  /** Client-made, sent as `fileUpload`'s `uuid`, and the key of the bytes in the store. */
  uuid: string;
  name: string;
  type: string;
  size: number;
  /** `media` (images, audio, video) or `doc`, as `sendMsg` announces it. */
  kind: 'media' | 'doc';
  uploaded: boolean;
  /** An upload left and its answer never came: look for the file before uploading again. */
  unknownOutcome: boolean;
}

export interface OutboxItem {
  /** Client-made, sent as `sendMsg`'s `uuid`; also the item's id. */
  uuid: string;
  /** Keys belong to a user on a server: the item is sent by this account only. */
  account: Account;
  book: BookRef;
  bookTitle: string;
  text: string;
  /** ms since the epoch. */
  createdAt: number;
  /** Where the send came from: a right-click send is confirmed by a notification. */
  origin: 'popup' | 'menu';
  /** Uploaded one at a time, in this order, once the message exists. */
  attachments: Attachment[];
  /** Items kept by older versions carry at most one file here; `filesOf` reads both. */
  attachment?: Attachment | null;
  /** Said with the confirmation, e.g. that an image went as a link. */
  note: string | null;
  /** The server stamp known when the item was made: every copy it could make has a larger one. */
  sinceStamp: number;
  /**
   * `undoing`: the user took the send back (Undo) and its copies are being deleted; `undone` once
   * none is left, or none was ever written. Neither is ever delivered afterwards.
   */
  status: 'pending' | 'sent' | 'failed' | 'undoing' | 'undone';
  /** A request left and its answer never came: look for the message before sending again. */
  unknownOutcome: boolean;
  /**
   * The last `sendMsg` got no answer (time-out, connection lost, worker stopped): the server may
   * still write it until this time (ms), so until then a look that finds nothing is not conclusive.
   * `null` (or absent, in items kept by older versions) once the server answered.
   */
  inFlightUntil?: number | null;
  /** How many `sendMsg` requests may have written this message. */
  maybeWritten: number;
  /** Failed attempts so far, for the back-off. */
  attempts: number;
  /** When the next step may run (ms since the epoch). */
  notBefore: number;
  /** Why the last attempt failed, in words; `null` when nothing went wrong. */
  reason: string | null;
  /** The message's id once delivered. */
  smid: number | null;
  /** When to look again for copies made by a request the server held (ms), or `null`. */
  verifyAt: number | null;
  /** When it was delivered (ms), or `null`. */
  sentAt: number | null;
  /** A save into a table instead of a message (table-outbox.ts): its `text` only labels it. */
  table?: TableRowSave;
  /** Set when the user took the send back (absent in items kept by older versions). */
  undo?: Undo | null;
}

/** A send the user took back. */
export interface Undo {
  askedAt: number;
  /**
   * Until when a request that left before the Undo may still write a copy (ms): a look for copies
   * that began earlier is made again then.
   */
  quietAt: number;
  /** When no copy was left (ms), or `null` while some may be. */
  doneAt: number | null;
  /** No request had left: nothing was ever written. */
  cancelled: boolean;
}

/** How patient delivery is. Only tests change it (the worker's test seam `deliveryTimingTestSeam`). */
export interface DeliveryTiming {
  /** The first retry waits about this long; each next one twice as long. */
  firstRetryMs: number;
  /** No wait is longer than this. */
  maxRetryMs: number;
  /** How long a request may take before its outcome counts as unknown. */
  requestTimeoutMs: number;
  /**
   * How long a request without an answer may still be written by the server: no resend before it
   * has passed, and a look again this long after a resend.
   */
  graceMs: number;
}

export const DEFAULT_TIMING: DeliveryTiming = {
  firstRetryMs: 2_000,
  maxRetryMs: 5 * 60_000,
  requestTimeoutMs: 20_000,
  graceMs: 60_000,
};

/** Sent items stay on show this long, so the popup can say "sent". */
export const KEEP_SENT_MS = 10 * 60_000;
/** Longest text accepted for one message. */
export const MAX_TEXT_LENGTH = 50_000;
/** Messages per page of a look: the server's own page size, so a short page means the book's end. */
export const LOOK_PAGE_SIZE = 50;
/** How many books the right-click menu offers as recently used. */
export const RECENT_BOOKS = 10;

/** Why a send cannot be kept, in words, or `null` when it can: it has text or files, and not too much text. */
export function refusedSend(t: Words, send: { text: string; hasFile: boolean }): string | null {
  if (!send.text.trim() && !send.hasFile) return t('enqueueEmpty');
  if (send.text.length > MAX_TEXT_LENGTH) return t('enqueueTooLong', MAX_TEXT_LENGTH);
  return null;
}

/** How `sendMsg` announces a file of this MIME type: images, audio and video are media, the rest documents. */
export function fileKind(type: string): Attachment['kind'] {
  return isMedia(type) ? 'media' : 'doc';
}

/** The recently used books (keys, latest first) once a send went to `key`. */
export function recentBooksAfterSend(recent: readonly string[], key: string): string[] {
  return [key, ...recent.filter((other) => other !== key)].slice(0, RECENT_BOOKS);
}

export function newItem(input: {
  uuid: string;
  account: Account;
  book: BookRef;
  bookTitle: string;
  text: string;
  sinceStamp: number;
  now: number;
  origin?: OutboxItem['origin'];
  attachments?: readonly Omit<Attachment, 'uploaded' | 'unknownOutcome'>[];
  note?: string;
}): OutboxItem {
  return {
    uuid: input.uuid,
    account: accountOf(input.account),
    book: { b_o: input.book.b_o, b_c: input.book.b_c },
    bookTitle: input.bookTitle,
    text: input.text,
    createdAt: input.now,
    origin: input.origin ?? 'popup',
    attachments: (input.attachments ?? []).map((file) => ({ ...file, uploaded: false, unknownOutcome: false })),
    note: input.note ?? null,
    sinceStamp: input.sinceStamp,
    status: 'pending',
    unknownOutcome: false,
    inFlightUntil: null,
    maybeWritten: 0,
    attempts: 0,
    notBefore: input.now,
    reason: null,
    smid: null,
    verifyAt: null,
    sentAt: null,
  };
}

/** The file whose upload comes next: the first one not confirmed. */
export function currentFile(item: OutboxItem): Attachment | null {
  return filesOf(item).find((file) => !file.uploaded) ?? null;
}

/** `sendMsg`'s announcement of the files to come: `nbMedias` images, audio and video, `nbDocs` the rest. */
export function announcedFiles(item: OutboxItem): { nbMedias?: number; nbDocs?: number } {
  const files = filesOf(item);
  const nbMedias = files.filter((file) => file.kind === 'media').length;
  const nbDocs = files.length - nbMedias;
  return { ...(nbMedias > 0 && { nbMedias }), ...(nbDocs > 0 && { nbDocs }) };
}

/** The item with its current file changed; every other file as it was. */
function withCurrentFile(item: OutboxItem, change: (file: Attachment) => Attachment): OutboxItem {
  const current = currentFile(item);
  if (!current) return item;
  return { ...item, attachment: undefined, attachments: filesOf(item).map((file) => (file === current ? change(file) : file)) };
}

/** What delivery does next for one item. */
export type Step =
  /** Post the message (record the attempt first). */
  | { kind: 'send'; item: OutboxItem }
  /** The last request's outcome is unknown: look for the uuid in the book. */
  | { kind: 'look'; item: OutboxItem }
  /** Delivered after a resend: look again for late copies. */
  | { kind: 'verify'; item: OutboxItem }
  /** The message exists: attach its next file (record the attempt first). */
  | { kind: 'upload'; item: OutboxItem }
  /** The last upload's outcome is unknown: look for that file on the message. */
  | { kind: 'lookUpload'; item: OutboxItem }
  /** A save into a table: its own step (table-outbox.ts `tableStep`). */
  | { kind: 'table'; item: OutboxItem }
  /** The user took the send back: delete its copies (`undoReach` says how). */
  | { kind: 'undo'; item: OutboxItem };

/**
 * The items that may move: delivered ones (a late-copy check may be due), and the oldest pending
 * item of each book, since items go out in order per book. A failed item steps aside until the
 * user retries it.
 */
function movable(items: readonly OutboxItem[], account: Account | null): OutboxItem[] {
  const heads = new Set<string>();
  const result: OutboxItem[] = [];
  for (const item of items) {
    if (!sameAccount(item.account, account)) continue;
    if (item.status !== 'pending') {
      if (item.verifyAt !== null) result.push(item);
      continue;
    }
    const book = bookKey(item.book);
    if (heads.has(book)) continue;
    heads.add(book);
    result.push(item);
  }
  return result;
}

/** The first step that may run now for `account`, if any. */
export function nextStep(items: readonly OutboxItem[], account: Account | null, now: number): Step | null {
  const candidates = movable(items, account);
  const ours = items.filter((item) => sameAccount(item.account, account));
  // Late copies first: a pending item may be on its upload while a copy of its message waits to go.
  const verify = ours.find((item) => item.verifyAt !== null && item.verifyAt <= now);
  if (verify) return { kind: 'verify', item: verify };
  // A send taken back goes before any other: the sooner its copies go, the fewer people see them.
  const undo = ours.find((item) => item.status === 'undoing' && item.notBefore <= now);
  if (undo) return { kind: 'undo', item: undo };
  for (const item of candidates) {
    if (item.status !== 'pending' || item.notBefore > now) continue;
    if (item.table) return { kind: 'table', item };
    if (item.smid === null) return { kind: item.unknownOutcome ? 'look' : 'send', item };
    const file = currentFile(item);
    if (file) return { kind: file.unknownOutcome ? 'lookUpload' : 'upload', item };
  }
  return null;
}

/** When delivery has something to do next for `account` (ms), or `null` for nothing. */
export function nextWakeAt(items: readonly OutboxItem[], account: Account | null): number | null {
  let wake: number | null = null;
  const consider = (at: number | null) => {
    if (at !== null && (wake === null || at < wake)) wake = at;
  };
  for (const item of items) if (sameAccount(item.account, account)) consider(item.verifyAt);
  for (const item of movable(items, account)) if (item.status === 'pending') consider(item.notBefore);
  for (const item of items) if (item.status === 'undoing' && sameAccount(item.account, account)) consider(item.notBefore);
  return wake;
}

/** Exponential back-off with jitter: about `firstRetryMs`, then doubling, capped at `maxRetryMs`. */
export function retryDelay(attempts: number, timing: DeliveryTiming, random: number): number {
  const ceiling = Math.min(timing.maxRetryMs, timing.firstRetryMs * 2 ** Math.max(0, attempts - 1));
  // "Equal jitter": never less than half the ceiling, so retries cannot bunch up at zero.
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** How a failed request counts. */
export type Failure =
  /**
   * The request may have been written. `answered`: the server answered (5xx, a body we cannot
   * read), so the request is over; otherwise (no answer, time-out) it may still be written.
   */
  | { kind: 'unknown'; reason: string; answered: boolean }
  /** The server said no: nothing was written, and asking again will not help. */
  | { kind: 'refused'; reason: string }
  /** Nothing was written; the keys were refused, so it waits until the user signs in again. */
  | { kind: 'signedOut'; reason: string };

/** Plain words for an API error, and how it counts. */
export function failureFor(t: Words, error: { kind: ApiErrorKind; message: string; details?: { status?: number } }): Failure {
  switch (error.kind) {
    case 'network':
    case 'cancelled':
      // The connection may have dropped after the request reached the server.
      return { kind: 'unknown', reason: t('failureUnreachable'), answered: false };
    case 'timeout':
      return { kind: 'unknown', reason: t('failureTimeout'), answered: false };
    case 'httpStatus':
      return { kind: 'unknown', reason: t('failureServerError', error.details?.status ?? '?'), answered: true };
    case 'badReply':
      return { kind: 'unknown', reason: t('failureBadReply'), answered: true };
    case 'invalidSession':
      // Only reached when renewing the session failed too.
      return { kind: 'unknown', reason: t('failureSessionNotRenewed'), answered: true };
    case 'badCredentials':
    case 'invalidAppkey':
      return { kind: 'signedOut', reason: t('failureSignInAgain') };
    case 'noRights':
      return { kind: 'refused', reason: t('failureNoRights') };
    case 'notFound':
      return { kind: 'refused', reason: t('failureBookGone') };
    case 'badInput':
    case 'refused':
      return { kind: 'refused', reason: t('failureRefused', error.message) };
  }
}

/**
 * Recorded durably before a send step: its outcome is unknown until a reply or a look. A send
 * taken back meanwhile stays as it is, and no request goes.
 */
export function beforeSend(item: OutboxItem): OutboxItem {
  if (item.status !== 'pending') return item;
  return { ...item, unknownOutcome: true, maybeWritten: item.maybeWritten + 1 };
}

/** A send step's request did not leave after all (the send was taken back first): nothing was written. */
export function sendNotLeft(item: OutboxItem): OutboxItem {
  return { ...item, unknownOutcome: false, maybeWritten: Math.max(0, item.maybeWritten - 1) };
}

/**
 * Recorded durably right before each `sendMsg` request leaves (a renewed session sends a second
 * one): until the grace delay has passed, or an answer came, it may still be written.
 */
export function sendLeaving(item: OutboxItem, now: number, timing: DeliveryTiming): OutboxItem {
  return { ...item, inFlightUntil: now + timing.graceMs };
}

/** The message exists with this id: it is delivered, unless files are still to go. */
export function afterSent(item: OutboxItem, smid: number, now: number, timing: DeliveryTiming): OutboxItem {
  const done = currentFile(item) === null;
  return {
    ...item,
    status: done ? 'sent' : 'pending',
    unknownOutcome: false,
    inFlightUntil: null,
    smid,
    reason: null,
    attempts: 0,
    notBefore: now,
    sentAt: done ? now : null,
    verifyAt: item.maybeWritten > 1 ? now + timing.graceMs : null,
  };
}

/**
 * Recorded durably before a `fileUpload` of the current file leaves. There is no way to delete a
 * second copy of a file, so an unknown outcome is looked into only after the grace delay, when a
 * request the server held has landed: the look then sees every copy there will be, and a second
 * upload never doubles one.
 */
export function beforeUpload(item: OutboxItem, now: number, timing: DeliveryTiming): OutboxItem {
  if (item.status !== 'pending' || !currentFile(item)) return item;
  return { ...withCurrentFile(item, (file) => ({ ...file, unknownOutcome: true })), notBefore: now + timing.graceMs };
}

/**
 * The file `uuid` is on the message: the next one may go at once; after the last, the item is
 * delivered. Only the current file counts: a repeated answer changes nothing.
 */
export function afterUploaded(item: OutboxItem, uuid: string, now: number): OutboxItem {
  if (currentFile(item)?.uuid !== uuid) return item;
  const next = withCurrentFile(item, (file) => ({ ...file, uploaded: true, unknownOutcome: false }));
  const done = currentFile(next) === null;
  return { ...next, status: done ? 'sent' : 'pending', reason: null, attempts: 0, notBefore: now, sentAt: done ? now : null };
}

/** A look for the file `uuid` found it, or found that it is not there and may be uploaded. */
export function afterLookUpload(item: OutboxItem, uuid: string, found: boolean, now: number): OutboxItem {
  if (currentFile(item)?.uuid !== uuid) return item;
  if (found) return afterUploaded(item, uuid, now);
  return { ...withCurrentFile(item, (file) => ({ ...file, unknownOutcome: false })), notBefore: now };
}

/** A request of a step failed. */
export function afterFailure(item: OutboxItem, step: Step['kind'], failure: Failure, now: number, timing: DeliveryTiming, random: number): OutboxItem {
  if (step === 'verify') {
    // The message is delivered; only the clean-up of late copies is put off.
    return { ...item, verifyAt: now + retryDelay(item.attempts + 1, timing, random) };
  }
  // A definite answer means that request wrote nothing; any answer means it is over.
  const definite = failure.kind !== 'unknown';
  const answered = definite || failure.answered;
  const settled: Partial<OutboxItem> =
    step === 'send' && definite
      ? { unknownOutcome: false, inFlightUntil: null, maybeWritten: item.maybeWritten - 1 }
      : step === 'send' && answered
        ? { inFlightUntil: null }
        : step === 'upload' && definite
          ? { attachments: withCurrentFile(item, (file) => ({ ...file, unknownOutcome: false })).attachments }
          : {};
  switch (failure.kind) {
    case 'unknown': {
      const attempts = item.attempts + 1;
      // An upload that may still be written keeps the grace delay set before it left; one the
      // server answered is over, and a look settles it at once.
      const heldUpload = step === 'upload' && !answered;
      const notBefore = Math.max(now + retryDelay(attempts, timing, random), heldUpload ? item.notBefore : 0);
      return { ...item, ...settled, attempts, reason: failure.reason, notBefore };
    }
    case 'refused':
      return { ...item, ...settled, status: 'failed', reason: failure.reason };
    case 'signedOut': {
      // Nothing goes until the same user signs in; the back-off keeps a refused key from spinning.
      const attempts = item.attempts + 1;
      return { ...item, ...settled, attempts, reason: failure.reason, notBefore: now + retryDelay(attempts, timing, random) };
    }
  }
}

/**
 * What to keep and what to delete among the live copies of an item found in its book: the copy the
 * item already knows as its own (its file may be on it), else the first. Either keeps the order of
 * a book: a later item is only sent once this one has a known copy.
 */
export function reconcile(copies: readonly number[], own: number | null): { keep: number | null; remove: number[] } {
  const sorted = [...new Set(copies)].sort((a, b) => a - b);
  const keep = own !== null && sorted.includes(own) ? own : (sorted[0] ?? null);
  return { keep, remove: sorted.filter((smid) => smid !== keep) };
}

/**
 * A look (or a verification) that began at `lookBegan` found these copies and removed every one but
 * `keep`. With a copy, the item is delivered. Without one, it is sent again, but only once the last
 * request is over: one without an answer is looked for again when its grace delay has passed. What
 * counts is when the look began: a copy written while it read the book may have been missed.
 */
export function afterLook(
  item: OutboxItem,
  step: 'look' | 'verify',
  keep: number | null,
  lookBegan: number,
  now: number,
  timing: DeliveryTiming,
): OutboxItem {
  if (step === 'verify') return { ...item, verifyAt: null, smid: keep ?? item.smid };
  const inFlightUntil = item.inFlightUntil ?? null;
  if (keep !== null) {
    const sent = afterSent(item, keep, now, timing);
    // The copy found may be an earlier request's while the last one, unanswered, is still held: the
    // last check waits for the grace delay after that request's own.
    return sent.verifyAt === null ? sent : { ...sent, verifyAt: Math.max(now, inFlightUntil ?? now) + timing.graceMs };
  }
  if (inFlightUntil !== null && lookBegan < inFlightUntil) return { ...item, notBefore: Math.max(now, inFlightUntil) };
  return { ...item, unknownOutcome: false, inFlightUntil: null, notBefore: now };
}

/**
 * Where a look goes on after this page of the book (newest first): the `smidLast` of the next
 * page, or `null` when it has seen every message that may be a copy. The API text promises the
 * changes since a stamp "without paging" only between `smidFirst` and `smidLast`, so a look pages
 * back from the newest message until it meets one unchanged since the item was made (that one, and
 * every older one, was there before any copy could be written) or the start of the book.
 */
export function nextLookPage(page: readonly { smid: number; sstamp: number }[], sinceStamp: number): number | null {
  if (page.length < LOOK_PAGE_SIZE || page.some((message) => message.sstamp <= sinceStamp)) return null;
  return Math.min(...page.map((message) => message.smid));
}

/** The item's file is no longer kept (its bytes are gone): it cannot be delivered as asked. */
export function afterFileLost(t: Words, item: OutboxItem): OutboxItem {
  return { ...item, status: 'failed', reason: t('failureFileLost') };
}

/** The user asked to try a failed or waiting item again, now. */
export function retryNow(item: OutboxItem, now: number): OutboxItem {
  if (item.status !== 'pending' && item.status !== 'failed') return item;
  return { ...item, status: 'pending', attempts: 0, notBefore: now, reason: null };
}

/** The network or the server is back: what waits for a retry may go at once (a send or an Undo). */
export function wakeWaiting(items: readonly OutboxItem[], now: number): OutboxItem[] {
  return items.map((item) => ((item.status === 'pending' || item.status === 'undoing') && item.notBefore > now ? { ...item, notBefore: now } : item));
}

/** Drops delivered and undone items once they have been on show long enough and need no more checking. */
export function pruneSent(items: readonly OutboxItem[], now: number): OutboxItem[] {
  return items.filter(
    (item) =>
      !(item.status === 'sent' && item.verifyAt === null && (item.sentAt ?? 0) + KEEP_SENT_MS <= now) &&
      !(item.status === 'undone' && (item.undo?.doneAt ?? 0) + KEEP_SENT_MS <= now),
  );
}

/** Right-click sends on their way and not set back: the badge shows them while they go. */
export function sendingFromMenu(items: readonly OutboxItem[]): number {
  return items.filter((item) => item.origin === 'menu' && item.status === 'pending' && item.reason === null).length;
}

// ---- Undo ----

/**
 * The user's Undo. A send no request has left for is cancelled at once: nothing goes, ever. Any
 * other is taken back: its copies are deleted by the `undo` step, and it is never delivered
 * afterwards. A delivered send may be taken back for `UNDO_WINDOW_MS`.
 */
export function askUndo(t: Words, item: OutboxItem, now: number, timing: DeliveryTiming): { item: OutboxItem } | { refused: string } {
  if (item.status === 'undoing' || item.status === 'undone') return { item };
  const until = undoableUntil(item);
  if (until === null) return { refused: t('undoNotPossible') };
  if (until < now) return { refused: t('undoTooLate', UNDO_WINDOW_MS / 1000) };
  if (nothingWritten(item)) {
    return { item: { ...item, status: 'undone', verifyAt: null, reason: null, undo: { askedAt: now, quietAt: now, doneAt: now, cancelled: true } } };
  }
  // A request without an answer may still write a copy: the deletion is checked again when the
  // late-copy check after a resend would be due (a grace delay after the request's own, or after
  // now when a look found nothing and a resend would go now), or when one is due already.
  const heldUntil = item.inFlightUntil ? item.inFlightUntil + timing.graceMs : 0;
  const unseen = item.smid === null ? now + timing.graceMs : 0;
  const quietAt = Math.max(now, heldUntil, unseen, item.verifyAt ?? 0);
  return {
    item: {
      ...item,
      status: 'undoing',
      verifyAt: null,
      reason: null,
      attempts: 0,
      notBefore: now,
      undo: { askedAt: now, quietAt, doneAt: null, cancelled: false },
    },
  };
}

/** No request of the send has left: there is nothing on the server to delete. */
function nothingWritten(item: OutboxItem): boolean {
  return item.smid === null && item.maybeWritten === 0 && !item.unknownOutcome;
}

/**
 * How the `undo` step reaches the send's copies: `none` when none was ever written, `delete` when
 * its one copy is known (one request, answered), else `look` for every copy of its uuid first.
 */
export function undoReach(item: OutboxItem): 'none' | 'delete' | 'look' {
  if (nothingWritten(item)) return 'none';
  const oneKnownCopy = item.smid !== null && item.maybeWritten <= 1 && !item.unknownOutcome && (item.inFlightUntil ?? null) === null;
  return oneKnownCopy ? 'delete' : 'look';
}

/**
 * A step that was under way when the user took the send back records what its request did (a
 * message id, a file on it, whether it may have written) and nothing else: the send stays taken
 * back, and a copy its request may still write is waited for.
 */
export function duringUndo(before: OutboxItem, after: OutboxItem): OutboxItem {
  if ((before.status !== 'undoing' && before.status !== 'undone') || !before.undo) return after;
  return {
    ...before,
    smid: after.smid ?? before.smid,
    unknownOutcome: after.unknownOutcome,
    inFlightUntil: after.inFlightUntil ?? null,
    maybeWritten: after.maybeWritten,
    attachments: after.attachments,
    // A resend answered after the Undo: the late-copy check it would have had.
    undo: { ...before.undo, quietAt: Math.max(before.undo.quietAt, after.verifyAt ?? 0) },
  };
}

/**
 * The undo step deleted every copy it found, in a look that began at `lookBegan` (or deleted the
 * one known copy). Done, unless a request may still write a copy the look could not see: then it
 * looks again once that cannot happen.
 */
export function afterUndoStep(item: OutboxItem, reach: 'none' | 'delete' | 'look', lookBegan: number, now: number): OutboxItem {
  const undo = item.undo ?? { askedAt: now, quietAt: now, doneAt: null, cancelled: false };
  if (reach === 'look' && lookBegan < undo.quietAt) return { ...item, reason: null, attempts: 0, notBefore: undo.quietAt };
  return {
    ...item,
    status: 'undone',
    unknownOutcome: false,
    inFlightUntil: null,
    reason: null,
    attempts: 0,
    undo: { ...undo, doneAt: now, cancelled: reach === 'none' },
  };
}

/**
 * An undo step failed. It is tried again later (signed out: once the user is back), unless the
 * server refused outright: then the send stays delivered, with the reason.
 */
export function afterUndoFailure(t: Words, item: OutboxItem, failure: Failure, now: number, timing: DeliveryTiming, random: number): OutboxItem {
  if (failure.kind === 'refused') {
    return { ...item, status: 'sent', sentAt: item.sentAt ?? now, undo: null, reason: t('undoRefused', failure.reason) };
  }
  const attempts = item.attempts + 1;
  return { ...item, attempts, reason: failure.reason, notBefore: now + retryDelay(attempts, timing, random) };
}
