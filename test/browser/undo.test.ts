/**
 * Undo in the popup's list of sends, in Chromium against the local server with its absorbing of a
 * repeated uuid turned off: a send still in the outbox is cancelled without a request; a delivered
 * one is deleted with its file; one whose outcome is unknown has every copy found and deleted; a
 * deletion that fails or loses its answer goes on until the message is deleted, once.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../server';
import { solidPng } from '../../server/demo';
import type { DeliveryTiming, OutboxItem } from '../../src/domain/outbox';
import type { LoadedExtension } from '../../harness/extension';
import { closeSignedInPopup, freshStart, openSignedInPopup, storedOutbox, type SignedInPopup } from '../support/signed-in-popup';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
/** Short waits, so that retries and the checks after the grace delay happen within a test (the worker's test seam). */
const TIMING: DeliveryTiming = { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 2_500 };
const PHOTO = solidPng(40, 30, [0xd9, 0x7a, 0x1c]);

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
/** Every message demo ever wrote with that text, deleted ones too: what members of the book saw. */
const everWritten = (text: string) =>
  server.control.state.getBook(SUPPORT.b_o, SUPPORT.b_c).messages.filter((message) => message.msg === text && message.u_c === 'demo');
const requestsFor = (text: string) => server.control.log().filter((entry) => entry.req === 'sendMsg' && entry.params.msg === text);
/** The send's line in the popup's list of sends. */
const line = (text: string) => popup.locator('.send', { hasText: text });
const stateOf = (text: string) => line(text).locator('.send-state').textContent();
const undoButton = (text: string) => line(text).getByRole('button', { name: `Undo the send to ${SUPPORT.title}` });

async function send(text: string) {
  await popup.getByLabel('Book', { exact: true }).focus();
  await popup.getByLabel('Book', { exact: true }).selectOption({ label: SUPPORT.title });
  await popup.getByLabel('Message').fill(text);
  await popup.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => popup.getByLabel('Message').inputValue()).toBe('');
}

