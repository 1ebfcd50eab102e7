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
  beforeSend,
  failureFor,
  fileKind,
  LOOK_PAGE_SIZE,
  MAX_TEXT_LENGTH,
  newItem,
  nextLookPage,
  nextStep,
  recentBooksAfterSend,
  refusedSend,
  sendLeaving,
  type DeliveryTiming,
} from '../../src/domain/outbox';
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
