/**
 * "Save to a table…": the worker fetches a book's tables for the window (pages never call the
 * API), and saves the window's row: the row with createOrUpdateTableRow, then the image into its
 * cell with fileUpload. A save whose answer never came looks for its row before creating it again.
 */
import { isApiError, type ApiError, type BookRef, type SessionKeys, type TimeTonicClient } from '../api';
import { bookKey } from '../domain/books';
import { failureFor } from '../domain/outbox';
import type { Role } from '../domain/table-fill';
import { mayStillArrive, savedRowIn, tableChoicesKey, type BookTables, type TableSpec } from '../domain/table-save';
import { t } from '../shared/i18n';
import type { Responses } from '../shared/messages';
import { authItem, bookCacheItem, lastTableItem, pendingPicksItem, recentBooksItem, tableCacheItem, tableChoicesItem, tableSavesItem } from '../shared/state';
import { fetchImage } from './capture';
import { deliveryTimingTestSeam } from './outbox';
import { showNotifications } from './notify';
import { withSession } from './session';

/** How many of a table's newest rows a save looks through for the row its lost answer made. */
const LOOKBACK_ROWS = 50;

/** A try whose request may still be written by the server: another now could make a second copy. */
class StillRunning extends Error {}

/** Whether a look begun at `lookBegan` can miss what the request sent at `sentAt` writes. */
async function mayStillBeWritten(sentAt: number | undefined, lookBegan: number): Promise<boolean> {
  return mayStillArrive(sentAt, lookBegan, (await deliveryTimingTestSeam.get()).graceMs);
}

function tablesKey(auth: { server: string; o_u: string }, book: BookRef): string {
  return `${auth.server}|${auth.o_u}|${bookKey(book)}`;
}

/** The error in the user's words; the server's own words when it refused a value. */
function reasonOf(error: ApiError): string {
  if (error.kind === 'badInput' || error.kind === 'refused') return t('tableRefused', error.message.replace(/^\w+: /, ''));
  return failureFor(t, error).reason;
}

/** A book's tables: the cached ones, else fetched (and cached). */
export async function bookTables(book: BookRef, refresh = false): Promise<Responses['bookTables']> {
  const auth = await authItem.get();
  if (!auth) return { ok: false, error: t('notSignedIn') };
  const key = tablesKey(auth, book);
  const cached = (await tableCacheItem.get())[key];
  if (cached && !refresh) return { ok: true, canWrite: cached.canWrite, tables: cached.tables, choices: await choicesFor(auth, book, cached.tables) };
  try {
    const reply = await withSession((api, keys) => api.getBookTables(keys, book), auth);
    if (reply === null) return { ok: false, error: t('notSignedIn') };
    const fetched: BookTables = {
      canWrite: reply.canWrite,
      tables: reply.tables.map((table): TableSpec => ({ id: table.id, name: table.name, fields: table.fields })),
    };
    await tableCacheItem.set({ ...(await tableCacheItem.get()), [key]: { ...fetched, fetchedAt: Date.now() } });
    return { ok: true, ...fetched, choices: await choicesFor(auth, book, fetched.tables) };
  } catch (error) {
    if (!isApiError(error)) throw error;
    return { ok: false, error: reasonOf(error) };
  }
}

/** The user's earlier choices for each of these tables, by table id. */
async function choicesFor(account: { server: string; o_u: string }, book: BookRef, tables: readonly TableSpec[]) {
  const all = await tableChoicesItem.get();
  const choices: Record<string, Record<string, Role | null>> = {};
  for (const table of tables) {
    const kept = all[tableChoicesKey(account, bookKey(book), table.id)];
    if (kept) choices[String(table.id)] = kept;
  }
  return choices;
}

export interface TableSaveRequest {
  pick: string;
  book: BookRef;
  catId: number;
  values: Record<string, string>;
  imageFieldId: number | null;
  choices: Record<string, Role | null>;
}

/** Saves the window's row; the window stays open with the reason when it could not. */
export async function saveToTable(request: TableSaveRequest): Promise<Responses['saveToTable']> {
  const { pick, book, catId, values, imageFieldId } = request;
  const auth = await authItem.get();
  if (!auth) return { ok: false, error: t('notSignedIn') };
  const pending = (await pendingPicksItem.get())[pick];
  if (!pending) return { ok: false, error: t('sendExpired') };
  const tables = (await tableCacheItem.get())[tablesKey(auth, book)];
  const table = tables?.tables.find((candidate) => candidate.id === catId);
  const bookTitle = (await bookCacheItem.get()).books[bookKey(book)]?.title ?? book.b_c;
  const tableName = table?.name ?? String(catId);
  const image =
    imageFieldId !== null && pending.capture.kind === 'image' && pending.capture.srcUrl
      ? await fetchImage(pending.capture.srcUrl, pending.imageAllowed)
      : null;
  const failed = async (reason: string): Promise<Responses['saveToTable']> => {
    // Said in the window, which stays open for another try, and in a notification in case it was closed.
    await showNotifications([{ id: `sent:${bookKey(book)}`, book, title: t('tableNotSavedTo', tableName), message: reason }]);
    return { ok: false, error: reason };
  };
  try {
    const done = await withSession(async (api, keys) => {
      const rowId = await writeRow(api, keys, pick, catId, values);
      if (image?.ok && imageFieldId !== null) {
        await uploadOnce(api, keys, book, pick, { rowId, catId, fieldId: imageFieldId, file: image.file });
      }
      return rowId;
    }, auth);
    if (done === null) return failed(t('notSignedIn'));
  } catch (error) {
    if (error instanceof StillRunning) return failed(t('tableStillWaiting'));
    if (!isApiError(error)) throw error;
    return failed(reasonOf(error));
  }
  await remember(request, auth);
  // An image that could not be read does not hold the row back; the notification says so.
  const message = image && !image.ok ? t('tableImageNotSaved', image.why) : t('tableSavedOpen');
  await showNotifications([{ id: `sent:${bookKey(book)}`, book, title: t('tableSavedTo', tableName, bookTitle), message }]);
  return { ok: true };
}

