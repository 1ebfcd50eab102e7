/**
 * "Send to TimeTonic" through Chromium's real right-click menu, picked as a user picks it (headful
 * under Xvfb, the items found on the accessibility bus), against the local server with its
 * absorbing of a repeated uuid turned off: each context ends as exactly one right message, an
 * image as a byte-exact file on it.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import type { DeliveryTiming, OutboxItem } from '../../src/domain/outbox';
import { type LoadedExtension, loadExtension, signInThroughPopup } from '../../harness/extension';
import { startNativeMenuEnvironment, type NativeMenuEnvironment } from '../../harness/native-menu';
import { startPageServer, type PageServer } from '../../harness/page-server';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const MENU = ['Send to TimeTonic', SUPPORT.title];
const TIMING: DeliveryTiming = { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 2_000 };

const PHOTO = solidPng(96, 64, [0xd9, 0x48, 0x1c]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const HTML = `<!doctype html>
<title>Quarterly report</title>
<style>body { font: 20px sans-serif; margin: 40px; } img { width: 96px; height: 64px; display: block; }</style>
<p><span id="text">Revenue grew 12% over the quarter.</span></p>
<p><a href="/full-report">The full report</a></p>
<img src="/photo.png" alt="Photo">
<img src="OTHER/elsewhere.png" alt="Elsewhere">
`;
/** A quote far down a long page, in a paragraph of its own, with the characters a text fragment reserves. */
const LONG_QUOTE = 'Costs fell by a third in the second half, thanks to R&D and state-of-the-art tooling.';
const LONG_HTML = `<!doctype html>
<title>Annual report</title>
<style>body { font: 20px sans-serif; margin: 40px; } .gap { height: 3000px; }</style>
<p>Summary</p>
<div class="gap"></div>
<p id="quote">${LONG_QUOTE.replace('&', '&amp;')}</p>
<div class="gap"></div>
`;

let server: LocalServer;
let pages: PageServer;
let origin: string;
/** Another site, on a host the extension is not allowed to read until the user says so. */
let elsewhere: PageServer;
let otherOrigin: string;
let menus: NativeMenuEnvironment;
let extension: LoadedExtension;
let page: Page;

beforeAll(async () => {
  server = await startServer({ seed: 'demo', absorbRepeatedUuid: false });
  // A site of its own, on a host the extension may read (this computer).
  elsewhere = await startPageServer((_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(PHOTO), '127.0.0.2');
  otherOrigin = elsewhere.origin;
  pages = await startPageServer((req, res) => {
    if (req.url === '/photo.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(PHOTO);
    else if (req.url === '/annual') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(LONG_HTML);
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML.replace('OTHER', otherOrigin));
  });
  origin = pages.origin;

  menus = await startNativeMenuEnvironment();
  extension = await loadExtension({ nativeMenus: menus });
  await extension.setServer(server.url);
  await extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), TIMING);
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByLabel('Message').waitFor();
  await popup.close();
  page = await extension.context.newPage();
  await page.goto(`${origin}/`);
});
afterAll(async () => {
  await extension?.close();
  await menus?.close();
  await pages?.close();
  await elsewhere?.close();
  await server?.close();
});
beforeEach(async () => {
  server.control.clearFaults();
  server.control.clearLog();
  await page.evaluate(() => getSelection()?.removeAllRanges());
});

const outbox = () => extension.inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
const messagesIn = (book = SUPPORT) => server.control.messages(book.b_o, book.b_c).filter((message) => message.u_c === 'demo');

let sendsBefore = 0;
beforeEach(async () => {
  sendsBefore = (await outbox()).length;
});

/** Waits until this test's send is delivered and checked, then gives the book's messages by demo. */
async function settled(book = SUPPORT) {
  await expect
    .poll(async () => {
      const items = await outbox();
      return items.length > sendsBefore && items.every((item) => item.status === 'sent' && item.verifyAt === null);
    })
    .toBe(true);
  return messagesIn(book);
}

const photoFile = { originName: 'photo.png', contentType: 'image/png', size: PHOTO.length, sha256: sha256(PHOTO) };

