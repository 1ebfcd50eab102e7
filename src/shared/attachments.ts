/**
 * The bytes of files waiting to be uploaded, by the attachment's uuid. Storage items hold JSON; a
 * file of up to 50 MB belongs in IndexedDB, which keeps a Blob as it is and survives the worker.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

let store: UseStore | undefined;
// Opened on first use: the worker starts for many events that never touch a file.
const files = () => (store ??= createStore('timetonic-companion', 'attachments'));

export async function keepAttachment(uuid: string, file: Blob): Promise<void> {
  await set(uuid, file, files());
}

export async function attachment(uuid: string): Promise<Blob | null> {
  return (await get<Blob>(uuid, files())) ?? null;
}

export async function forgetAttachment(uuid: string): Promise<void> {
  await del(uuid, files());
}
