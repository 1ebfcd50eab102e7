/**
 * The steps of a save into a table, run by the delivery loop (delivery.ts) through its ports: the
 * row with createOrUpdateTableRow, then the image into its cell with fileUpload. Every decision is
 * table-outbox.ts's; this only makes the calls and records their outcome.
 */
import { isApiError } from '../api';
import { afterFailure, failureFor, type OutboxItem } from '../domain/outbox';
import type { Account } from '../domain/refs';
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
  tableStep,
} from '../domain/table-outbox';
import { savedRowIn } from '../domain/table-save';
import type { DeliveryPorts } from './delivery';

/** How many of a table's newest rows a look goes through for the row a lost answer made. */
const LOOKBACK_ROWS = 50;

/** The item if this step delivered it or set it back; 'stopped' when the account is no longer signed in. */
export async function runTableStep(ports: DeliveryPorts, account: Account, item: OutboxItem): Promise<OutboxItem | null | 'stopped'> {
  const save = item.table!;
  const step = tableStep(save);
  if (step === null) return null;
  const { timing } = ports;
  const options = { timeoutMs: timing.requestTimeoutMs };
  try {
    if (step === 'createRow' || step === 'lookRow') {
      const reply = await ports.withSession(account, async (api, keys) => {
        if (step === 'lookRow') {
          // A look counts from when it began: a row written while it reads may be missed.
          const lookBegan = ports.now();
          const { nbRows } = await api.getTableValues(keys, save.catId, { offset: 0, maxRows: 1 }, options);
          const from = Math.max(save.rowsBefore ?? 0, (nbRows ?? 0) - LOOKBACK_ROWS);
          const recent = await api.getTableValues(keys, save.catId, { offset: from, maxRows: LOOKBACK_ROWS }, options);
          const found = savedRowIn(recent.rows, save.values);
          return { changed: await ports.change(item.uuid, (current) => afterLookRow(current, found, lookBegan, ports.now(), timing)) };
        }
        const rowsBefore = save.rowsBefore ?? (await api.getTableValues(keys, save.catId, { offset: 0, maxRows: 1 }, options)).nbRows ?? 0;
        // Recorded right before the request leaves: a stop or a lost answer after this means "look first".
        await ports.change(item.uuid, (current) => beforeCreateRow(current, rowsBefore, ports.now(), timing));
        const { rowId } = await api.createTableRow(keys, { tmpId: `tmp-${item.uuid}`, catId: save.catId, fieldValues: save.values }, options);
        return { changed: await ports.change(item.uuid, (current) => afterRowSaved(current, rowId, ports.now(), timing)) };
      });
      if (reply === null) return 'stopped';
      return delivered(reply.changed);
    }
    const image = save.image!;
    const rowId = save.rowId!;
    if (step === 'lookImage') {
      const reply = await ports.withSession(account, (api, keys) => api.getTableRows(keys, save.catId, { rowIds: [rowId] }, options));
      if (reply === null) return 'stopped';
      const files = reply.rows.find((row) => row.id === rowId)?.fieldValues[String(image.fieldId)];
      const found = Array.isArray(files) && files.some((file) => file.uuid === image.uuid);
      if (found) await ports.forgetAttachment(image.uuid);
      return delivered(await ports.change(item.uuid, (current) => afterLookImage(current, found, ports.now())));
    }
    const file = await ports.attachment(image.uuid);
    if (!file) {
      // The bytes are gone (storage cleared): the row is saved, the image cannot be.
      return delivered(await ports.change(item.uuid, (current) => afterImageLost(ports.t, current, ports.now())));
    }
    const reply = await ports.withSession(account, async (api, keys) => {
      await ports.change(item.uuid, (current) => beforeUploadImage(current, ports.now(), timing));
      return api.uploadToCell(keys, item.book, { rowId, fieldId: image.fieldId, uuid: image.uuid, file, name: image.name }, options);
    });
    if (reply === null) return 'stopped';
    await ports.forgetAttachment(image.uuid);
    return delivered(await ports.change(item.uuid, (current) => afterImageSaved(current, ports.now())));
  } catch (error) {
    if (!isApiError(error)) throw error;
    return ports.change(item.uuid, (current) => afterTableFailure(current, step, failureFor(ports.t, error), ports.now(), timing, ports.random()));
  }
}

/**
 * The last check after a resend: the table's rows since the save's first create are read again and
 * every late row holding its values is deleted (table-outbox.ts `lateRowCopies`). A failure only
 * puts the check off; the save is delivered already.
 */
export async function checkLateRows(ports: DeliveryPorts, account: Account, item: OutboxItem): Promise<'stopped' | null> {
  const save = item.table!;
  const options = { timeoutMs: ports.timing.requestTimeoutMs };
  try {
    const checked = await ports.withSession(account, async (api, keys) => {
      const { nbRows } = await api.getTableValues(keys, save.catId, { offset: 0, maxRows: 1 }, options);
      const from = lateCheckStart(save.rowsBefore, nbRows ?? 0);
      const late: number[] = [];
      for (let offset = from; offset < (nbRows ?? 0); offset += LOOKBACK_ROWS) {
        const page = await api.getTableValues(keys, save.catId, { offset, maxRows: LOOKBACK_ROWS }, options);
        late.push(...lateRowCopies(page.rows, save.values, save.rowId!));
      }
      for (const rowId of late) {
        await api.deleteTableRow(keys, rowId, options).catch((error: unknown) => {
          // Gone already (deleted by an earlier run): that is what we wanted.
          if (!isApiError(error, 'notFound')) throw error;
        });
      }
      return true;
    });
    if (checked === null) return 'stopped';
    await ports.change(item.uuid, afterRowCheck);
  } catch (error) {
    if (!isApiError(error)) throw error;
    await ports.change(item.uuid, (current) => afterFailure(current, 'verify', failureFor(ports.t, error), ports.now(), ports.timing, ports.random()));
  }
  return null;
}

const delivered = (item: OutboxItem | null) => (item?.status === 'sent' ? item : null);
