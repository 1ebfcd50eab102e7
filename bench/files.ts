/**
 * Files sent from the popup in Chromium against the local server: the worker's JavaScript heap
 * while it sends a 50 MB file (read from IndexedDB as a Blob and posted as such, so the bytes
 * should never be on its heap), and the time from Send to the last of 3 files of 5 MB confirmed.
 * Then Undo of delivered sends: the time from the click to the message deleted on the server.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadExtension, signInThroughPopup } from '../harness/extension';
import { startServer } from '../server';
import type { OutboxItem } from '../src/domain/outbox';
import { workerDevtools } from './scale';

const MB = 1024 * 1024;
export const BIG_FILE_MB = 50;
export const SMALL_FILES = 3;
export const SMALL_FILE_MB = 5;
export const UNDOS = 10;

export interface FileFigures {
  /** The worker's heap before the send, and the most seen while the 50 MB file went. */
  bigFile: { heapBefore: number; heapPeak: number; samples: number; ms: number };
  /** Send to the last of the small files confirmed, ms. */
  smallFilesMs: number;
  /** Undo clicked on a delivered send, to its message deleted on the server: ms each, and requests each. */
  undo: { ms: number[]; requests: number };
}

export async function fileFigures(): Promise<FileFigures> {
  // The local server takes files up to 10 MB unless told otherwise; TimeTonic's own limit is not ours to guess.
  const server = await startServer({ seed: 'demo', absorbRepeatedUuid: false, maxUploadBytes: 60 * MB });
  const extension = await loadExtension();
  const folder = await mkdtemp(join(tmpdir(), 'bench-files-'));
  try {
    await extension.setServer(server.url);
    const popup = await extension.openPopup();
    await signInThroughPopup(popup, 'demo', 'demo');
    await popup.getByLabel('Book', { exact: true }).waitFor({ timeout: 15_000 });
    const devtools = await workerDevtools(extension, await extension.openPage('src/popup/index.html'));
    // In front, as a popup is: a background tab's frames are held back, and with them Playwright's clicks.
    await popup.bringToFront();
    const file = (name: string, megabytes: number) => {
      const path = join(folder, name);
      writeFileSync(path, Buffer.alloc(megabytes * MB, name.charCodeAt(0)));
      return path;
    };

    const big = file('big.bin', BIG_FILE_MB);
    const heapBefore = await devtools.heapUsed();
    const bigStart = performance.now();
    await sendWithFiles(popup, 'One big file', [big]);
    let heapPeak = heapBefore;
    let samples = 0;
    while (!(await confirmed(extension.inExtension, 'One big file'))) {
      heapPeak = Math.max(heapPeak, await devtools.heapNow());
      samples++;
    }
    const bigMs = performance.now() - bigStart;

    const small = Array.from({ length: SMALL_FILES }, (_, i) => file(`small-${i}.bin`, SMALL_FILE_MB));
    const smallStart = performance.now();
    await sendWithFiles(popup, 'Three files', small);
    while (!(await confirmed(extension.inExtension, 'Three files'))) await new Promise((resolve) => setTimeout(resolve, 10));
    const smallFilesMs = performance.now() - smallStart;

    const undoMs: number[] = [];
    server.control.clearLog();
    for (let i = 0; i < UNDOS; i++) {
      const text = `Sent by mistake ${i}`;
      await sendWithFiles(popup, text, []);
      while (!(await confirmed(extension.inExtension, text))) await new Promise((resolve) => setTimeout(resolve, 10));
      const [message] = server.control.messages('alice', 'support-inbox').filter((candidate) => candidate.msg === text);
      const deleted = () => server.control.state.getBook('alice', 'support-inbox').messages.find((candidate) => candidate.smid === message!.smid)?.del;
      const undoButton = popup.locator('.send', { hasText: text }).getByRole('button', { name: 'Undo the send to Support inbox' });
      await undoButton.waitFor();
      const start = performance.now();
      // The click event itself: Playwright's checks before a click would count in the figure.
      await undoButton.dispatchEvent('click');
      while (!deleted()) await new Promise((resolve) => setTimeout(resolve, 2));
      undoMs.push(performance.now() - start);
    }
    const undoRequests = server.control.log().filter((entry) => ['deleteMsg', 'getBookMessages'].includes(entry.req)).length;
    return { bigFile: { heapBefore, heapPeak, samples, ms: bigMs }, smallFilesMs, undo: { ms: undoMs, requests: undoRequests / UNDOS } };
  } finally {
    await rm(folder, { recursive: true, force: true });
    // A browser that died during the run has nothing left to close: its own error is the one to see.
    await extension.close().catch(() => undefined);
    await server.close();
  }
}

/** Attaches the files (paths on disk), if any, and presses Send, as a user does. */
async function sendWithFiles(popup: Page, text: string, paths: string[]) {
  await popup.getByLabel('Book', { exact: true }).focus();
  await popup.getByLabel('Book', { exact: true }).selectOption({ label: 'Support inbox' });
  await popup.getByLabel('Message').fill(text);
  if (paths.length > 0) {
    await popup.getByLabel('Attach files').setInputFiles(paths);
    await popup.getByRole('list', { name: 'Attached files' }).getByRole('listitem').nth(paths.length - 1).waitFor();
  }
  await popup.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The send's last file is confirmed on its message. */
async function confirmed(inExtension: Awaited<ReturnType<typeof loadExtension>>['inExtension'], text: string): Promise<boolean> {
  const outbox = await inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
  const item = outbox.find((candidate) => candidate.text === text);
  if (item?.status === 'failed') throw new Error(`${text}: not delivered (${item.reason})`);
  return item?.status === 'sent';
}

export function printFiles(figures: FileFigures): void {
  const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const { bigFile } = figures;
  console.log('Files sent from the popup (Chromium, local server)');
  console.log(
    `  one ${BIG_FILE_MB} MB file        : worker heap ${mb(bigFile.heapBefore)} before, peak ${mb(bigFile.heapPeak)} while sending ` +
      `(${bigFile.samples} samples, JavaScript heap in use), confirmed ${(bigFile.ms / 1000).toFixed(2)} s after Send`,
  );
  console.log(`  ${SMALL_FILES} files of ${SMALL_FILE_MB} MB      : ${(figures.smallFilesMs / 1000).toFixed(2)} s from Send to the last file confirmed`);
  const sorted = [...figures.undo.ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(
    `  Undo, ${sorted.length} delivered sends: ${median.toFixed(1)} ms median, ${(sorted.at(-1) ?? 0).toFixed(1)} ms max from the click to the message ` +
      `deleted on the server; ${figures.undo.requests.toFixed(2)} requests each (deleteMsg, and a look when the outcome is unknown)`,
  );
}
