/**
 * The worker's Undo, with the browser faked: a send no request has left for is cancelled and its
 * kept files forgotten; a right-click send's notification button takes its send back, and says why
 * when it cannot. Delivery itself (the deletions) is tested against the local server.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newItem, type OutboxItem } from '../../src/domain/outbox';
import { createFakeBrowser, type FakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as FakeBrowser, files: new Map<string, Blob>() }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));
vi.mock('../../src/shared/attachments', () => ({
  keepAttachment: async (uuid: string, blob: Blob) => void fake.files.set(uuid, blob),
  attachment: async (uuid: string) => fake.files.get(uuid) ?? null,
  forgetAttachment: async (uuid: string) => void fake.files.delete(uuid),
}));
// Node 20 has no Web Locks; these tests make one change at a time.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

const { undo } = await import('../../src/background/outbox');
const { onNotificationButton } = await import('../../src/background/notification-buttons');

const ACCOUNT = { server: 'http://127.0.0.1:9', o_u: 'demo' };
const BOOK = { b_o: 'alice', b_c: 'support-inbox' };
const UUID = '5d0c1a3e-8b7f-4e2d-9c6a-1f2e3d4c5b6a';
const item = (more: Partial<OutboxItem> = {}): OutboxItem => ({
  ...newItem({
    uuid: UUID,
    account: ACCOUNT,
    book: BOOK,
    bookTitle: 'Support inbox',
    text: 'Sent to the wrong book',
    sinceStamp: 5,
    now: Date.now(),
    origin: 'menu',
    attachments: [{ uuid: 'photo', name: 'photo.png', type: 'image/png', size: 3, kind: 'media' }],
  }),
  ...more,
});
const stored = async () => ((await fake.browser.storage.local.get('outbox')) as { outbox: OutboxItem[] }).outbox;

beforeEach(async () => {
  fake.browser = createFakeBrowser();
  fake.files = new Map([['photo', new Blob(['png'], { type: 'image/png' })]]);
  await fake.browser.storage.local.set({
    // Signed in to a server nobody answers (a cancelled send asks it nothing).
    auth: { ...ACCOUNT, oauthkey: 'o', sesskey: 's' },
    bookCache: JSON.stringify({ sstamp: 5, books: {}, names: {} }),
  });
});

describe('Undo in the worker', () => {
  it('cancels a send no request has left for, and forgets its files', async () => {
    await fake.browser.storage.local.set({ outbox: [item()] });
    expect(await undo(UUID)).toEqual({ ok: true });
    expect(await stored()).toMatchObject([{ status: 'undone', undo: { cancelled: true } }]);
    expect(fake.files.has('photo')).toBe(false);
  });

  it('refuses a send that is no longer listed', async () => {
    await fake.browser.storage.local.set({ outbox: [] });
    expect(await undo(UUID)).toEqual({ ok: false, error: 'This send is no longer listed: there is nothing to undo.' });
  });

  it('takes a delivered send back from its notification button, which goes', async () => {
    const id = `sent:alice/support-inbox#${UUID}`;
    await fake.browser.storage.local.set({ outbox: [item({ status: 'sent', smid: 12, sentAt: Date.now(), maybeWritten: 1 })] });
    // Signed out meanwhile: the deletion waits for the user, so nothing here goes to a server.
    await fake.browser.storage.local.remove('auth');
    fake.browser.shown.set(id, { title: 'Sent to Support inbox', message: 'Sent to the wrong book' });
    await onNotificationButton(id);
    expect((await stored())[0]).toMatchObject({ status: 'undoing', smid: 12 });
    expect(fake.browser.shown.has(id)).toBe(false);
  });

  it('says on the notification why a send can no longer be taken back', async () => {
    const id = `sent:alice/support-inbox#${UUID}`;
    await fake.browser.storage.local.set({ outbox: [item({ status: 'sent', smid: 12, sentAt: Date.now() - 45_000, maybeWritten: 1 })] });
    await onNotificationButton(id);
    expect(fake.browser.shown.get(id)).toEqual({
      title: 'Not deleted from Support inbox',
      message: 'Too late to undo: it was delivered more than 30 seconds ago.',
    });
    expect((await stored())[0]).toMatchObject({ status: 'sent' });
  });

  it('opens the book from the button of any other notification', async () => {
    await fake.browser.storage.local.set({ outbox: [] });
    await onNotificationButton('sent:alice/support-inbox');
    expect(fake.browser.openedTabs).toEqual(['http://127.0.0.1:9/live/#book/alice/support-inbox']);
  });
});
