/**
 * The outbox's own decisions, called directly: what a send may hold, when a look that finds nothing
 * settles a send, how far back a look pages, and what the worker only carries out.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api';
import {
  afterFailure,
  afterFileLost,
  afterLook,
  afterSent,
  afterUndoFailure,
  afterUndoStep,
  askUndo,
  beforeSend,
  beforeUpload,
  duringUndo,
  failureFor,
  fileKind,
  LOOK_PAGE_SIZE,
  MAX_TEXT_LENGTH,
  newItem,
  nextLookPage,
  nextStep,
  recentBooksAfterSend,
  pruneSent,
  refusedSend,
  retryNow,
  sendLeaving,
  undoReach,
  wakeWaiting,
  KEEP_SENT_MS,
  type DeliveryTiming,
  type OutboxItem,
} from '../../src/domain/outbox';
import { UNDO_WINDOW_MS, undoableUntil, viewOf } from '../../src/domain/outbox-view';
import { sameAccount } from '../../src/domain/refs';
import { english } from '../support/words';

const TIMING: DeliveryTiming = { firstRetryMs: 2_000, maxRetryMs: 300_000, requestTimeoutMs: 20_000, graceMs: 60_000 };
const ACCOUNT = { server: 'https://timetonic.com', o_u: 'demo' };
const T0 = 1_700_000_000_000;
const item = () => newItem({ uuid: 'u1', account: ACCOUNT, book: { b_o: 'alice', b_c: 'inbox' }, bookTitle: 'Inbox', text: 'Hello', sinceStamp: 100, now: T0 });
/** An item whose sendMsg left at T0 and failed as `error` says, at T0 + 20 s. */
function sentAndFailed(error: ApiError) {
  const leaving = sendLeaving(beforeSend(item()), T0, TIMING);
  return afterFailure(leaving, 'send', failureFor(english, error), T0 + 20_000, TIMING, 0.5);
}

describe('a look that finds nothing', () => {
  it('settles nothing while a request without an answer may still be written: it looks again when the grace delay ends', () => {
    const timedOut = sentAndFailed(new ApiError('timeout', 'no answer'));
    expect(nextStep([timedOut], ACCOUNT, timedOut.notBefore)?.kind).toBe('look');
    const looked = afterLook(timedOut, 'look', null, T0 + 22_000, T0 + 22_010, TIMING);
    expect(looked).toMatchObject({ unknownOutcome: true, notBefore: T0 + 60_000 });
    expect(nextStep([looked], ACCOUNT, T0 + 59_999)).toBeNull();
    expect(nextStep([looked], ACCOUNT, T0 + 60_000)?.kind).toBe('look');
    // Past the grace delay, nothing found means nothing was written: it goes again.
    const again = afterLook(looked, 'look', null, T0 + 60_000, T0 + 60_010, TIMING);
    expect(again).toMatchObject({ unknownOutcome: false, inFlightUntil: null });
    expect(nextStep([again], ACCOUNT, T0 + 60_010)?.kind).toBe('send');
  });

  it('settles it at once when the server answered, even with a 5xx or a body it could not read', () => {
    for (const error of [new ApiError('httpStatus', 'HTTP 503', { status: 503 }), new ApiError('badReply', 'not JSON')]) {
      const answered = sentAndFailed(error);
      expect(answered).toMatchObject({ unknownOutcome: true, inFlightUntil: null });
      expect(nextStep([afterLook(answered, 'look', null, T0 + 22_000, T0 + 22_010, TIMING)], ACCOUNT, T0 + 22_010)?.kind).toBe('send');
    }
  });

  it('counts from when the look began: a copy written while it read the book may have been missed', () => {
    const timedOut = sentAndFailed(new ApiError('timeout', 'no answer'));
    const looked = afterLook(timedOut, 'look', null, T0 + 59_990, T0 + 60_500, TIMING);
    expect(looked).toMatchObject({ unknownOutcome: true, notBefore: T0 + 60_500 });
    expect(nextStep([looked], ACCOUNT, T0 + 60_500)?.kind).toBe('look');
  });

  it('waits as long after a worker stopped mid-request: the request was recorded before it left', () => {
    const stopped = sendLeaving(beforeSend(item()), T0, TIMING);
    expect(afterLook(stopped, 'look', null, T0 + 1_000, T0 + 1_010, TIMING).notBefore).toBe(T0 + 60_000);
  });

  it('after a resend, checks for late copies a grace delay after the last request could still be written', () => {
    const resent = { ...sentAndFailed(new ApiError('timeout', 'no answer')), maybeWritten: 2 };
    expect(afterLook(resent, 'look', 42, T0 + 21_000, T0 + 21_010, TIMING).verifyAt).toBe(T0 + 120_000);
  });

  it('a look that finds the message delivers it, however early', () => {
    const timedOut = sentAndFailed(new ApiError('network', 'connection closed'));
    expect(afterLook(timedOut, 'look', 42, T0 + 21_000, T0 + 21_010, TIMING)).toMatchObject({ status: 'sent', smid: 42, inFlightUntil: null });
  });
});