describe('Send to TimeTonic', () => {
  it('sends the page: its title and address', async () => {
    await menus.pickContextMenuItem(page, { x: 900, y: 300 }, MENU);
    const messages = await settled();
    expect(messages.map((message) => message.msg)).toEqual([`Quarterly report\n${origin}/`]);
    // "Sent to Support inbox" says it worked, and names the send for its Undo button.
    await expect.poll(async () => Object.keys(await extension.inExtension(() => chrome.notifications.getAll()))).toContain(`sent:alice/support-inbox#${messages[0]!.uuid}`);
  });

  it('sends a link: its text and address, and the page it was on', async () => {
    await menus.pickContextMenuItem(page, page.getByRole('link', { name: 'The full report' }), MENU);
    const messages = await settled();
    expect(messages.at(-1)!.msg).toBe(`The full report\n${origin}/full-report\n\nFrom: Quarterly report ${origin}/`);
  });

  it('sends the selection, quoted, then the page with the way back to the quote', async () => {
    const text = page.locator('#text');
    await text.click({ clickCount: 3 });
    await expect.poll(() => page.evaluate(() => getSelection()?.toString().trim())).toBe('Revenue grew 12% over the quarter.');
    await menus.pickContextMenuItem(page, text, MENU);
    const messages = await settled();
    expect(messages.at(-1)!.msg).toBe(
      `> Revenue grew 12% over the quarter.\n\nQuarterly report\n${origin}/#:~:text=Revenue%20grew%2012%25%20over%20the%20quarter.`,
    );
  });

  it('sends a long selection whose address opens the page at the quote', async () => {
    const annual = await extension.context.newPage();
    try {
      await annual.goto(`${origin}/annual`);
      const quote = annual.locator('#quote');
      await quote.click({ clickCount: 3 });
      await expect.poll(() => annual.evaluate(() => getSelection()?.toString().trim())).toBe(LONG_QUOTE);
      await menus.pickContextMenuItem(annual, quote, MENU);
      const message = (await settled()).at(-1)!.msg;
      const address = message.split('\n').at(-1)!;
      // The first and last words only, with `,` `&` `-` encoded.
      expect(address).toBe(`${origin}/annual#:~:text=Costs%20fell%20by%20a,R%26D%20and%20state%2Dof%2Dthe%2Dart%20tooling.`);

      const reader = await extension.context.newPage();
      try {
        // Without the fragment the page opens at its top; with it, at the quote.
        await reader.goto(`${origin}/annual`);
        expect(await reader.evaluate(() => scrollY)).toBe(0);
        await reader.goto('about:blank');
        await reader.goto(address);
        await expect.poll(() => reader.evaluate(() => scrollY)).toBeGreaterThan(2_000);
        const inView = () =>
          reader.evaluate(() => {
            const box = document.getElementById('quote')!.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= innerHeight;
          });
        await expect.poll(inView).toBe(true);
      } finally {
        await reader.close();
      }
    } finally {
      await annual.close();
    }
  });

  it('sends an image as a file, byte for byte, on its message', async () => {
    await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Photo' }), MENU);
    const messages = await settled();
    const message = messages.at(-1)!;
    expect(message.msg).toBe(`Quarterly report\n${origin}/`);
    expect(message.files).toEqual([photoFile]);
  });

  it('sends the address of an image whose site the user did not let it read', async () => {
    const picked = menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Elsewhere' }), MENU);
    // The click asks for the image's site at once; the user says no.
    await menus.pressDialogButton('Deny');
    await picked;
    const messages = await settled();
    expect(messages.at(-1)!).toMatchObject({ msg: `Quarterly report\n${origin}/\n\nImage: ${otherOrigin}/elsewhere.png`, files: [] });
    const item = (await outbox()).find((candidate) => candidate.smid === messages.at(-1)!.smid);
    expect(item?.note).toBe(`Access to ${otherOrigin.slice('http://'.length)} was not granted, so the image's address was sent`);
  });

  it('sends the image itself once the user lets it read the site', async () => {
    const picked = menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Elsewhere' }), MENU);
    await menus.pressDialogButton('Allow');
    await picked;
    const messages = await settled();
    expect(messages.at(-1)!.files).toEqual([{ ...photoFile, originName: 'elsewhere.png' }]);
  });
});

