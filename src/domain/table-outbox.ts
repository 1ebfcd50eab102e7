/**
 * A save into a table as an outbox item (`OutboxItem.table`): its own steps beside a message's.
 * Pure. The row is created once, then the image goes into its cell once:
 * - before `createOrUpdateTableRow` leaves, the item records that its outcome is unknown and until
 *   when the server may still write it (the outbox's grace delay); after an answer that never came,
 *   the table's recent rows are looked through for one holding exactly the values saved, and the
 *   row is created again only when none is there and the grace delay has passed;
 * - before `fileUpload` leaves, the same; the cell is looked into only once the grace delay has
 *   passed, so a second upload never doubles a file that was merely held;
 * - as for a message, a create the server held past the grace delay may still be written after the
 *   resend, so once more than one create left (`creates > 1`) the table is looked through again a
 *   grace delay after the last create could still be written (`verifyAt`), and every row holding
 *   exactly the values saved but the item's own is deleted. A row written later still would stay.
 *   A file in a cell cannot be deleted, which is why the image goes only onto the item's own row.
 */
import { holdsValues, type TableRowSeen } from './table-save';
import { retryDelay, type DeliveryTiming, type Failure, type OutboxItem } from './outbox';
import type { Words } from './words';

export interface TableRowSave {
  catId: number;
  tableName: string;
  /** What goes in the row, by field id. */
  values: Record<string, string>;
  /** The image for a file field, its bytes in the attachment store under `uuid`. */
  image: { uuid: string; name: string; fieldId: number } | null;
  /** The window's draft: dropped once the row is saved, kept for a fix when it is refused. */
  draftKey: string;
  /** The table's row count before the first create: this save's row can only come after. */
  rowsBefore: number | null;
  rowId: number | null;
  /** A create left and its answer never came: look for the row before creating it again. */
  rowUnknown: boolean;
  /** How many create requests left that may have been written: more than one calls for a last check. */
  creates: number;
  imageUploaded: boolean;
  /** An upload left and its answer never came: look into the cell before uploading again. */
  imageUnknown: boolean;
  /** Until when the last request without an answer may still be written (ms), or null. */
  inFlightUntil: number | null;
}

export type TableStep = 'createRow' | 'lookRow' | 'uploadImage' | 'lookImage';

export function newTableRowSave(input: Pick<TableRowSave, 'catId' | 'tableName' | 'values' | 'image' | 'draftKey'>): TableRowSave {
  return { ...input, rowsBefore: null, rowId: null, rowUnknown: false, creates: 0, imageUploaded: false, imageUnknown: false, inFlightUntil: null };
}

/** How the list of sends names a save: its table and the first value filled in. */
export function tableSaveLabel(t: Words, tableName: string, values: Readonly<Record<string, string>>): string {
  const first = Object.values(values).find((value) => value.trim() !== '');
  return first === undefined ? t('tableRowIn', tableName) : t('labelled', t('tableRowIn', tableName), first.split('\n', 1)[0]!);
}

/** What a save does next, or null when it is done. */
export function tableStep(save: TableRowSave): TableStep | null {
  if (save.rowId === null) return save.rowUnknown ? 'lookRow' : 'createRow';
  if (save.image && !save.imageUploaded) return save.imageUnknown ? 'lookImage' : 'uploadImage';
  return null;
}

const withTable = (item: OutboxItem, change: Partial<TableRowSave>): OutboxItem => ({ ...item, table: { ...item.table!, ...change } });

/** Recorded durably right before a create leaves, with the row count seen before the first one. */
export function beforeCreateRow(item: OutboxItem, rowsBefore: number, now: number, timing: DeliveryTiming): OutboxItem {
  const save = item.table!;
  return withTable(item, { rowsBefore: save.rowsBefore ?? rowsBefore, rowUnknown: true, creates: save.creates + 1, inFlightUntil: now + timing.graceMs });
}

/**
 * The row exists: the save is done, unless its image is still to go. After a resend, the last check
 * for late rows waits for the grace delay after the last create that may still be written: the one
 * answered now is over, an unanswered one (`inFlightUntil`) is held at most until then.
 */
export function afterRowSaved(item: OutboxItem, rowId: number, now: number, timing: DeliveryTiming, heldUntil: number | null = null): OutboxItem {
  const saved = withTable(item, { rowId, rowUnknown: false, inFlightUntil: null });
  const done = tableStep(saved.table!) === null;
  const verifyAt = saved.table!.creates > 1 ? Math.max(now, heldUntil ?? now) + timing.graceMs : null;
  return { ...saved, status: done ? 'sent' : 'pending', reason: null, attempts: 0, notBefore: now, sentAt: done ? now : null, verifyAt };
}

