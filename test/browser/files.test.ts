/**
 * Files in the popup's message box, in Chromium against the local server with its absorbing of a
 * repeated uuid turned off: one send is one message with each file on it exactly once, byte for
 * byte and in order, whatever the server or the worker does between two uploads.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import type { DeliveryTiming } from '../../src/domain/outbox';
import type { LoadedExtension } from '../../harness/extension';
import { closeSignedInPopup, freshStart, openSignedInPopup, storedOutbox, type SignedInPopup } from '../support/signed-in-popup';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const TIMING: DeliveryTiming = { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 2_500 };

const PHOTO = solidPng(40, 30, [0x1c, 0x7a, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileOf = (name: string, contentType: string, bytes: Buffer) => ({ originName: name, contentType, size: bytes.length, sha256: sha256(bytes) });

let setting: SignedInPopup;
let server: LocalServer;
let extension: LoadedExtension;
let popup: Page;

beforeAll(async () => {
  setting = await openSignedInPopup(TIMING);
  ({ server, extension, popup } = setting);
});
afterAll(() => closeSignedInPopup(setting ?? {}));
beforeEach(() => freshStart(setting));

const outbox = () => storedOutbox(extension);
const itemFor = async (text: string) => (await outbox()).find((item) => item.text === text);
const copiesOf = (text: string) => server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.msg === text && message.u_c === 'demo');

async function delivered(text: string) {
  await expect.poll(async () => {
    const item = await itemFor(text);
    return item?.status === 'sent' && item.verifyAt === null;
  }).toBe(true);
  const copies = copiesOf(text);
  expect(copies).toHaveLength(1);
  return copies[0]!;
}

async function write(text: string) {
  // The Book choice draws its options once the user goes to it.
  await popup.getByLabel('Book', { exact: true }).focus();
  await popup.getByLabel('Book', { exact: true }).selectOption({ label: SUPPORT.title });
  await popup.getByLabel('Message').fill(text);
}
/** What the attachments say went wrong (the box's own send error is another alert). */
const attachmentProblem = () => popup.locator('.attachments').getByRole('alert');
const send = () => popup.getByRole('button', { name: 'Send', exact: true }).click();
const sendMsgParams = () => server.control.log().filter((entry) => entry.req === 'sendMsg').map((entry) => entry.params);