describe('Undo in the popup', () => {
  it('cancels a send still in the outbox: no request for it ever goes', async () => {
    // The first send is held by the server, so the second waits behind it (a book's sends go in order).
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 1_000 });
    await send('Held first');
    await send('Queued behind it');
    await expect.poll(() => stateOf('Queued behind it')).toBe('Sending…');
    await undoButton('Queued behind it').click();
    await expect.poll(() => stateOf('Queued behind it')).toBe('Cancelled: nothing was sent');
    await expect.poll(async () => (await itemFor('Held first'))?.status).toBe('sent');
    expect(requestsFor('Queued behind it')).toEqual([]);
    expect(everWritten('Queued behind it')).toEqual([]);
    expect(everWritten('Held first')).toHaveLength(1);
    // Nothing left to take back.
    await expect(undoButton('Queued behind it').count()).resolves.toBe(0);
  });

  it('deletes a delivered send and its file, and the book list stops showing it', async () => {
    await send('Before the photo');
    await expect.poll(() => stateOf('Before the photo')).toBe('Sent');
    await popup.getByLabel('Book', { exact: true }).selectOption({ label: SUPPORT.title });
    await popup.getByLabel('Message').fill('With the photo');
    await popup.getByLabel('Attach files').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO }]);
    await popup.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => stateOf('With the photo')).toBe('Sent');
    const [message] = everWritten('With the photo');
    expect(message!.files).toHaveLength(1);

    await undoButton('With the photo').click();
    await expect.poll(() => stateOf('With the photo')).toBe('Deleted');
    expect(everWritten('With the photo').map((written) => written.del)).toEqual([true]);
    expect(server.control.log().filter((entry) => entry.req === 'deleteMsg')).toHaveLength(1);
    // The book's last message is the one before again.
    await expect.poll(() => popup.locator('.book', { hasText: SUPPORT.title }).locator('.preview').textContent()).toContain('Before the photo');
    await expect(undoButton('With the photo').count()).resolves.toBe(0);
  });

  it('offers Undo on a message just sent from within a book, which goes from the book once deleted', async () => {
    await popup.getByRole('button', { name: new RegExp(`^${SUPPORT.title}`) }).click();
    const box = popup.getByRole('region', { name: `Write in ${SUPPORT.title}` });
    await box.getByLabel('Message').fill('Written in the wrong book');
    await box.getByRole('button', { name: 'Send', exact: true }).click();
    const messages = popup.getByRole('list', { name: 'Messages' });
    const mine = messages.getByRole('listitem').filter({ hasText: 'Written in the wrong book' });
    // Fetched back from the server, the message still offers Undo.
    await expect.poll(() => mine.getAttribute('class')).toBe('message mine');
    await mine.getByRole('button', { name: `Undo the send to ${SUPPORT.title}` }).click();
    await expect.poll(() => mine.count()).toBe(0);
    expect(everWritten('Written in the wrong book').map((written) => written.del)).toEqual([true]);
    await popup.keyboard.press('Escape');
  });

  it('shows Undo for 30 seconds after delivery, then no more', async () => {
    await send('Thirty seconds');
    await expect.poll(() => stateOf('Thirty seconds')).toBe('Sent');
    await expect(undoButton('Thirty seconds').isVisible()).resolves.toBe(true);
    // Delivered 29.5 s ago, as the worker would have written it: the button goes in half a second.
    await extension.inExtension(async (text) => {
      const { outbox: items } = (await chrome.storage.local.get('outbox')) as { outbox: OutboxItem[] };
      await chrome.storage.local.set({ outbox: items.map((item) => (item.text === text ? { ...item, sentAt: Date.now() - 29_500 } : item)) });
    }, 'Thirty seconds');
    await expect.poll(() => undoButton('Thirty seconds').count()).toBe(0);
    expect(await stateOf('Thirty seconds')).toBe('Sent');
  });

  it('finds and deletes every copy of a send whose answer was lost', async () => {
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    await send('Answer lost, then undone');
    await expect.poll(() => everWritten('Answer lost, then undone').length).toBe(1);
    await undoButton('Answer lost, then undone').click();
    await expect.poll(() => stateOf('Answer lost, then undone')).toMatch(/^Deleting…|Not deleted yet/);
    // Done only once no request may still write a copy: two grace delays at most.
    await expect.poll(() => stateOf('Answer lost, then undone'), { timeout: 4 * TIMING.graceMs }).toBe('Deleted');
    expect(everWritten('Answer lost, then undone').map((written) => written.del)).toEqual([true]);
    expect(requestsFor('Answer lost, then undone')).toHaveLength(1);
  });

  it('goes on when deleteMsg fails or its answer is lost, and deletes the message once', async () => {
    await send('Deleted despite faults');
    await expect.poll(() => stateOf('Deleted despite faults')).toBe('Sent');
    server.control.injectFaults({ kind: 'http500', req: 'deleteMsg' }, { kind: 'dropAfterWrite', req: 'deleteMsg' });
    await undoButton('Deleted despite faults').click();
    await expect.poll(() => stateOf('Deleted despite faults')).toBe('Deleted');
    expect(everWritten('Deleted despite faults').map((written) => written.del)).toEqual([true]);
    expect(server.control.log().filter((entry) => entry.req === 'deleteMsg').map((entry) => entry.outcome)).toEqual(['http500', 'dropAfterWrite', 'ok']);
  });

  it('says why when the server will not delete, and the message stays', async () => {
    await send('Stays on the server');
    await expect.poll(() => stateOf('Stays on the server')).toBe('Sent');
    server.control.injectFaults({ kind: 'nok', req: 'deleteMsg', errorCode: 'apiProcess201', errorMsg: 'no rights on this book' });
    await undoButton('Stays on the server').click();
    await expect.poll(() => stateOf('Stays on the server')).toMatch(/^Sent\. Not deleted: /);
    expect(everWritten('Stays on the server').map((written) => written.del)).toEqual([false]);
  });
});
