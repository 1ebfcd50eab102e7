/**
 * Quick-send through the outbox, in Chromium against the local server with its absorbing of a
 * repeated uuid turned off: every message lands exactly once, whatever the network, the server or
 * the worker does meanwhile.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../server';
import { NOK } from '../../src/api/errors';
import type { DeliveryTiming, OutboxItem } from '../../src/domain/outbox';
import type { BookRef } from '../../src/domain/refs';
import { signInThroughPopup, type LoadedExtension } from '../../harness/extension';
import { closeSignedInPopup, openSignedInPopup, type SignedInPopup } from '../support/signed-in-popup';

const SUPPORT = { b_o: 'alice', b_c: 'support-inbox', title: 'Support inbox' };
const MARKETING = { b_o: 'demo', b_c: 'marketing-2027', title: 'Marketing plan 2027' };
/** Short waits, so that retries and the late-copy check happen within a test (the worker's test seam). */
const TIMING: DeliveryTiming = { firstRetryMs: 150, maxRetryMs: 1_000, requestTimeoutMs: 1_500, graceMs: 2_500 };

let setting: SignedInPopup;
let server: LocalServer;
let extension: LoadedExtension;
let popup: Page;

beforeAll(async () => {
  setting = await openSignedInPopup();
  ({ server, extension, popup } = setting);
});
afterAll(() => closeSignedInPopup(setting ?? {}));
beforeEach(async () => {
  server.control.clearFaults();
  await popup.reload();
  await popup.getByLabel('Message').waitFor();
});

const copiesOf = (book: BookRef, text: string) =>
  server.control.messages(book.b_o, book.b_c).filter((message) => message.msg === text && message.u_c === 'demo');
const outbox = () => extension.inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
const itemFor = async (text: string) => (await outbox()).find((item) => item.text === text);
const useShortTimings = () => extension.inExtension((timing) => chrome.storage.local.set({ deliveryTiming: timing }), TIMING);
/** Every message demo ever wrote with that text, deleted ones too: what members of the book saw. */
const everWritten = (book: BookRef, text: string) =>
  server.control.state.getBook(book.b_o, book.b_c).messages.filter((message) => message.msg === text && message.u_c === 'demo');

