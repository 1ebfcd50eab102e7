/**
 * The bytes of files waiting to be uploaded, by the attachment's uuid. Storage items hold JSON; a
 * file of up to 50 MB belongs in IndexedDB, which keeps a Blob as it is and survives the worker.
 * Each entry says when it was kept, so that bytes nothing names any more can be told by their age
 * (domain/kept-files.ts); entries of older versions are the bare Blob.
 */
import { createStore, del, delMany, entries, get, set, type UseStore } from 'idb-keyval';
import type { KeptEntry } from '../domain/kept-files';

interface Kept {
  blob: Blob;
  keptAt: number;
}

let store: UseStore | undefined;
// Opened on first use: the worker starts for many events that never touch a file.
const files = () => (store ??= createStore('timetonic-companion', 'attachments'));

export async function keepAttachment(uuid: string, file: Blob): Promise<void> {
  await set(uuid, { blob: file, keptAt: Date.now() } satisfies Kept, files());
}

export async function attachment(uuid: string): Promise<Blob | null> {
  const kept = await get<Kept | Blob>(uuid, files());
  if (kept instanceof Blob) return kept;
  return kept?.blob ?? null;
}

export async function forgetAttachment(uuid: string): Promise<void> {
  await del(uuid, files());
}

/** Every kept entry's key and date; the bytes are not read (a Blob from IndexedDB is only a handle). */
export async function keptAttachments(): Promise<KeptEntry[]> {
  return (await entries<IDBValidKey, Kept | Blob>(files())).map(([key, kept]) => ({
    key: String(key),
    keptAt: kept instanceof Blob ? null : kept.keptAt,
  }));
}

export async function forgetAttachments(keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await delMany([...keys], files());
}