describe('how far back a look pages', () => {
  const page = (from: number, stamp: (smid: number) => number) =>
    Array.from({ length: LOOK_PAGE_SIZE }, (_, i) => ({ smid: from - i, sstamp: stamp(from - i) }));

  it('stops at the start of the book: a short page', () => {
    expect(nextLookPage([{ smid: 9, sstamp: 500 }], 100)).toBeNull();
  });

  it('stops at a message unchanged since the item was made: every copy is newer', () => {
    expect(nextLookPage(page(300, (smid) => (smid === 260 ? 90 : 400)), 100)).toBeNull();
  });

  it('goes on before the oldest message of a full page of newer ones', () => {
    expect(nextLookPage(page(300, () => 400), 100)).toBe(251);
  });
});

describe('what the worker only carries out', () => {
  it('refuses an empty send and one too long, in words', () => {
    expect(refusedSend(english, { text: ' \n ', hasFile: false })).toBe(english('enqueueEmpty'));
    expect(refusedSend(english, { text: '', hasFile: true })).toBeNull();
    expect(refusedSend(english, { text: 'x'.repeat(MAX_TEXT_LENGTH + 1), hasFile: false })).toBe(english('enqueueTooLong', MAX_TEXT_LENGTH));
    expect(refusedSend(english, { text: 'x'.repeat(MAX_TEXT_LENGTH), hasFile: false })).toBeNull();
  });

  it('announces images, audio and video as media, anything else as a document', () => {
    expect(['image/png', 'audio/ogg', 'video/mp4', 'application/pdf', ''].map(fileKind)).toEqual(['media', 'media', 'media', 'doc', 'doc']);
  });

  it('fails an item whose file is lost, with the reason', () => {
    expect(afterFileLost(english, item())).toMatchObject({ status: 'failed', reason: english('failureFileLost') });
  });

  it('puts the book just used first among ten recent books', () => {
    const recent = Array.from({ length: 10 }, (_, i) => `b/${i}`);
    expect(recentBooksAfterSend(recent, 'b/4')).toEqual(['b/4', ...recent.filter((key) => key !== 'b/4')]);
    expect(recentBooksAfterSend(recent, 'new')).toEqual(['new', ...recent.slice(0, 9)]);
  });

  it('tells accounts apart by user and server; no account is nobody', () => {
    expect(sameAccount(ACCOUNT, { ...ACCOUNT })).toBe(true);
    expect(sameAccount(ACCOUNT, { ...ACCOUNT, server: 'http://127.0.0.1:8750' })).toBe(false);
    expect(sameAccount(null, null)).toBe(false);
  });
});

