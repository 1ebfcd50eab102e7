/**
 * Sending in Firefox ESR, against the local server with its absorbing of a repeated uuid turned
 * off: quick-send from the popup, and "Send to TimeTonic" picked in Firefox's own right-click menu,
 * each end as exactly one message; Undo in the popup deletes it (Firefox has no notification buttons).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import type { OutboxItem } from '../../src/domain/outbox';
import { button, labelled, loadFirefoxExtension, signIn, type FirefoxExtension } from '../support/firefox';
import { startPageServer, type PageServer } from '../../harness/page-server';

// Firefox's own `browser` global, as code run inside an extension page sees it.
declare const browser: import('webextension-polyfill').Browser;

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const MENU = ['Send to TimeTonic', SUPPORT.title];
const PHOTO = solidPng(96, 64, [0xd9, 0x48, 0x1c]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PAGES: Record<string, string> = {
  '/': `<!doctype html>
<title>Quarterly report</title>
<style>body { font: 20px sans-serif; margin: 40px; }</style>
<p>Revenue grew 12% over the quarter.</p>
<p><a href="/full-report">The full report</a></p>`,
  // A page of its own, so that its message differs from the page's.
  '/gallery': `<!doctype html>
<title>Gallery</title>
<img src="/photo.png" alt="Photo" width="96" height="64">`,
};

let server: LocalServer;
let pages: PageServer;
let origin: string;
let extension: FirefoxExtension;

beforeAll(async () => {
  server = await startServer({ seed: 'demo', absorbRepeatedUuid: false });
  pages = await startPageServer((req, res) => {
    const html = PAGES[req.url ?? ''];
    if (req.url === '/photo.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(PHOTO);
    else if (html) res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  });
  origin = pages.origin;
  extension = await loadFirefoxExtension();
  await extension.setServer(server.url);
  const popup = await extension.openPopup();
  await signIn(popup, 'demo', 'demo');
  await popup.locator(labelled('Message')).wait();
  await popup.close();
});
afterAll(async () => {
  await extension?.close();
  await pages?.close();
  await server?.close();
});

const copiesOf = (text: string) => server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((message) => message.msg === text && message.u_c === 'demo');
const itemFor = async (text: string) =>
  (await extension.inExtension(async () => ((await browser.storage.local.get('outbox')).outbox ?? []) as OutboxItem[])).find((item) => item.text === text);

/** Delivered, no late copy left to look for, and on the server once, under the outbox's uuid. */
async function expectDeliveredOnce(text: string) {
  await expect.poll(async () => {
    const item = await itemFor(text);
    return item?.status === 'sent' && item.verifyAt === null;
  }).toBe(true);
  const copies = copiesOf(text);
  expect(copies).toHaveLength(1);
  expect(copies[0]!.uuid).toBe((await itemFor(text))!.uuid);
}