describe('an image upload that meets trouble ends with one message and one file', () => {
  /** Every message demo ever wrote in the book, deleted ones too, and every file ever put on one. */
  const everWritten = () => {
    const messages = server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c).messages.filter((message) => message.u_c === 'demo');
    return { messages: messages.length, files: messages.reduce((sum, message) => sum + message.files.length, 0) };
  };
  let writtenBefore = { messages: 0, files: 0 };
  beforeEach(() => {
    writtenBefore = everWritten();
  });
  /** This test's send made exactly one message with exactly one file, and nothing else was ever written. */
  function expectOneMessageOneFile(messages: ReturnType<typeof messagesIn>) {
    expect(everWritten()).toEqual({ messages: writtenBefore.messages + 1, files: writtenBefore.files + 1 });
    expect(messages.at(-1)!.files).toEqual([photoFile]);
  }

  it('after fileUpload answers HTTP 500 twice', async () => {
    server.control.injectFaults({ kind: 'http500', req: 'fileUpload', count: 2 });
    await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Photo' }), MENU);
    const messages = await settled();
    expectOneMessageOneFile(messages);
    expect(server.control.log().filter((entry) => entry.req === 'fileUpload').map((entry) => entry.outcome)).toEqual(['http500', 'http500', 'ok']);
  });

  it('when the answer to fileUpload is lost after the write', async () => {
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'fileUpload' });
    await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Photo' }), MENU);
    const messages = await settled();
    expectOneMessageOneFile(messages);
    // It looked for the file rather than uploading it again.
    expect(server.control.log().filter((entry) => entry.req === 'fileUpload')).toHaveLength(1);
  });

  it('when the worker is stopped between sendMsg and fileUpload', async () => {
    // Held long enough for the worker to be stopped first, and written before the grace delay ends.
    server.control.injectFaults({ kind: 'delay', req: 'fileUpload', delayMs: 1_200 });
    await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Photo' }), MENU);
    await expect.poll(() => server.control.log().some((entry) => entry.req === 'fileUpload')).toBe(true);
    await extension.stopWorker();
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    const messages = await settled();
    expectOneMessageOneFile(messages);
    const log = server.control.log();
    expect(log.filter((entry) => entry.req === 'sendMsg')).toHaveLength(1);
    // The worker was stopped before the held upload answered: the new worker did not know its
    // outcome, so it looked for the file (after the grace delay) instead of uploading it again.
    const uploads = log.filter((entry) => entry.req === 'fileUpload');
    expect(uploads.map((entry) => entry.outcome)).toEqual(['delay']);
    expect(log.some((entry) => entry.req === 'getBookMessages' && entry.seq > uploads[0]!.seq)).toBe(true);
  });
});

describe('a worker stopped after sendMsg was answered, before fileUpload', () => {
  it('uploads the file once when it starts again, and writes no second message', async () => {
    const before = messagesIn().length;
    // The upload is refused and waits a minute for its retry: the message is made, its file not yet.
    await extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), { ...TIMING, firstRetryMs: 60_000, maxRetryMs: 60_000 });
    server.control.injectFaults({ kind: 'http503', req: 'fileUpload' });
    try {
      await menus.pickContextMenuItem(page, page.getByRole('img', { name: 'Photo' }), MENU);
      await expect.poll(async () => (await outbox()).at(-1)?.reason ?? null).not.toBeNull();
      const waiting = (await outbox()).at(-1)!;
      expect(waiting.smid).not.toBeNull();
      expect(messagesIn().at(-1)!.files).toEqual([]);
      await extension.stopWorker();
    } finally {
      await extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), TIMING);
    }
    // The popup opening wakes the worker, and what waits goes at once.
    await extension.inExtension(() => chrome.runtime.sendMessage({ type: 'pollNow' }));
    const messages = await settled();
    expect(messages).toHaveLength(before + 1);
    expect(messages.at(-1)!.files).toEqual([photoFile]);
    expect(server.control.log().filter((entry) => entry.req === 'sendMsg')).toHaveLength(1);
    expect(server.control.log().filter((entry) => entry.req === 'fileUpload').map((entry) => entry.outcome)).toEqual(['http503', 'ok']);
  });
});

