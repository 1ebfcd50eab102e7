/**
 * The outbox in the worker: it takes a send, keeps it in storage before anything else happens, and
 * delivers it (delivery.ts) when it can: at once, on its alarm, when the network or the server is
 * back, when the popup opens, and when the user signs in again. The one writer of `outboxItem`.
 */
import {
  askUndo,
  DEFAULT_TIMING,
  fileKind,
  nextWakeAt,
  newItem,
  pruneSent,
  recentBooksAfterSend,
  refusedSend,
  retryNow,
  wakeWaiting,
  type DeliveryTiming,
  type OutboxItem,
} from '../domain/outbox';
import { bookKey } from '../domain/books';
import { refusalOf } from '../domain/files';
import { sendNotifications } from '../domain/notifications';
import { filesOf, waitingCount } from '../domain/outbox-view';
import { accountOf, sameAccount, type Account, type BookRef } from '../domain/refs';
import { newTableRowSave, tableSaveLabel } from '../domain/table-outbox';
import browser, { type Alarms } from '../shared/browser';
import { t } from '../shared/i18n';
import { attachment, forgetAttachment, keepAttachment } from '../shared/attachments';
import { authItem, bookCacheItem, outboxItem, recentBooksItem, tableDraftsItem } from '../shared/state';
import { storageItem } from '../shared/storage';
import { deliverDue, type DeliveryPorts } from './delivery';
import { showNotifications } from './notify';
import { withSession } from './session';
import { poll } from './sync';

export const OUTBOX_ALARM = 'outbox';
/** Waits shorter than this are also kept by a timer: an alarm may be held back to 30 s. */
const TIMER_LIMIT_MS = 60_000;

/**
 * Test seam: how patient delivery is. Nothing in the extension writes this key; browser tests set
 * it to shorten retries, time-outs and the grace delay, and users always get `DEFAULT_TIMING`.
 * Kept here, beside its one reader, so that the pages, which never deliver, do not load the
 * delivery decisions.
 */
export const deliveryTimingTestSeam = storageItem<DeliveryTiming>('local', 'deliveryTiming', DEFAULT_TIMING);

/** Every change of the outbox, one at a time: a send added during a delivery loses nothing. */
function update<T>(change: (items: OutboxItem[]) => { items: OutboxItem[]; result: T }): Promise<T> {
  return navigator.locks.request('timetonic-outbox-write', async () => {
    const before = await outboxItem.get();
    const { items, result } = change(before);
    if (items !== before) await outboxItem.set(items);
    return result;
  });
}

function changeItem(uuid: string, change: (item: OutboxItem) => OutboxItem): Promise<OutboxItem | null> {
  return update((items) => {
    const index = items.findIndex((item) => item.uuid === uuid);
    const found = items[index];
    if (!found) return { items, result: null };
    const changed = change(found);
    return { items: items.with(index, changed), result: changed };
  });
}

async function signedInAccount(): Promise<Account | null> {
  const auth = await authItem.get();
  return auth ? accountOf(auth) : null;
}

export type EnqueueOutcome = { ok: true; uuid: string } | { ok: false; error: string };

export interface NewSend {
  book: BookRef;
  text: string;
  origin?: OutboxItem['origin'];
  /** Files to attach, in order: their bytes are kept in IndexedDB until each upload is confirmed. */
  files?: { blob: Blob; name: string }[];
  /**
   * Files whose bytes the popup already kept in IndexedDB under `uuid` (the same origin's store),
   * so that they never travel in a message. Taken over by the outbox, or forgotten if refused.
   */
  keptFiles?: { uuid: string; name: string }[];
  note?: string;
}

type NewFile = { uuid: string; name: string; blob: Blob; kept: boolean };