describe('quick-send', () => {
  /** Opens the popup, chooses the book by its title and types `text` as a user would. */
  async function compose(text: string): Promise<Page> {
    const popup = await extension.openPopup();
    // The choice lists every book once the user goes to it.
    await popup.focus(labelled('Book'));
    const option = await popup.locator(`::-p-xpath(//select[@id = //label[normalize-space() = "Book"]/@for]/option[normalize-space() = "${SUPPORT.title}"])`).waitHandle();
    const value = await option.evaluate((element) => (element as HTMLOptionElement).value);
    expect(await popup.select(labelled('Book'), value)).toEqual([value]);
    await popup.locator(labelled('Message')).fill(text);
    return popup;
  }
  const stateOf = (popup: Page, text: string) =>
    popup.$$eval('.send', (rows, wanted) => rows.filter((row) => row.querySelector('.send-text')?.textContent === wanted).map((row) => row.querySelector('.send-state')?.textContent), text);

  it('delivers the typed text once to the chosen book, empties the box and says Sent', async () => {
    const text = 'Réunion à 14h ✅ 🎉 <b>not bold</b> <img src=x onerror=alert(1)> & "café"';
    const popup = await compose(text);
    await popup.locator(button('Send')).click();
    await expect.poll(() => popup.$eval(labelled('Message'), (field) => (field as HTMLTextAreaElement).value)).toBe('');
    await expectDeliveredOnce(text);
    await expect.poll(() => stateOf(popup, text)).toEqual(['Sent']);
    await popup.close();
  });

  it('sends with Ctrl+Enter, once', async () => {
    const text = 'Ctrl+Enter: naïve façade 🚀 </textarea><script>alert(1)</script>';
    const popup = await compose(text);
    await popup.keyboard.down('Control');
    await popup.keyboard.press('Enter');
    await popup.keyboard.up('Control');
    await expectDeliveredOnce(text);
    await expect.poll(() => stateOf(popup, text)).toEqual(['Sent']);
    await popup.close();
  });

  it('sends an image and a PDF attached with Attach files as one message, both byte for byte', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'firefox-files-'));
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    try {
      await writeFile(join(folder, 'photo.png'), PHOTO);
      await writeFile(join(folder, 'contract.pdf'), pdf);
      const text = 'The photo and the contract';
      const popup = await compose(text);
      const input = await popup.locator('input[type=file]').waitHandle();
      await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(join(folder, 'photo.png'), join(folder, 'contract.pdf'));
      await popup.locator('::-p-aria([name="Remove contract.pdf"])').wait();
      await popup.locator(button('Send')).click();
      await expectDeliveredOnce(text);
      expect(copiesOf(text)[0]!.files).toEqual([
        { originName: 'photo.png', contentType: 'image/png', size: PHOTO.length, sha256: sha256(PHOTO) },
        { originName: 'contract.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
      ]);
      await popup.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('Undo in the popup', () => {
  it('takes back a delivered send with its file: the message is deleted, and the send says Deleted', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'firefox-undo-'));
    try {
      await writeFile(join(folder, 'wrong.png'), PHOTO);
      const text = 'Sent to the wrong book';
      const popup = await extension.openPopup();
      await popup.focus(labelled('Book'));
      const option = await popup.locator(`::-p-xpath(//select[@id = //label[normalize-space() = "Book"]/@for]/option[normalize-space() = "${SUPPORT.title}"])`).waitHandle();
      await popup.select(labelled('Book'), await option.evaluate((element) => (element as HTMLOptionElement).value));
      await popup.locator(labelled('Message')).fill(text);
      const input = await popup.locator('input[type=file]').waitHandle();
      await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(join(folder, 'wrong.png'));
      await popup.locator('::-p-aria([name="Remove wrong.png"])').wait();
      await popup.locator(button('Send')).click();
      await expectDeliveredOnce(text);
      const [copy] = copiesOf(text);
      expect(copy!.files).toHaveLength(1);
      await popup.locator(button(`Undo the send to ${SUPPORT.title}`)).click();
      await expect.poll(async () => (await itemFor(text))?.status).toBe('undone');
      expect(copiesOf(text)).toEqual([]);
      const written = server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c).messages.filter((message) => message.msg === text);
      expect(written.map((message) => message.del)).toEqual([true]);
      await expect
        .poll(() => popup.$$eval('.send', (rows, wanted) => rows.filter((row) => row.querySelector('.send-text')?.textContent === wanted).map((row) => row.querySelector('.send-state')?.textContent), text))
        .toEqual(['Deleted']);
      await popup.close();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('Send to TimeTonic in the right-click menu', () => {
  let page: Page;
  beforeAll(async () => {
    page = await extension.openTab(`${origin}/`);
  });

  it('sends the page: its title and address', async () => {
    // The page's margin: neither text nor link, at any window size.
    await extension.pickContextMenuItem(page, { x: 10, y: 10 }, MENU);
    await expectDeliveredOnce(`Quarterly report\n${origin}/`);
  });

  it('sends a link: its text and address, and the page it was on', async () => {
    await extension.pickContextMenuItem(page, '::-p-aria([name="The full report"][role="link"])', MENU);
    await expectDeliveredOnce(`The full report\n${origin}/full-report\n\nFrom: Quarterly report ${origin}/`);
  });

  it('sends an image as a file, byte for byte, on its message', async () => {
    const gallery = await extension.openTab(`${origin}/gallery`);
    await extension.pickContextMenuItem(gallery, 'img[alt="Photo"]', MENU);
    const text = `Gallery\n${origin}/gallery`;
    await expectDeliveredOnce(text);
    expect(copiesOf(text)[0]!.files).toEqual([{ originName: 'photo.png', contentType: 'image/png', size: PHOTO.length, sha256: sha256(PHOTO) }]);
    await gallery.close();
  });
});
