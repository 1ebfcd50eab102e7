/**
 * Forgets file bytes nothing names any more: a popup closed between keeping a send's files and
 * handing the send over leaves them behind, and nothing else would ever read or remove them. Where
 * IndexedDB cannot be opened (a private window in Firefox), nothing was kept.
 */
import { keysInUse, orphanedKeys } from '../domain/kept-files';
import { forgetAttachments, keptAttachments } from '../shared/attachments';
import { outboxItem, pendingPicksItem } from '../shared/state';

export async function sweepKeptFiles(): Promise<void> {
  const kept = await keptAttachments().catch(() => []);
  if (kept.length === 0) return;
  // Read after the entries: whatever names bytes kept by then is written by now, or they are young.
  const [items, picks] = await Promise.all([outboxItem.get(), pendingPicksItem.get()]);
  await forgetAttachments(orphanedKeys(kept, keysInUse(items, Object.keys(picks)), Date.now()));
}