async function send(text: string, book = SUPPORT) {
  // The choice lists every book once gone to.
  await popup.getByLabel('Book', { exact: true }).focus();
  await popup.getByLabel('Book', { exact: true }).selectOption({ label: book.title });
  await popup.getByLabel('Message').fill(text);
  await popup.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Delivered, and no late copy left to look for. */
async function expectDeliveredOnce(text: string, book = SUPPORT) {
  await expect.poll(async () => {
    const item = await itemFor(text);
    return item && item.status === 'sent' && item.verifyAt === null;
  }).toBe(true);
  expect(copiesOf(book, text)).toHaveLength(1);
  const item = await itemFor(text);
  expect(copiesOf(book, text)[0]!.uuid).toBe(item!.uuid);
}

describe('quick-send, with the timings users get', () => {
  it('runs with no timing set by a test', async () => {
    expect(await extension.inExtension(async () => (await chrome.storage.local.get('deliveryTiming')).deliveryTiming)).toBeUndefined();
  });

  it('delivers exactly the typed text once, to the chosen book, and empties the box', async () => {
    const text = `Réunion à 14h ✅ 🎉 <b>not bold</b> <img src=x onerror=alert(1)> ${'long '.repeat(1000)}`.slice(0, 5_000);
    await send(text, MARKETING);
    await expect.poll(() => popup.getByLabel('Message').inputValue()).toBe('');
    await expectDeliveredOnce(text, MARKETING);
    await expect.poll(() => popup.locator('.send').first().locator('.send-state').textContent()).toBe('Sent');
    // The book list shows the message just sent.
    await expect.poll(() => popup.locator('.book', { hasText: MARKETING.title }).locator('.preview').textContent()).toContain('Réunion à 14h ✅');
  });

  it('preselects the last book used', async () => {
    await send('To the marketing book', MARKETING);
    await expectDeliveredOnce('To the marketing book', MARKETING);
    await popup.reload();
    await expect.poll(async () => popup.getByLabel('Book', { exact: true }).locator('option:checked').textContent()).toBe(MARKETING.title);
  });

  it('sends with Ctrl+Enter and keeps a draft when the popup closes', async () => {
    await popup.getByLabel('Message').fill('Half-written thought');
    await popup.close();
    popup = await extension.openPopup();
    await expect.poll(() => popup.getByLabel('Message').inputValue()).toBe('Half-written thought');
    await popup.getByLabel('Message').press('Control+Enter');
    await expectDeliveredOnce('Half-written thought', MARKETING);
  });
});

describe('quick-send under faults, with shortened waits', () => {
  beforeAll(useShortTimings);

  it('delivers once after HTTP 500 three times', async () => {
    server.control.injectFaults({ kind: 'http500', req: 'sendMsg', count: 3 });
    await send('After three server errors');
    await expectDeliveredOnce('After three server errors');
    expect(server.control.log().filter((entry) => entry.req === 'sendMsg' && entry.outcome === 'http500')).toHaveLength(3);
  });

  it('delivers once when the answer is lost after the write', async () => {
    server.control.injectFaults({ kind: 'dropAfterWrite', req: 'sendMsg' });
    await send('Answer lost after the write');
    await expectDeliveredOnce('Answer lost after the write');
    // It looked for the message instead of sending it again.
    expect(server.control.log().filter((entry) => entry.req === 'sendMsg' && entry.params.msg === 'Answer lost after the write')).toHaveLength(1);
  });

  it('writes the message once when the server holds the request past the time-out', async () => {
    server.control.clearLog();
    // Written after the client gave up and after its first look, within the grace delay.
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: TIMING.requestTimeoutMs + 800 });
    await send('Held past the time-out');
    await expectDeliveredOnce('Held past the time-out');
    // It looked, found nothing yet, and waited for the held request rather than sending again.
    const calls = server.control.log().filter((entry) => entry.req === 'getBookMessages' || entry.params.msg === 'Held past the time-out');
    expect(calls.map((entry) => entry.req).slice(0, 2)).toEqual(['sendMsg', 'getBookMessages']);
    expect(calls.filter((entry) => entry.req === 'sendMsg')).toHaveLength(1);
    expect(everWritten(SUPPORT, 'Held past the time-out')).toHaveLength(1);
  });

  it('removes the copy of a request the server held past the grace delay', async () => {
    server.control.clearLog();
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: TIMING.graceMs + 1_000 });
    await send('Held past the grace delay');
    await expect.poll(() => everWritten(SUPPORT, 'Held past the grace delay').length).toBe(2);
    await expectDeliveredOnce('Held past the grace delay');
    expect(server.control.log().filter((entry) => entry.req === 'deleteMsg')).toHaveLength(1);
  });

  it('renews an expired session and delivers once', async () => {
    server.control.expireSessions('demo');
    await send('After the session expired');
    await expectDeliveredOnce('After the session expired');
    expect(server.control.log().some((entry) => entry.req === 'createSesskey')).toBe(true);
  });

  it('delivers once when the worker is stopped mid-send', async () => {
    server.control.clearLog();
    // Held long enough for the worker to be stopped first, yet shorter than the grace delay.
    server.control.injectFaults({ kind: 'delay', req: 'sendMsg', delayMs: 2_000 });
    await send('Worker stopped mid-send');
    await expect.poll(() => server.control.log().some((entry) => entry.req === 'sendMsg' && entry.outcome === 'delay')).toBe(true);
    await extension.stopWorker();
    await extension.inExtension(() => chrome.alarms.create('outbox', { when: Date.now() }));
    await expectDeliveredOnce('Worker stopped mid-send');
    // The attempt was recorded before the request left: the new worker looked before sending again.
    const calls = server.control
      .log()
      .filter((entry) => entry.req === 'getBookMessages' || (entry.req === 'sendMsg' && entry.params.msg === 'Worker stopped mid-send'))
      .map((entry) => entry.req);
    expect(calls.slice(0, 2)).toEqual(['sendMsg', 'getBookMessages']);
    expect(everWritten(SUPPORT, 'Worker stopped mid-send')).toHaveLength(1);
  });

  it('keeps all of 30 sends typed a few milliseconds apart', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `Rapid send ${i + 1}`);
    // Straight to the worker, as fast as the popup can ask.
    const answers: { ok: boolean }[] = await popup.evaluate(
      (all) => Promise.all(all.map((text) => chrome.runtime.sendMessage<unknown, { ok: boolean }>({ type: 'send', book: { b_o: 'alice', b_c: 'support-inbox' }, text }))),
      texts,
    );
    expect(answers.every((answer) => answer.ok)).toBe(true);
    for (const text of texts) await expectDeliveredOnce(text);
    // In order.
    const smids = texts.map((text) => copiesOf(SUPPORT, text)[0]!.smid);
    expect(smids).toEqual([...smids].sort((a, b) => a - b));
  });

  it('waits while the server is down, says so, then delivers when it is back', async () => {
    server.control.injectFaults({ kind: 'drop', count: 1_000 });
    await send('While the server is down');
    await expect.poll(() => popup.locator('.send', { hasText: 'While the server is down' }).locator('.send-state').textContent()).toBe(
      'Waiting: TimeTonic could not be reached. It will be retried.',
    );
    await expect.poll(() => popup.getByRole('heading').textContent()).toContain('1 waiting');
    server.control.clearFaults();
    await expectDeliveredOnce('While the server is down');
  });

  it('shows a permanent refusal with its reason, and Discard removes it', async () => {
    server.control.injectFaults({ kind: 'nok', req: 'sendMsg', errorCode: NOK.noRights.code, errorMsg: NOK.noRights.msg });
    await send('Refused for good');
    const row = popup.locator('.send', { hasText: 'Refused for good' });
    await expect.poll(() => row.locator('.send-state').textContent()).toBe('Failed: You may not write in this book');
    expect(copiesOf(SUPPORT, 'Refused for good')).toHaveLength(0);
    await row.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await itemFor('Refused for good')).toBeUndefined();
  });

  it('retries a refused send when asked, and delivers it once', async () => {
    server.control.injectFaults({ kind: 'nok', req: 'sendMsg', errorCode: NOK.noRights.code, errorMsg: NOK.noRights.msg });
    await send('Refused, then retried');
    const row = popup.locator('.send', { hasText: 'Refused, then retried' });
    await expect.poll(() => row.locator('.send-state').textContent()).toMatch(/^Failed/);
    await row.getByRole('button', { name: 'Retry' }).click();
    await expectDeliveredOnce('Refused, then retried');
  });
});

