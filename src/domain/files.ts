/**
 * Files attached to one send: which may go, how `sendMsg` counts them, and how far their upload
 * is, in words. Pure.
 */
import type { Words } from './words';

const MB = 1024 * 1024;
/** Largest file sent as an attachment. */
export const MAX_FILE_BYTES = 50 * MB;
/** Largest total of the files of one send. */
export const MAX_SEND_BYTES = 100 * MB;

export interface FileFacts {
  name: string;
  size: number;
  type: string;
}

/** `sendMsg`'s `nbMedias` counts images, audio and video; `nbDocs` counts the rest. */
export function isMedia(type: string): boolean {
  return /^(image|audio|video)\//i.test(type);
}


/** Why `file` may not join a send that already carries `attached`, or null when it may. */
export function refusalOf(t: Words, file: FileFacts, attached: readonly Pick<FileFacts, 'size'>[]): string | null {
  if (file.size === 0) return t('fileEmpty', file.name);
  if (file.size > MAX_FILE_BYTES) return t('fileTooLarge', file.name, MAX_FILE_BYTES / MB);
  const total = attached.reduce((sum, other) => sum + other.size, 0) + file.size;
  if (total > MAX_SEND_BYTES) return t('sendTooLarge', file.name, MAX_SEND_BYTES / MB);
  return null;
}

/** A size as people read it: bytes, kB or MB, in the user's way of writing numbers. */
export function sizeText(t: Words, bytes: number): string {
  const number = (value: number) => new Intl.NumberFormat(t.locale, { maximumFractionDigits: 1 }).format(value);
  if (bytes < 1024) return t('sizeBytes', number(bytes));
  if (bytes < MB) return t('sizeKilobytes', number(bytes / 1024));
  return t('sizeMegabytes', number(bytes / MB));
}

/**
 * A screenshot's file name: the page's title and the local time it was taken, safe as a file name
 * anywhere (no `/ \ : * ? " < > |`).
 */
export function screenshotFileName(pageTitle: string, takenAt: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${takenAt.getFullYear()}-${two(takenAt.getMonth() + 1)}-${two(takenAt.getDate())} ${two(takenAt.getHours())}.${two(takenAt.getMinutes())}.${two(takenAt.getSeconds())}`;
  const title = pageTitle
    .replace(/[^\p{L}\p{N}._ ,()&'+-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
    .trim();
  return `${title || 'Screenshot'} ${time}.png`;
}

/** "2 of 3 files sent". */
export function filesProgress(t: Words, sent: number, total: number): string {
  return t.plural('filesSent', total, sent);
}
