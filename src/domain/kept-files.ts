/**
 * Which file bytes kept in the attachment store belong to no one any more. Bytes are kept before
 * whatever names them is written (the popup keeps a send's files, then hands the send over; the
 * outbox keeps them, then writes its item; the menu keeps a screenshot, then its pick), so bytes
 * named by nothing may be a send being made: only those older than a margin are orphans.
 */
import { filesOf } from './outbox-view';
import type { OutboxItem } from './outbox';

/** Far longer than keeping bytes and writing what names them ever takes. */
export const ORPHAN_AGE_MS = 10 * 60 * 1000;

/** The key of the screenshot a "Choose book…" pick offers, taken at the click. */
export const pickScreenshotKey = (pick: string): string => `screenshot:${pick}`;

export interface KeptEntry {
  key: string;
  /** When the bytes were kept (ms); null for bytes kept by a version that did not say. */
  keptAt: number | null;
}

/** The keys something still reads: every outbox item's files and table image, every pending pick's screenshot. */
export function keysInUse(items: readonly OutboxItem[], picks: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const item of items) {
    for (const file of [...filesOf(item), ...(item.attachment ? [item.attachment] : [])]) used.add(file.uuid);
    if (item.table?.image) used.add(item.table.image.uuid);
  }
  for (const pick of picks) used.add(pickScreenshotKey(pick));
  return used;
}

/**
 * The kept keys to forget: named by nothing in use and kept more than `ORPHAN_AGE_MS` ago. Bytes
 * without a date were kept before this version ran, so before anything now being made.
 */
export function orphanedKeys(kept: readonly KeptEntry[], inUse: ReadonlySet<string>, now: number): string[] {
  return kept.filter(({ key, keptAt }) => !inUse.has(key) && (keptAt === null || now - keptAt > ORPHAN_AGE_MS)).map(({ key }) => key);
}