/**
 * The image into its cell, once: after a try without an answer, the cell is read first, and a file
 * with this save's uuid there means it arrived.
 */
async function uploadOnce(
  api: TimeTonicClient,
  keys: SessionKeys,
  book: BookRef,
  pick: string,
  cell: { rowId: number; catId: number; fieldId: number; file: { blob: Blob; name: string } },
): Promise<void> {
  const uuid = `${pick}-image`;
  const attempt = (await tableSavesItem.get())[pick];
  if (!attempt) return;
  if (attempt.uploadTried) {
    const lookBegan = Date.now();
    const { rows } = await api.getTableRows(keys, cell.catId, { rowIds: [cell.rowId] });
    const files = rows.find((row) => row.id === cell.rowId)?.fieldValues[String(cell.fieldId)];
    if (Array.isArray(files) && files.some((file) => file.uuid === uuid)) return;
    if (await mayStillBeWritten(attempt.uploadSentAt, lookBegan)) throw new StillRunning();
  }
  await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, uploadTried: true, uploadSentAt: Date.now() } });
  try {
    await api.uploadToCell(keys, book, { rowId: cell.rowId, fieldId: cell.fieldId, uuid, file: cell.file.blob, name: cell.file.name });
  } catch (error) {
    // A refusal stored nothing: the next try uploads without looking.
    if (isApiError(error) && !error.transient) await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, uploadTried: false } });
    throw error;
  }
}

/**
 * The row of this save: made once. Before the first try the table's row count is noted; after a
 * try whose answer never came, the newest rows since then holding exactly these values are this
 * save's row, and it is not made again.
 */
async function writeRow(api: TimeTonicClient, keys: SessionKeys, pick: string, catId: number, values: Record<string, string>): Promise<number> {
  const saves = await tableSavesItem.get();
  let attempt = saves[pick];
  if (attempt?.rowId !== undefined) return attempt.rowId;
  if (attempt?.unanswered) {
    // A look counts from when it began: what is written while it runs may be missed.
    const lookBegan = Date.now();
    const { nbRows } = await api.getTableValues(keys, catId, { offset: 0, maxRows: 1 });
    const from = Math.max(attempt.rowsBefore, (nbRows ?? 0) - LOOKBACK_ROWS);
    const recent = await api.getTableValues(keys, catId, { offset: from, maxRows: LOOKBACK_ROWS });
    const found = savedRowIn(recent.rows, values);
    if (found !== null) {
      await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, rowId: found, unanswered: false } });
      return found;
    }
    if (await mayStillBeWritten(attempt.sentAt, lookBegan)) throw new StillRunning();
  }
  if (!attempt) {
    const { nbRows } = await api.getTableValues(keys, catId, { offset: 0, maxRows: 1 });
    attempt = { rowsBefore: nbRows ?? 0, unanswered: false };
  }
  // Recorded before the request leaves: a stop or a lost answer after this means "look first".
  await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, unanswered: true, sentAt: Date.now() } });
  try {
    const { rowId } = await api.createTableRow(keys, { tmpId: `tmp-${pick}`, catId, fieldValues: values });
    await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, unanswered: false, rowId } });
    return rowId;
  } catch (error) {
    // A refusal wrote nothing: the next try creates the row without looking.
    if (isApiError(error) && !error.transient) await tableSavesItem.set({ ...(await tableSavesItem.get()), [pick]: { ...attempt, unanswered: false } });
    throw error;
  }
}

/** After a save: the clip is done, the choices and the table are remembered for next time. */
async function remember(request: TableSaveRequest, account: { server: string; o_u: string }): Promise<void> {
  const book = bookKey(request.book);
  const { [request.pick]: _done, ...picks } = await pendingPicksItem.get();
  await pendingPicksItem.set(picks);
  const { [request.pick]: _saved, ...saves } = await tableSavesItem.get();
  await tableSavesItem.set(saves);
  await tableChoicesItem.set({ ...(await tableChoicesItem.get()), [tableChoicesKey(account, book, request.catId)]: request.choices });
  await lastTableItem.set({ book, catId: request.catId });
  await recentBooksItem.set([book, ...(await recentBooksItem.get()).filter((key) => key !== book)].slice(0, 20));
}