describe('Undo', () => {
  const taken = (answer: { item: OutboxItem } | { refused: string }) => {
    if ('refused' in answer) throw new Error(answer.refused);
    return answer.item;
  };
  const delivered = () => afterSent(sendLeaving(beforeSend(item()), T0, TIMING), 42, T0 + 100, TIMING);

  it('cancels a send no request has left for: nothing to delete, and no request will ever go', () => {
    const cancelled = taken(askUndo(english, item(), T0 + 5, TIMING));
    expect(cancelled).toMatchObject({ status: 'undone', undo: { cancelled: true, doneAt: T0 + 5 } });
    expect(nextStep([cancelled], ACCOUNT, T0 + 10)).toBeNull();
    // A send step already chosen records nothing, and so sends nothing.
    expect(beforeSend(cancelled)).toBe(cancelled);
    expect(retryNow(cancelled, T0 + 10)).toBe(cancelled);
    expect(viewOf(english, cancelled, ACCOUNT)).toEqual({ state: 'deleted', cancelled: true });
  });

  it('takes a delivered send back for 30 seconds, deleting its one known copy directly', () => {
    const sent = delivered();
    expect(undoableUntil(sent)).toBe(T0 + 100 + UNDO_WINDOW_MS);
    const undoing = taken(askUndo(english, sent, T0 + 100 + UNDO_WINDOW_MS, TIMING));
    expect(undoing).toMatchObject({ status: 'undoing', smid: 42 });
    expect(undoReach(undoing)).toBe('delete');
    expect(nextStep([undoing], ACCOUNT, T0 + 100 + UNDO_WINDOW_MS)).toMatchObject({ kind: 'undo' });
    expect(viewOf(english, undoing, ACCOUNT)).toEqual({ state: 'deleting', reason: null });
    const done = afterUndoStep(undoing, 'delete', T0 + 30_200, T0 + 30_300);
    expect(done).toMatchObject({ status: 'undone', undo: { cancelled: false, doneAt: T0 + 30_300 } });
    expect(viewOf(english, done, ACCOUNT)).toEqual({ state: 'deleted', cancelled: false });
    expect(undoableUntil(done)).toBeNull();
  });

  it('refuses a delivered send after 30 seconds, a failed one and a save into a table, in words', () => {
    expect(askUndo(english, delivered(), T0 + 101 + UNDO_WINDOW_MS, TIMING)).toEqual({ refused: 'Too late to undo: it was delivered more than 30 seconds ago.' });
    expect(askUndo(english, { ...item(), status: 'failed', reason: 'No rights' }, T0, TIMING)).toEqual({ refused: 'This send cannot be undone.' });
    const row = { ...item(), table: { catId: 1 } as OutboxItem['table'] };
    expect(undoableUntil(row)).toBeNull();
  });

  it('looks for every copy of a send whose outcome is unknown, and once more after a request still held may have written', () => {
    const leaving = sendLeaving(beforeSend(item()), T0, TIMING);
    const undoing = taken(askUndo(english, leaving, T0 + 1_000, TIMING));
    expect(undoReach(undoing)).toBe('look');
    // The request may be written until T0 + grace; a copy written that late is looked for a grace delay after.
    expect(undoing.undo!.quietAt).toBe(T0 + 2 * TIMING.graceMs);
    const early = afterUndoStep(undoing, 'look', T0 + 2_000, T0 + 3_000);
    expect(early).toMatchObject({ status: 'undoing', notBefore: T0 + 2 * TIMING.graceMs });
    expect(afterUndoStep(early, 'look', T0 + 2 * TIMING.graceMs, T0 + 2 * TIMING.graceMs + 50)).toMatchObject({ status: 'undone' });
  });

  it('keeps a send taken back so whatever its running step records, and learns the copy it wrote', () => {
    const leaving = sendLeaving(beforeSend(item()), T0, TIMING);
    const undoing = taken(askUndo(english, leaving, T0 + 10, TIMING));
    const answered = duringUndo(undoing, afterSent(undoing, 77, T0 + 20, TIMING));
    expect(answered).toMatchObject({ status: 'undoing', smid: 77, inFlightUntil: null, unknownOutcome: false, verifyAt: null });
    expect(undoReach(answered)).toBe('delete');
    // An upload chosen before the Undo does not leave.
    expect(beforeUpload({ ...answered, attachments: [{ uuid: 'f', name: 'a.png', type: 'image/png', size: 1, kind: 'media', uploaded: false, unknownOutcome: false }] }, T0, TIMING).status).toBe('undoing');
  });

  it('retries a deletion that failed, and leaves the send delivered, with the reason, when the server refuses', () => {
    const undoing = taken(askUndo(english, delivered(), T0 + 200, TIMING));
    const retried = afterUndoFailure(english, undoing, { kind: 'unknown', reason: 'TimeTonic could not be reached', answered: false }, T0 + 300, TIMING, 0.5);
    expect(retried).toMatchObject({ status: 'undoing', attempts: 1, reason: 'TimeTonic could not be reached' });
    expect(retried.notBefore).toBeGreaterThan(T0 + 300);
    expect(wakeWaiting([retried], T0 + 400)[0]!.notBefore).toBe(T0 + 400);
    expect(viewOf(english, retried, ACCOUNT)).toEqual({ state: 'deleting', reason: 'TimeTonic could not be reached' });
    const refused = afterUndoFailure(english, undoing, { kind: 'refused', reason: 'You may not do this' }, T0 + 300, TIMING, 0.5);
    expect(refused).toMatchObject({ status: 'sent', undo: null, reason: 'Not deleted: You may not do this' });
    expect(viewOf(english, refused, ACCOUNT)).toEqual({ state: 'notDeleted', reason: 'Not deleted: You may not do this' });
    expect(undoableUntil(refused)).toBeNull();
  });

  it('keeps an undone send on show as long as a delivered one, then drops it', () => {
    const done = taken(askUndo(english, item(), T0, TIMING));
    expect(pruneSent([done], T0 + KEEP_SENT_MS - 1)).toEqual([done]);
    expect(pruneSent([done], T0 + KEEP_SENT_MS)).toEqual([]);
  });
});