/** Keeps a new message for `book`, then sets about delivering it. */
export async function enqueue(send: NewSend): Promise<EnqueueOutcome> {
  const { book, text } = send;
  const files = await newFiles(send);
  const forgetKept = () => Promise.all(files.filter((file) => file.kept).map((file) => forgetAttachment(file.uuid).catch(() => undefined)));
  const refused = files.some((file) => !file.blob)
    ? t('enqueueFileNotKept', t('failureFileLost'))
    : (refusedSend(t, { text, hasFile: files.length > 0 }) ?? refusedFiles(files));
  const account = refused ? null : await signedInAccount();
  if (refused || !account) {
    await forgetKept();
    return { ok: false, error: refused ?? t('enqueueSignedOut') };
  }
  const cache = await bookCacheItem.get();
  const attachments = files.map(({ uuid, name, blob }) => ({
    uuid,
    name,
    type: blob.type || 'application/octet-stream',
    size: blob.size,
    kind: fileKind(blob.type),
  }));
  // The bytes first: an item never names a file that is not kept.
  try {
    for (const file of files) if (!file.kept) await keepAttachment(file.uuid, file.blob);
  } catch (error) {
    // IndexedDB refused (its quota, a private window): nothing is kept, so nothing is lost.
    await Promise.all(files.map((file) => forgetAttachment(file.uuid).catch(() => undefined)));
    return { ok: false, error: t('enqueueFileNotKept', reasonOf(error)) };
  }
  const item = newItem({
    uuid: crypto.randomUUID(),
    account,
    book,
    bookTitle: cache.books[bookKey(book)]?.title ?? book.b_c,
    text,
    sinceStamp: cache.sstamp ?? 0,
    now: Date.now(),
    origin: send.origin,
    attachments,
    note: send.note,
  });
  try {
    await update((items) => ({ items: [...items, item], result: undefined }));
  } catch (error) {
    // Storage refused the longer outbox (storage.local's quota): it keeps what it had.
    await Promise.all(files.map((file) => forgetAttachment(file.uuid).catch(() => undefined)));
    return { ok: false, error: isQuotaError(error) ? t('enqueueStorageFull') : t('enqueueNotKept', reasonOf(error)) };
  }
  // The send is kept: a full storage that refuses this small list must not make it look failed.
  await rememberRecentBook(book).catch(() => undefined);
  void deliver();
  return { ok: true, uuid: item.uuid };
}

export interface NewTableSave {
  book: BookRef;
  tableName: string;
  catId: number;
  values: Record<string, string>;
  draftKey: string;
  image: { fieldId: number; file: { blob: Blob; name: string } } | null;
  note: string | null;
}

/**
 * Keeps a save into a table, then sets about delivering it. A save of the same clip that was
 * refused is replaced: it is the same row, fixed in the window.
 */
export async function enqueueTableSave(save: NewTableSave): Promise<EnqueueOutcome> {
  const [account, cache] = await Promise.all([signedInAccount(), bookCacheItem.get()]);
  if (!account) return { ok: false, error: t('enqueueSignedOut') };
  const image = save.image && { uuid: crypto.randomUUID(), name: save.image.file.name, fieldId: save.image.fieldId };
  if (image && save.image) {
    try {
      await keepAttachment(image.uuid, save.image.file.blob);
    } catch (error) {
      return { ok: false, error: t('enqueueFileNotKept', reasonOf(error)) };
    }
  }
  const bookTitle = cache.books[bookKey(save.book)]?.title ?? save.book.b_c;
  const item: OutboxItem = {
    ...newItem({
      uuid: crypto.randomUUID(),
      account,
      book: save.book,
      bookTitle,
      text: tableSaveLabel(t, save.tableName, save.values),
      sinceStamp: cache.sstamp ?? 0,
      now: Date.now(),
      origin: 'menu',
      ...(save.note !== null && { note: save.note }),
    }),
    table: newTableRowSave({ catId: save.catId, tableName: save.tableName, values: save.values, image, draftKey: save.draftKey }),
  };
  let replaced: OutboxItem[];
  try {
    replaced = await update((items) => {
      const refused = items.filter((other) => other.status === 'failed' && other.table?.draftKey === save.draftKey && sameAccount(other.account, account));
      return { items: [...items.filter((other) => !refused.includes(other)), item], result: refused };
    });
  } catch (error) {
    if (image) await forgetAttachment(image.uuid).catch(() => undefined);
    return { ok: false, error: isQuotaError(error) ? t('enqueueStorageFull') : t('enqueueNotKept', reasonOf(error)) };
  }
  for (const old of replaced) if (old.table?.image) await forgetAttachment(old.table.image.uuid).catch(() => undefined);
  await rememberRecentBook(save.book).catch(() => undefined);
  void deliver();
  return { ok: true, uuid: item.uuid };
}

/** The send's files, the popup's kept ones read back from IndexedDB as Blobs (not into memory). */
async function newFiles(send: NewSend): Promise<NewFile[]> {
  const kept = await Promise.all(
    (send.keptFiles ?? []).map(async ({ uuid, name }) => ({ uuid, name, blob: (await attachment(uuid))!, kept: true })),
  );
  const given = (send.files ?? []).map(({ blob, name }) => ({ uuid: crypto.randomUUID(), name, blob, kept: false }));
  return [...kept, ...given];
}

/** The first file over a limit, said in words: the popup checks too, but a send is checked where it is kept. */
function refusedFiles(files: readonly NewFile[]): string | null {
  for (const [index, file] of files.entries()) {
    const refusal = refusalOf(t, { name: file.name, size: file.blob.size, type: file.blob.type }, files.slice(0, index).map((other) => other.blob));
    if (refusal) return refusal;
  }
  return null;
}

