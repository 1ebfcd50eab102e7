/**
 * "Save to a table…": the worker fetches a book's tables for the window (pages never call the
 * API), and keeps the window's row in the outbox, which delivers it exactly once.
 */
import { isApiError, type ApiError, type BookRef } from '../api';
import { bookKey } from '../domain/books';
import { failureFor } from '../domain/outbox';
import type { Role } from '../domain/table-fill';
import { draftKey, tableChoicesKey, type BookTables, type TableSpec } from '../domain/table-save';
import { t } from '../shared/i18n';
import type { RequestOf, Responses } from '../shared/messages';
import { authItem, lastTableItem, pendingPicksItem, tableCacheItem, tableChoicesItem } from '../shared/state';
import { fetchImage } from './capture';
import { enqueueTableSave } from './outbox';
import { withSession } from './session';

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

/** The window's `saveToTable` message, as the request handler passes it on. */
export type TableSaveRequest = Omit<RequestOf<'saveToTable'>, 'type'>;

/**
 * Keeps the window's row in the outbox, which delivers it (table-delivery.ts) and says how it went;
 * the window closes as soon as it is kept.
 */
export async function saveToTable(request: TableSaveRequest): Promise<Responses['saveToTable']> {
  const { pick, book, catId, values, imageFieldId } = request;
  const auth = await authItem.get();
  if (!auth) return { ok: false, error: t('notSignedIn') };
  const pending = (await pendingPicksItem.get())[pick];
  if (!pending) return { ok: false, error: t('sendExpired') };
  const tables = (await tableCacheItem.get())[tablesKey(auth, book)];
  const tableName = tables?.tables.find((candidate) => candidate.id === catId)?.name ?? String(catId);
  const image =
    imageFieldId !== null && pending.capture.kind === 'image' && pending.capture.srcUrl
      ? await fetchImage(pending.capture.srcUrl, pending.imageAllowed)
      : null;
  const kept = await enqueueTableSave({
    book,
    tableName,
    catId,
    values,
    draftKey: draftKey(pending.capture),
    image: image?.ok && imageFieldId !== null ? { fieldId: imageFieldId, file: image.file } : null,
    // An image that could not be read does not hold the row back; the confirmation says so.
    note: image && !image.ok ? t('tableImageNotSaved', image.why) : null,
  });
  if (!kept.ok) return kept;
  await remember(request, auth);
  return { ok: true };
}

/** Once a save is kept: the clip is done, the choices and the table are remembered for next time. */
async function remember(request: TableSaveRequest, account: { server: string; o_u: string }): Promise<void> {
  const book = bookKey(request.book);
  const { [request.pick]: _done, ...picks } = await pendingPicksItem.get();
  await pendingPicksItem.set(picks);
  await tableChoicesItem.set({ ...(await tableChoicesItem.get()), [tableChoicesKey(account, book, request.catId)]: request.choices });
  await lastTableItem.set({ book, catId: request.catId });
}