describe('keys belong to a user on a server', () => {
  beforeAll(useShortTimings);
  it('keeps a waiting send across sign-out, never sends it as another user, and sends it when its user is back', async () => {
    server.control.injectFaults({ kind: 'drop', req: 'sendMsg', count: 1_000 });
    await send('Only as demo');
    await expect.poll(async () => (await itemFor('Only as demo'))?.reason).toBe('TimeTonic could not be reached');

    const options = await extension.openOptions();
    await options.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => options.locator('#account-status').textContent()).toBe(
      'Signed out. 1 message waits to be sent; it goes when demo signs in again.',
    );
    server.control.clearFaults();

    await popup.reload();
    await signInThroughPopup(popup, 'alice', 'alice-pw');
    await popup.getByLabel('Message').waitFor();
    await expect.poll(() => popup.locator('.send', { hasText: 'Only as demo' }).locator('.send-state').textContent()).toBe(
      'Waiting for demo to sign in; it goes then.',
    );
    // Alice's session sends her own messages, never demo's.
    await send('Alice writes');
    await expect.poll(() => server.control.messages(SUPPORT.b_o, SUPPORT.b_c).filter((m) => m.msg === 'Alice writes' && m.u_c === 'alice')).toHaveLength(1);
    expect(server.control.log().filter((entry) => entry.params.msg === 'Only as demo' && entry.params.o_u === 'alice')).toHaveLength(0);
    expect(copiesOf(SUPPORT, 'Only as demo')).toHaveLength(0);

    await options.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => options.locator('#account-status').textContent()).toMatch(/^Signed out/);
    await popup.reload();
    await signInThroughPopup(popup, 'demo', 'demo');
    await expectDeliveredOnce('Only as demo');
    await options.close();
  });
});