describe('files in a quick send', () => {
  it('sends an image and a PDF as one message announcing one media and one document, both byte-exact', async () => {
    await write('The photo and the contract');
    await popup.getByLabel('Attach files').setInputFiles([
      { name: 'photo.png', mimeType: 'image/png', buffer: PHOTO },
      { name: 'contract.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await expect.poll(() => popup.getByRole('list', { name: 'Attached files' }).getByRole('listitem').allTextContents()).toEqual([
      `photo.png ${PHOTO.length} bytes×`,
      `contract.pdf ${PDF.length} bytes×`,
    ]);
    await send();
    const message = await delivered('The photo and the contract');
    expect(message.files).toEqual([fileOf('photo.png', 'image/png', PHOTO), fileOf('contract.pdf', 'application/pdf', PDF)]);
    expect(sendMsgParams()).toEqual([expect.objectContaining({ nbMedias: '1', nbDocs: '1' })]);
    // Sent, the box is empty again.
    await expect.poll(() => popup.getByRole('list', { name: 'Attached files' }).count()).toBe(0);
  });

  it('sends a picture pasted into the Message field', async () => {
    await write('Pasted');
    await popup.getByLabel('Message').evaluate((field, bytes) => {
      const pasted = new DataTransfer();
      pasted.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    }, [...PHOTO]);
    await popup.getByRole('button', { name: 'Remove image.png' }).waitFor();
    await send();
    const message = await delivered('Pasted');
    expect(message.files).toEqual([fileOf('image.png', 'image/png', PHOTO)]);
  });

  it('ends with each of three files once when fileUpload fails for the second', async () => {
    // The first upload goes as usual (a delay of nothing), the second is refused twice, then it and the third go.
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 0 }, { kind: 'http500', req: 'fileUpload', count: 2 });
    const parts = ['a', 'b', 'c'].map((name, i) => ({ name: `${name}.pdf`, mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from([i])]) }));
    await write('Three documents');
    await popup.getByLabel('Attach files').setInputFiles(parts);
    await send();
    const message = await delivered('Three documents');
    expect(message.files).toEqual(parts.map((part) => fileOf(part.name, part.mimeType, part.buffer)));
    expect(sendMsgParams()).toEqual([expect.objectContaining({ nbDocs: '3' })]);
    expect(server.control.log().filter((entry) => entry.req === 'fileUpload').map((entry) => entry.outcome)).toEqual(['delay', 'http500', 'http500', 'ok', 'ok']);
  });

  it('ends with each file once when the worker is stopped between two uploads', async () => {
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 0 }, { kind: 'delay', req: 'fileUpload', delayMs: 800 });
    const parts = ['d', 'e', 'f'].map((name, i) => ({ name: `${name}.pdf`, mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from([9, i])]) }));
    await write('Stopped between uploads');
    await popup.getByLabel('Attach files').setInputFiles(parts);
    await send();
    await expect.poll(() => server.control.log().filter((entry) => entry.req === 'fileUpload').length).toBe(2);
    await extension.stopWorker();
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    const message = await delivered('Stopped between uploads');
    expect(message.files).toEqual(parts.map((part) => fileOf(part.name, part.mimeType, part.buffer)));
    expect(sendMsgParams()).toHaveLength(1);
  });

  it('says how far the files are', async () => {
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 0 }, { kind: 'delay', req: 'fileUpload', delayMs: 0 }, { kind: 'delay', req: 'fileUpload', delayMs: 3_000 });
    const parts = ['g', 'h', 'i'].map((name, i) => ({ name: `${name}.pdf`, mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from([7, i])]) }));
    await write('Progress');
    await popup.getByLabel('Attach files').setInputFiles(parts);
    await send();
    await expect.poll(() => popup.locator('.send').first().locator('.send-files').textContent()).toBe('2 of 3 files sent');
    await delivered('Progress');
  });

  it('says when the browser refuses a screenshot of the tab, and attaches nothing', async () => {
    // Opened as a tab, the popup has no activeTab grant on the page it would capture.
    await popup.getByRole('button', { name: 'Screenshot of this tab' }).click();
    await expect.poll(() => attachmentProblem().allTextContents()).toContain('The browser does not allow a screenshot of this tab.');
    expect(await popup.getByRole('list', { name: 'Attached files' }).count()).toBe(0);
  });

  it('refuses an empty file, one over 50 MB and one that takes the send over 100 MB at once, and sends nothing of them', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'files-'));
    const big = (name: string, megabytes: number) => {
      const path = join(folder, name);
      writeFileSync(path, Buffer.alloc(megabytes * 1024 * 1024, 1));
      return path;
    };
    try {
      await write('Too much');
      await popup.getByLabel('Attach files').setInputFiles([{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }]);
      await expect.poll(() => attachmentProblem().allTextContents()).toEqual([expect.stringContaining('empty.txt')]);
      await popup.getByLabel('Attach files').setInputFiles(big('huge.bin', 51));
      await expect.poll(() => attachmentProblem().allTextContents()).toEqual([expect.stringMatching(/huge\.bin.*50 MB/)]);
      await popup.getByLabel('Attach files').setInputFiles([big('first.bin', 45), big('second.bin', 45), big('third.bin', 45)]);
      await expect.poll(() => attachmentProblem().allTextContents()).toEqual([expect.stringMatching(/third\.bin.*100 MB/)]);
      expect(await popup.getByRole('list', { name: 'Attached files' }).getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(/^first\.bin /),
        expect.stringMatching(/^second\.bin /),
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a pasted file that is not a picture', async () => {
    await write('Pasted text file');
    await popup.getByLabel('Message').evaluate((field) => {
      const pasted = new DataTransfer();
      pasted.items.add(new File(['plain words'], 'notes.txt', { type: 'text/plain' }));
      field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => attachmentProblem().allTextContents()).toEqual(['Only pictures can be pasted; attach other files with Attach files.']);
    expect(await popup.getByRole('list', { name: 'Attached files' }).count()).toBe(0);
  });
});

