/**
 * A save into a table as an outbox item, its decisions called directly: the row once, then the
 * image once; a lost answer looked for before anything is sent again; a refusal kept with its
 * reason; never sent as another user; and what the notifications and lists say of it.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api';
import { sendNotifications } from '../../src/domain/notifications';
import { messageLines } from '../../src/domain/message-lines';
import { failureFor, newItem, nextStep, nextWakeAt, type DeliveryTiming, type OutboxItem } from '../../src/domain/outbox';
import {
  afterImageLost,
  afterImageSaved,
  afterLookImage,
  afterLookRow,
  afterRowCheck,
  afterRowSaved,
  afterTableFailure,
  beforeCreateRow,
  beforeUploadImage,
  lateCheckStart,
  lateRowCopies,
  newTableRowSave,
  tableSaveLabel,
  tableStep,
} from '../../src/domain/table-outbox';
import { english } from '../support/words';

const TIMING: DeliveryTiming = { firstRetryMs: 2_000, maxRetryMs: 300_000, requestTimeoutMs: 20_000, graceMs: 60_000 };
const ACCOUNT = { server: 'https://timetonic.com', o_u: 'demo' };
const BOOK = { b_o: 'demo', b_c: 'marketing' };
const T0 = 1_700_000_000_000;

function tableItem(withImage = false): OutboxItem {
  return {
    ...newItem({ uuid: 't1', account: ACCOUNT, book: BOOK, bookTitle: 'Marketing', text: 'Row in Reading list', sinceStamp: 0, now: T0, origin: 'menu' }),
    table: newTableRowSave({
      catId: 7,
      tableName: 'Reading list',
      values: { '1': 'Field guide', '2': 'https://example.com/' },
      image: withImage ? { uuid: 'img', name: 'cover.png', fieldId: 5 } : null,
      draftKey: 'clip',
    }),
  };
}
const step = (item: OutboxItem, now = item.notBefore) => {
  const next = nextStep([item], ACCOUNT, now);
  return next?.kind === 'table' ? tableStep(next.item.table!) : next?.kind ?? null;
};
const fail = (item: OutboxItem, kind: ReturnType<typeof tableStep> & string, error: ApiError, now: number) =>
  afterTableFailure(item, kind, failureFor(english, error), now, TIMING, 0.5);

describe('a save into a table in the outbox', () => {
  it('creates the row, then uploads the image, then is delivered', () => {
    const item = tableItem(true);
    expect(step(item)).toBe('createRow');
    const leaving = beforeCreateRow(item, 12, T0, TIMING);
    expect(leaving.table).toMatchObject({ rowsBefore: 12, rowUnknown: true, inFlightUntil: T0 + 60_000 });
    const rowSaved = afterRowSaved(leaving, 40, T0 + 100, TIMING);
    expect(rowSaved).toMatchObject({ status: 'pending', table: { rowId: 40, rowUnknown: false, inFlightUntil: null } });
    expect(step(rowSaved)).toBe('uploadImage');
    const uploading = beforeUploadImage(rowSaved, T0 + 200, TIMING);
    expect(afterImageSaved(uploading, T0 + 300)).toMatchObject({ status: 'sent', sentAt: T0 + 300, table: { imageUploaded: true } });
  });

  it('is delivered with its row when it has no image', () => {
    expect(afterRowSaved(beforeCreateRow(tableItem(), 0, T0, TIMING), 3, T0 + 1, TIMING)).toMatchObject({ status: 'sent', sentAt: T0 + 1 });
  });

  it('keeps the row count seen before its first create', () => {
    const again = beforeCreateRow(beforeCreateRow(tableItem(), 12, T0, TIMING), 13, T0 + 70_000, TIMING);
    expect(again.table!.rowsBefore).toBe(12);
  });

  it('looks for its row after an answer that never came, and settles nothing until the grace delay has passed', () => {
    const timedOut = fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('timeout', 'no answer'), T0 + 20_000);
    expect(timedOut).toMatchObject({ status: 'pending', table: { rowUnknown: true } });
    // The next try is a look, and not before the request may still be written.
    expect(timedOut.notBefore).toBe(T0 + 60_000);
    expect(step(timedOut, T0 + 59_999)).toBeNull();
    expect(step(timedOut)).toBe('lookRow');
    // A look begun before the end of the grace delay that finds nothing waits for it and looks again.
    const early = afterLookRow(timedOut, null, T0 + 59_999, T0 + 60_100, TIMING);
    expect(early.table!.rowUnknown).toBe(true);
    expect(step(early)).toBe('lookRow');
    // Begun after it: nothing found means nothing was written, and the row is created.
    const late = afterLookRow(early, null, T0 + 60_000, T0 + 60_100, TIMING);
    expect(late.table).toMatchObject({ rowUnknown: false, inFlightUntil: null });
    expect(step(late)).toBe('createRow');
  });

  it('takes the row a look found as its own, without creating another', () => {
    const timedOut = fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('network', 'reset'), T0 + 1_000);
    expect(afterLookRow(timedOut, 41, T0 + 60_000, T0 + 60_100, TIMING)).toMatchObject({ status: 'sent', table: { rowId: 41, rowUnknown: false } });
  });

  it('needs no last check when only one create left', () => {
    expect(afterRowSaved(beforeCreateRow(tableItem(), 0, T0, TIMING), 3, T0 + 1, TIMING).verifyAt).toBeNull();
    // A create refused outright wrote nothing: the one after it is the only one.
    const refusedThenSent = beforeCreateRow(fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('noRights', 'no'), T0 + 10), 0, T0 + 20, TIMING);
    expect(refusedThenSent.table!.creates).toBe(1);
  });

  it('after a resend, checks the table once more a grace delay after the last create that may still be written', () => {
    const timedOut = fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('timeout', 'no answer'), T0 + 20_000);
    const resend = beforeCreateRow(afterLookRow(timedOut, null, T0 + 60_000, T0 + 60_100, TIMING), 0, T0 + 60_200, TIMING);
    expect(resend.table!.creates).toBe(2);
    // Answered: that create is over, so the check waits for the grace delay from now.
    const answered = afterRowSaved(resend, 42, T0 + 60_300, TIMING);
    expect(answered).toMatchObject({ status: 'sent', verifyAt: T0 + 60_300 + 60_000 });
    expect(nextStep([answered], ACCOUNT, T0 + 120_299)).toBeNull();
    expect(nextStep([answered], ACCOUNT, T0 + 120_300)).toMatchObject({ kind: 'verify' });
    // The resend held too, and a look finds the first create's row: the check waits for the resend's grace delay, then one more.
    const heldAgain = fail(resend, 'createRow', new ApiError('timeout', 'no answer'), T0 + 80_200);
    const found = afterLookRow(heldAgain, 41, T0 + 90_000, T0 + 90_100, TIMING);
    expect(found).toMatchObject({ status: 'sent', table: { rowId: 41 }, verifyAt: T0 + 60_200 + 60_000 + 60_000 });
    expect(afterRowCheck(found).verifyAt).toBeNull();
  });

  it('deletes in the last check every row holding exactly the values saved, but its own', () => {
    const values = { '1': 'Field guide', '2': 'https://example.com/' };
    const rows = [
      { id: 40, cells: { '1': 'Field guide', '2': 'https://example.com/' } },
      { id: 41, cells: { '1': 'Field guide', '2': 'https://example.com/other' } },
      { id: 42, cells: { '1': 'Field guide', '2': 'https://example.com/', '9': [] } },
      { id: 43, cells: { '1': 'Field guide' } },
      { id: 44, cells: { '1': 'Field guide', '2': 'https://example.com/' } },
    ];
    expect(lateRowCopies(rows, values, 42)).toEqual([40, 44]);
    expect(lateRowCopies(rows.slice(1, 4), values, 42)).toEqual([]);
  });

  it('reads in the last check only the rows made since the save began, never an older row with the same values', () => {
    // 30 rows before the save, 33 now: the save's own row and two copies are at 30 to 32.
    expect(lateCheckStart(30, 33)).toBe(30);
    // Rows deleted since: the save's rows moved back, an older one never moved forward.
    expect(lateCheckStart(30, 28)).toBe(28);
    // No count taken before the first create: nothing is read, so nothing is deleted.
    expect(lateCheckStart(null, 33)).toBe(33);
  });

  it('looks at once when the server answered the create with a 5xx: that request is over', () => {
    const answered = fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('httpStatus', 'HTTP 503', { status: 503 }), T0 + 1_000);
    expect(answered.table).toMatchObject({ rowUnknown: true, inFlightUntil: null });
    expect(answered.notBefore).toBeLessThan(T0 + 60_000);
    expect(afterLookRow(answered, null, answered.notBefore, answered.notBefore, TIMING).table!.rowUnknown).toBe(false);
  });

  it('keeps a refused value with its reason in words, and tries no more', () => {
    const refused = fail(beforeCreateRow(tableItem(), 0, T0, TIMING), 'createRow', new ApiError('refused', '"Added" takes a date as DD/MM/YYYY'), T0 + 500);
    expect(refused).toMatchObject({ status: 'failed', table: { rowUnknown: false, inFlightUntil: null } });
    expect(refused.reason).toMatch(/"Added" takes a date as DD\/MM\/YYYY/);
    expect(step(refused, T0 + 10 * 60_000)).toBeNull();
    expect(nextWakeAt([refused], ACCOUNT)).toBeNull();
  });

  it('looks into the cell only once the grace delay after an upload without an answer has passed', () => {
    const rowSaved = afterRowSaved(beforeCreateRow(tableItem(true), 0, T0, TIMING), 40, T0, TIMING);
    const uploading = beforeUploadImage(rowSaved, T0 + 100, TIMING);
    const lost = fail(uploading, 'uploadImage', new ApiError('timeout', 'no answer'), T0 + 20_100);
    expect(lost.notBefore).toBe(T0 + 60_100);
    expect(step(lost, T0 + 60_099)).toBeNull();
    expect(step(lost)).toBe('lookImage');
    expect(afterLookImage(lost, true, T0 + 60_200)).toMatchObject({ status: 'sent', table: { imageUploaded: true } });
    const missing = afterLookImage(lost, false, T0 + 60_200);
    expect(step(missing)).toBe('uploadImage');
  });

  it('looks into the cell at once after a 500 on the upload', () => {
    const rowSaved = afterRowSaved(beforeCreateRow(tableItem(true), 0, T0, TIMING), 40, T0, TIMING);
    const failed = fail(beforeUploadImage(rowSaved, T0, TIMING), 'uploadImage', new ApiError('httpStatus', 'HTTP 500', { status: 500 }), T0 + 50);
    // A 500 may have kept the file: the cell is looked into first, at once since the request is over.
    expect(failed.table).toMatchObject({ imageUnknown: true, inFlightUntil: null });
    expect(step(failed)).toBe('lookImage');
  });

  it('is saved without its image when the image’s bytes are no longer kept, and says so', () => {
    const rowSaved = afterRowSaved(beforeCreateRow(tableItem(true), 0, T0, TIMING), 40, T0, TIMING);
    const lost = afterImageLost(english, rowSaved, T0 + 1);
    expect(lost).toMatchObject({ status: 'sent', table: { rowId: 40, image: null } });
    expect(lost.note).toMatch(/The row is saved, but not the image/);
    expect(sendNotifications(english, { delivered: [lost], setBack: [] })[0]!.message).toBe(lost.note);
  });

  it('is never sent as another user', () => {
    expect(nextStep([tableItem()], { server: ACCOUNT.server, o_u: 'someone' }, T0)).toBeNull();
    expect(nextStep([tableItem()], null, T0)).toBeNull();
  });
});

describe('what is said of a save into a table', () => {
  it('is named by its table and first value', () => {
    expect(tableSaveLabel(english, 'Reading list', { '3': ' ', '1': 'Field guide\nmore' })).toBe('Row in Reading list: Field guide');
    expect(tableSaveLabel(english, 'Reading list', {})).toBe('Row in Reading list');
  });

  it('says "Saved to <table> in <book>" with Open in TimeTonic, or the reason and that it will be retried, or how to fix a refusal', () => {
    const saved = afterRowSaved(tableItem(), 3, T0, TIMING);
    expect(sendNotifications(english, { delivered: [saved], setBack: [] })).toEqual([
      { id: 'sent:demo/marketing', book: BOOK, title: 'Saved to Reading list in Marketing', message: 'Click to open it in TimeTonic.', openButton: 'Open in TimeTonic' },
    ]);
    const waiting = fail(tableItem(), 'createRow', new ApiError('network', 'down'), T0);
    expect(sendNotifications(english, { delivered: [], setBack: [waiting] })[0]).toMatchObject({ title: 'Not saved yet to Reading list', message: expect.stringMatching(/will be retried/) });
    const refused = fail(tableItem(), 'createRow', new ApiError('refused', 'bad date'), T0);
    expect(sendNotifications(english, { delivered: [], setBack: [refused] })[0]).toMatchObject({ title: 'Not saved to Reading list', message: expect.stringMatching(/bad date.*again on the same page/) });
  });

  it('is not a message of the book’s conversation', () => {
    expect(messageLines(english, undefined, [tableItem()], BOOK, ACCOUNT)).toEqual([]);
  });
});