/** Chrome says "QUOTA_BYTES quota exceeded"; IndexedDB and Firefox, a `QuotaExceededError`. */
function isQuotaError(error: unknown): boolean {
  return (error instanceof DOMException && error.name === 'QuotaExceededError') || /quota/i.test(String(error));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The book just sent to leads the right-click menu's recently used books. */
async function rememberRecentBook(book: BookRef): Promise<void> {
  const key = bookKey(book);
  const recent = await recentBooksItem.get();
  if (recent[0] !== key) await recentBooksItem.set(recentBooksAfterSend(recent, key));
}

/** The user's Retry: a failed or waiting item goes again, now. */
export async function retry(uuid: string): Promise<void> {
  await changeItem(uuid, (item) => retryNow(item, Date.now()));
  void deliver();
}

/** The user's Discard: the item is dropped, unless it was delivered or taken back meanwhile. */
export async function discard(uuid: string): Promise<void> {
  const dropped = await update((items) => {
    const item = items.find((candidate) => candidate.uuid === uuid && (candidate.status === 'pending' || candidate.status === 'failed'));
    return { items: item ? items.filter((candidate) => candidate !== item) : items, result: item };
  });
  if (dropped) await Promise.all(filesOf(dropped).map((file) => forgetAttachment(file.uuid)));
  if (dropped?.table?.image) await forgetAttachment(dropped.table.image.uuid);
}

/**
 * The user's Undo (the popup, or a right-click send's notification): a send that has not left is
 * cancelled at once; any other is taken back, its copies deleted by delivery.
 */
export async function undo(uuid: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const timing = await deliveryTimingTestSeam.get();
  const answer = await update<ReturnType<typeof askUndo>>((items) => {
    const index = items.findIndex((item) => item.uuid === uuid);
    const found = items[index];
    if (!found) return { items, result: { refused: t('undoGone') } };
    const asked = askUndo(t, found, Date.now(), timing);
    return 'refused' in asked ? { items, result: asked } : { items: items.with(index, asked.item), result: asked };
  });
  if ('refused' in answer) return { ok: false, error: answer.refused };
  if (answer.item.status === 'undone') await Promise.all(filesOf(answer.item).map((file) => forgetAttachment(file.uuid).catch(() => undefined)));
  else void deliver();
  return { ok: true };
}

/** How many sends of the signed-in account wait: what signing out leaves behind. */
export async function waitingFor(account: Account | null): Promise<number> {
  return waitingCount((await outboxItem.get()).filter((item) => sameAccount(item.account, account)));
}

/**
 * Delivers what is due. With `now`, what waits for a retry goes at once: the network, the server
 * or the user is back. Runs take turns; a send added meanwhile is picked up by the running one.
 */
export function deliver(options: { now?: boolean } = {}): Promise<void> {
  return navigator.locks.request('timetonic-outbox-delivery', async () => {
    const timing = await deliveryTimingTestSeam.get();
    if (options.now) {
      await update((items) => {
        const woken = wakeWaiting(items, Date.now());
        return { items: woken.some((item, i) => item !== items[i]) ? woken : items, result: undefined };
      });
    }
    const ports: DeliveryPorts = {
      read: () => outboxItem.get(),
      change: changeItem,
      account: signedInAccount,
      withSession: (account, call) => withSession(call, account),
      attachment,
      forgetAttachment,
      timing,
      t,
      now: Date.now,
      random: Math.random,
    };
    const run = await deliverDue(ports);
    await update((items) => {
      const kept = pruneSent(items, Date.now());
      return { items: kept.length === items.length ? items : kept, result: undefined };
    });
    if (run.more) setTimeout(() => void deliver(), 0);
    else await scheduleWake();
    await showNotifications(sendNotifications(t, run));
    await forgetSavedDrafts(run.delivered);
    // The book list shows what was just sent or deleted (a row in a table is not in it).
    if (run.delivered.some((item) => !item.table) || run.undone.length > 0) void poll({ kind: 'sent' });
  });
}

/** A row saved: the window's draft of it is done with. */
async function forgetSavedDrafts(delivered: readonly OutboxItem[]): Promise<void> {
  const keys = delivered.flatMap((item) => (item.table ? [item.table.draftKey] : []));
  if (keys.length === 0) return;
  const drafts = await tableDraftsItem.get();
  await tableDraftsItem.set(Object.fromEntries(Object.entries(drafts).filter(([key]) => !keys.includes(key))));
}

/** The next due step is kept by an alarm, which survives the worker, and by a timer when close. */
async function scheduleWake(): Promise<void> {
  const [items, account] = await Promise.all([outboxItem.get(), signedInAccount()]);
  const wakeAt = nextWakeAt(items, account);
  if (wakeAt === null) {
    await browser.alarms.clear(OUTBOX_ALARM);
    return;
  }
  await browser.alarms.create(OUTBOX_ALARM, { when: wakeAt });
  const wait = wakeAt - Date.now();
  if (wait < TIMER_LIMIT_MS) setTimeout(() => void deliver(), Math.max(0, wait));
}

export async function onOutboxAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name === OUTBOX_ALARM) await deliver();
}