/**
 * Where the last check starts reading the table: at the rows made since the save began. A deletion
 * moves rows back, never an older row forward, so an older row holding the same values (the same
 * page saved last week) is never taken for a copy and deleted; a copy that a deletion moved back is
 * missed, the safer way to miss. Without the count taken before the first create, nothing is read.
 */
export function lateCheckStart(rowsBefore: number | null, nbRows: number): number {
  return Math.min(rowsBefore ?? nbRows, nbRows);
}

/** The rows a last check deletes: every one holding exactly the values saved, but the item's own. */
export function lateRowCopies(rows: readonly TableRowSeen[], values: Readonly<Record<string, string>>, own: number): number[] {
  return rows.filter((row) => row.id !== own && holdsValues(row, values)).map((row) => row.id);
}

/** The last check is done: late rows were deleted. */
export function afterRowCheck(item: OutboxItem): OutboxItem {
  return { ...item, verifyAt: null };
}

/**
 * A look begun at `lookBegan` found this save's row, or not. Not finding it settles nothing while
 * the last create may still be written: the look is made again when its grace delay has passed.
 */
export function afterLookRow(item: OutboxItem, found: number | null, lookBegan: number, now: number, timing: DeliveryTiming): OutboxItem {
  const until = item.table!.inFlightUntil;
  // The row found may be an earlier create's while the last one, unanswered, is still held.
  if (found !== null) return afterRowSaved(item, found, now, timing, until);
  if (until !== null && lookBegan < until) return { ...item, notBefore: Math.max(now, until) };
  return { ...withTable(item, { rowUnknown: false, inFlightUntil: null }), notBefore: now };
}

/** Recorded durably right before an upload leaves: a look into the cell waits for the grace delay. */
export function beforeUploadImage(item: OutboxItem, now: number, timing: DeliveryTiming): OutboxItem {
  return { ...withTable(item, { imageUnknown: true, inFlightUntil: now + timing.graceMs }), notBefore: now + timing.graceMs };
}

/** The image is in its cell: the save is done. */
export function afterImageSaved(item: OutboxItem, now: number): OutboxItem {
  return { ...withTable(item, { imageUploaded: true, imageUnknown: false, inFlightUntil: null }), status: 'sent', reason: null, sentAt: now };
}

/** The image's bytes are no longer kept (storage cleared): the row is saved, and the confirmation says the image is not. */
export function afterImageLost(t: Words, item: OutboxItem, now: number): OutboxItem {
  return { ...withTable(item, { image: null, imageUnknown: false, inFlightUntil: null }), status: 'sent', reason: null, sentAt: now, note: t('tableImageNotSaved', t('failureFileLost')) };
}

/** A look into the cell found the image, or found that it may be uploaded. */
export function afterLookImage(item: OutboxItem, found: boolean, now: number): OutboxItem {
  if (found) return afterImageSaved(item, now);
  return { ...withTable(item, { imageUnknown: false, inFlightUntil: null }), notBefore: now };
}

/**
 * A request of a save's step failed. A definite answer wrote nothing, so the next try needs no
 * look; an unanswered one may still be written, so the next try (a look) waits for its grace delay.
 */
export function afterTableFailure(item: OutboxItem, step: TableStep, failure: Failure, now: number, timing: DeliveryTiming, random: number): OutboxItem {
  const definite = failure.kind !== 'unknown';
  const answered = definite || failure.answered;
  const settled: Partial<TableRowSave> =
    step === 'createRow' && definite
      ? { rowUnknown: false, creates: item.table!.creates - 1, inFlightUntil: null }
      : step === 'uploadImage' && definite
        ? { imageUnknown: false, inFlightUntil: null }
        : (step === 'createRow' || step === 'uploadImage') && answered
          ? { inFlightUntil: null }
          : {};
  const changed = withTable(item, settled);
  switch (failure.kind) {
    case 'refused':
      return { ...changed, status: 'failed', reason: failure.reason };
    case 'unknown':
    case 'signedOut': {
      const attempts = item.attempts + 1;
      const held = changed.table!.inFlightUntil ?? 0;
      return { ...changed, attempts, reason: failure.reason, notBefore: Math.max(now + retryDelay(attempts, timing, random), held) };
    }
  }
}