/** The attachment store's entries as the extension keeps them: each key with its date (null for a bare Blob of an older version). */
const keptEntries = () =>
  extension.inExtension(
    () =>
      new Promise<{ key: string; keptAt: number | null }[]>((resolve, reject) => {
        const open = indexedDB.open('timetonic-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('attachments').objectStore('attachments');
          const [keys, values] = [store.getAllKeys(), store.getAll()];
          values.onerror = () => reject(values.error);
          values.onsuccess = () => {
            open.result.close();
            resolve(keys.result.map((key, i) => ({ key: String(key), keptAt: values.result[i] instanceof Blob ? null : (values.result[i] as { keptAt: number }).keptAt })));
          };
        };
      }),
  );

/** Puts entries into the attachment store as a popup (or an older version, with `keptAt` null) would have kept them. */
const keepRaw = (entries: { key: string; keptAt: number | null }[]) =>
  extension.inExtension(
    (kept) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('timetonic-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('attachments', 'readwrite');
          const store = transaction.objectStore('attachments');
          for (const { key, keptAt } of kept) {
            const blob = new Blob([`bytes of ${key}`], { type: 'text/plain' });
            store.put(keptAt === null ? blob : { blob, keptAt }, key);
          }
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    entries,
  );

/** Dates the entries `keys` as kept `ageMs` ago, keeping their bytes. */
const age = (keys: string[], ageMs: number) =>
  extension.inExtension(
    ({ keys, ageMs }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('timetonic-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('attachments', 'readwrite');
          const store = transaction.objectStore('attachments');
          for (const key of keys) {
            const read = store.get(key);
            read.onsuccess = () => store.put({ ...(read.result as { blob: Blob }), keptAt: Date.now() - ageMs }, key);
          }
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { keys, ageMs },
  );

describe('a file changed on the disk after it was attached', () => {
  const changes = {
    deleted: (path: string) => rm(path),
    truncated: async (path: string) => writeFileSync(path, PDF.subarray(0, 8)),
  };
  it.each(Object.keys(changes) as (keyof typeof changes)[])('%s: says it could not be read, sends nothing and keeps the text and the other files', async (change) => {
    const folder = await mkdtemp(join(tmpdir(), 'files-'));
    try {
      const path = join(folder, 'report.pdf');
      writeFileSync(path, PDF);
      await write(`The report, once more (${change})`);
      await popup.getByLabel('Attach files').setInputFiles([path]);
      await popup.getByLabel('Attach files').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO }]);
      await expect.poll(() => popup.getByRole('list', { name: 'Attached files' }).getByRole('listitem').allTextContents()).toEqual([
        `report.pdf ${PDF.length} bytes×`,
        `photo.png ${PHOTO.length} bytes×`,
      ]);
      const keptBefore = (await keptEntries()).length;
      await changes[change](path);
      await send();
      await expect.poll(() => popup.locator('.quick-send').getByRole('alert').allTextContents()).toContain('report.pdf could not be read, so nothing was sent. Remove it or attach it again.');
      expect(await popup.getByLabel('Message').inputValue()).toBe(`The report, once more (${change})`);
      expect(await popup.getByRole('list', { name: 'Attached files' }).getByRole('listitem').allTextContents()).toEqual([
        `report.pdf ${PDF.length} bytes×`,
        `photo.png ${PHOTO.length} bytes×`,
      ]);
      expect(await itemFor(`The report, once more (${change})`)).toBeUndefined();
      expect(sendMsgParams()).toEqual([]);
      // Nothing of the send stays behind in the attachment store either.
      expect(await keptEntries()).toHaveLength(keptBefore);

      // Removed, the rest goes.
      await popup.getByRole('button', { name: 'Remove report.pdf' }).click();
      await send();
      const message = await delivered(`The report, once more (${change})`);
      expect(message.files).toEqual([fileOf('photo.png', 'image/png', PHOTO)]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('file bytes kept but never handed over', () => {
  const ELEVEN_MINUTES = 11 * 60 * 1000;

  it('are forgotten when the worker starts, while the bytes of a send still in the outbox, and bytes just kept, stay', async () => {
    // A send whose file cannot be uploaded yet: it waits in the outbox with its bytes.
    server.control.injectFaults({ kind: 'http500', req: 'fileUpload', count: 1_000 });
    await write('Waiting with its file');
    await popup.getByLabel('Attach files').setInputFiles([{ name: 'waiting.pdf', mimeType: 'application/pdf', buffer: PDF }]);
    await send();
    await expect.poll(() => server.control.log().some((entry) => entry.req === 'fileUpload')).toBe(true);
    const waiting = (await itemFor('Waiting with its file'))!.attachments[0]!.uuid;
    expect((await keptEntries()).find((entry) => entry.key === waiting)?.keptAt).toEqual(expect.any(Number));

    // Bytes a popup kept and closed before sending, long ago; one such entry of an older version,
    // undated; and bytes just kept, of a send being made.
    await keepRaw([
      { key: 'left-behind', keptAt: Date.now() - ELEVEN_MINUTES },
      { key: 'left-by-an-older-version', keptAt: null },
      { key: 'being-sent', keptAt: Date.now() },
    ]);
    // The waiting send's bytes are as old: only that the outbox names them keeps them.
    await age([waiting], ELEVEN_MINUTES);

    await extension.stopWorker();
    // Any event starts the worker again; this one also has the outbox try again.
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    await expect.poll(async () => (await keptEntries()).map((entry) => entry.key).sort()).toEqual(['being-sent', waiting].sort());

    // The send's bytes are whole: once the server takes files again, the file arrives byte for byte.
    server.control.clearFaults();
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    const message = await delivered('Waiting with its file');
    expect(message.files).toEqual([fileOf('waiting.pdf', 'application/pdf', PDF)]);
  });
});

describe('files in a book’s message box', () => {
  it('sends a file attached in the open book with its text as one message in that book, byte for byte', async () => {
    const minutes = Buffer.concat([PDF, Buffer.from('minutes of the meeting')]);
    await popup.getByRole('button', { name: new RegExp(`^${SUPPORT.title}`) }).click();
    const box = popup.getByRole('region', { name: `Write in ${SUPPORT.title}` });
    await box.getByLabel('Message').fill('From within the book');
    await box.getByLabel('Attach files').setInputFiles([{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: minutes }]);
    await expect.poll(() => box.getByRole('list', { name: 'Attached files' }).getByRole('listitem').allTextContents()).toEqual([`minutes.pdf ${minutes.length} bytes×`]);
    await box.getByRole('button', { name: 'Send', exact: true }).click();
    const message = await delivered('From within the book');
    expect(message.files).toEqual([fileOf('minutes.pdf', 'application/pdf', minutes)]);
    expect(sendMsgParams()).toEqual([expect.objectContaining({ b_o: SUPPORT.b_o, b_c: SUPPORT.b_c, nbDocs: '1' })]);
    // Sent, the box is empty again.
    await expect.poll(() => box.getByRole('list', { name: 'Attached files' }).count()).toBe(0);
    expect(await box.getByLabel('Message').inputValue()).toBe('');
  });
});