const MARKETING = { b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027' };

/** Right-clicks the page and picks "Choose book…": the picker window that opens. */
async function openPicker(on: Page = page) {
  // The page's window comes first again after another window closed.
  await on.bringToFront();
  const [picker] = await Promise.all([
    extension.context.waitForEvent('page'),
    menus.pickContextMenuItem(on, { x: 900, y: 300 }, ['Send to TimeTonic', 'Choose book…']),
  ]);
  return picker;
}

/** How many screenshots taken for a picker window wait in IndexedDB. */
const keptScreenshots = () =>
  extension.inExtension(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('timetonic-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys = open.result.transaction('attachments').objectStore('attachments').getAllKeys();
          keys.onerror = () => reject(keys.error);
          keys.onsuccess = () => {
            open.result.close();
            resolve(keys.result.filter((key) => String(key).startsWith('screenshot:')).length);
          };
        };
      }),
  );

/** Width and height from a PNG's header. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('choosing another book', () => {
  it('opens the picker, which finds a book by typing and sends there with Enter', async () => {
    const [picker] = await Promise.all([
      extension.context.waitForEvent('page'),
      menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', 'Choose book…']),
    ]);
    await picker.getByLabel('Find a book').fill('marke');
    await expect.poll(() => picker.getByRole('option').allTextContents()).toEqual(['Marketing plan 2027']);
    // The picker sends on keydown and closes itself: a whole press would race its key-up with the close.
    await picker.getByLabel('Find a book').focus();
    await Promise.all([picker.waitForEvent('close'), picker.keyboard.down('Enter')]);
    const messages = await settled({ b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027' });
    expect(messages.at(-1)!.msg).toBe(`Quarterly report\n${origin}/`);
  });

  it('sends the note first, and the screenshot taken at the click as a PNG of the visible size', async () => {
    const visible = await page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
    const picker = await openPicker();
    await picker.getByLabel('Note').fill('The chart is wrong');
    await picker.getByLabel('Include a screenshot').check();
    expect(await keptScreenshots()).toBe(1);
    const closed = picker.waitForEvent('close');
    await picker.getByRole('option', { name: MARKETING.title }).click();
    await closed;
    const message = (await settled(MARKETING)).at(-1)!;
    expect(message.msg).toBe(`The chart is wrong\n\nQuarterly report\n${origin}/`);
    expect(message.files).toHaveLength(1);
    expect(message.files[0]).toMatchObject({ contentType: 'image/png', originName: expect.stringMatching(/^Quarterly report \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/) });
    const png = server.control.state.getBook(MARKETING.b_o, MARKETING.b_c).messages.find((stored) => stored.smid === message.smid)!.files[0]!.bytes;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(pngSize(png)).toEqual(visible);
    // Sent, the bytes kept for the window are gone.
    await expect.poll(keptScreenshots).toBe(0);
  });

  it('on a page the browser will not capture, says so and sends without the picture', async () => {
    // The browser's own view of a page's source: the menu works there, a screenshot is refused.
    const address = `view-source:${origin}/`;
    const source = await extension.context.newPage();
    try {
      await source.goto(address);
      await extension.inExtension(() => chrome.storage.local.set({ pickerScreenshot: true }));
      const picker = await openPicker(source);
      const refused = 'The browser does not allow a screenshot of this page, so the message goes without one.';
      await picker.getByText(refused).waitFor();
      expect(await picker.getByLabel('Include a screenshot').isDisabled()).toBe(true);
      // Ticked as the last window was left: the send goes, without the picture, and says why.
      expect(await picker.getByLabel('Include a screenshot').isChecked()).toBe(true);
      await picker.getByLabel('Note').fill('Mine');
      const closed = picker.waitForEvent('close');
      await picker.getByRole('option', { name: MARKETING.title }).click();
      await closed;
      const message = (await settled(MARKETING)).at(-1)!;
      // The page's own address, as the click reports it.
      expect(message.msg).toBe(`Mine\n\n${origin}/`);
      expect(message.files).toEqual([]);
      const item = (await outbox()).find((candidate) => candidate.smid === message.smid);
      expect(item?.note).toBe(refused);
    } finally {
      await source.close();
    }
  });

  it('keeps a note when the window closes unsent, and sends it first in the message with a click on a book', async () => {
    const first = await openPicker();
    await first.getByLabel('Note').fill('Read before Monday');
    await expect.poll(() => extension.inExtension(async () => (await chrome.storage.local.get('pickerNote')).pickerNote)).toBe('Read before Monday');
    expect(await keptScreenshots()).toBe(1);
    await first.close();
    // Closed unsent, its screenshot is not kept.
    await expect.poll(keptScreenshots).toBe(0);

    const second = await openPicker();
    await expect.poll(() => second.getByLabel('Note').inputValue()).toBe('Read before Monday');
    await second.getByLabel('Note').fill('Read before Monday, <b>all</b> of it');
    const closed = second.waitForEvent('close');
    await second.getByRole('option', { name: 'Marketing plan 2027' }).click();
    await closed;
    const messages = await settled(MARKETING);
    expect(messages.at(-1)!.msg).toBe(`Read before Monday, <b>all</b> of it\n\nQuarterly report\n${origin}/`);
    // Sent, the note is not offered again.
    expect(await extension.inExtension(async () => (await chrome.storage.local.get('pickerNote')).pickerNote)).toBe('');
  });
});

describe('the keyboard command', () => {
  it('sends the page to the last book used', async () => {
    await page.bringToFront();
    await menus.pressShortcut('Alt+Shift+S');
    const messages = await settled({ b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027' });
    expect(messages.at(-1)!.msg).toBe(`Quarterly report\n${origin}/`);
  });

  it('sends a screenshot of the tab, with its page, once the user gave that command a key', async () => {
    const screenshotKey = async () =>
      (await extension.inExtension(() => chrome.commands.getAll())).find((command) => command.name === 'send-screenshot')?.shortcut;
    // No key of its own: the user picks one, here on the browser's page for shortcuts.
    expect(await screenshotKey()).toBe('');
    const shortcuts = await extension.context.newPage();
    try {
      await shortcuts.goto('chrome://extensions/shortcuts');
      await shortcuts.getByRole('button', { name: 'Edit shortcut Send a screenshot of this tab to the last book used for TimeTonic Companion' }).click();
      await shortcuts.keyboard.press('Alt+Shift+P');
      await expect.poll(screenshotKey).toBe('Alt+Shift+P');
    } finally {
      await shortcuts.close();
    }
    const visible = await page.evaluate(() => ({ width: Math.round(innerWidth * devicePixelRatio), height: Math.round(innerHeight * devicePixelRatio) }));
    await page.bringToFront();
    await menus.pressShortcut('Alt+Shift+P');
    const message = (await settled(MARKETING)).at(-1)!;
    expect(message.msg).toBe(`Quarterly report\n${origin}/`);
    expect(message.files).toEqual([expect.objectContaining({ contentType: 'image/png', originName: expect.stringMatching(/^Quarterly report .+\.png$/) })]);
    const png = server.control.state.getBook(MARKETING.b_o, MARKETING.b_c).messages.find((stored) => stored.smid === message.smid)!.files[0]!.bytes;
    expect(pngSize(png)).toEqual(visible);
  });
});

describe('signed out', () => {
  it('offers signing in instead of books', async () => {
    await extension.inExtension(() => chrome.runtime.sendMessage({ type: 'signOut' }));
    await expect
      .poll(() => menus.pickContextMenuItem(page, { x: 900, y: 300 }, ['Send to TimeTonic', 'Support inbox'], 1_000).then(() => 'picked', (error: Error) => error.message))
      .toMatch(/seen: 'Sign in to TimeTonic…'/);
  });
});
