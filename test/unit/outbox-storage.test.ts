/**
 * Keeping a send when the browser's storage refuses it: storage.local over its quota, IndexedDB
 * refusing the file. The send gets a clear error; the outbox, the books and the files kept before
 * are untouched. IndexedDB's refusal is simulated here (a `QuotaExceededError` from the attachment
 * store): a real one cannot be provoked in a test browser without filling the disk.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser, type FakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as FakeBrowser, files: new Map<string, Blob>(), refuseFiles: false }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));
vi.mock('../../src/shared/attachments', () => ({
  keepAttachment: async (uuid: string, blob: Blob) => {
    if (fake.refuseFiles) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    fake.files.set(uuid, blob);
  },
  attachment: async (uuid: string) => fake.files.get(uuid) ?? null,
  forgetAttachment: async (uuid: string) => void fake.files.delete(uuid),
}));
// Node 20 has no Web Locks; these tests make one change at a time.
vi.stubGlobal('navigator', { locks: { request: (_name: string, task: () => Promise<unknown>) => task() } });

const { enqueue } = await import('../../src/background/outbox');

const BOOK = { b_o: 'alice', b_c: 'support-inbox' };
const EARLIER = { uuid: 'earlier', text: 'Kept before', status: 'pending' };
const local = () => Object.fromEntries(fake.browser.storage.local.data);

beforeEach(async () => {
  fake.browser = createFakeBrowser();
  fake.files = new Map([['earlier-file', new Blob(['kept'])]]);
  fake.refuseFiles = false;
  await fake.browser.storage.local.set({
    // Signed in to a server nobody answers: these sends are only kept, never delivered here.
    auth: { server: 'http://127.0.0.1:9', o_u: 'demo', oauthkey: 'o', sesskey: 's' },
    bookCache: JSON.stringify({ sstamp: 5, books: {}, names: {} }),
    outbox: [EARLIER],
    recentBooks: ['bob/garden'],
  });
});

describe('a send the browser cannot keep', () => {
  it('when storage.local is full: says so, and the outbox, the books and the files stay as they were', async () => {
    const before = local();
    vi.spyOn(fake.browser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    const outcome = await enqueue({ book: BOOK, text: 'Does not fit', files: [{ blob: new Blob(['png'], { type: 'image/png' }), name: 'chart.png' }] });
    expect(outcome).toEqual({ ok: false, error: 'Not sent: the browser’s storage for TimeTonic Companion is full. Nothing else was lost.' });
    expect(local()).toEqual(before);
    // The file kept for this send went again; the one of the earlier send stays.
    expect([...fake.files.keys()]).toEqual(['earlier-file']);
  });

  it('when IndexedDB refuses the file: says so, and keeps nothing of this send', async () => {
    const before = local();
    fake.refuseFiles = true;
    const outcome = await enqueue({ book: BOOK, text: 'With a photo', files: [{ blob: new Blob(['png'], { type: 'image/png' }), name: 'photo.png' }] });
    expect(outcome).toEqual({ ok: false, error: 'Not sent: the browser refused to keep the file (The quota has been exceeded.). Nothing else was lost.' });
    expect(local()).toEqual(before);
    expect([...fake.files.keys()]).toEqual(['earlier-file']);
  });

  it('is kept once there is room again, beside the earlier one', async () => {
    const set = vi.spyOn(fake.browser.storage.local, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    expect((await enqueue({ book: BOOK, text: 'Second try' })).ok).toBe(false);
    set.mockRestore();
    const outcome = await enqueue({ book: BOOK, text: 'Second try' });
    expect(outcome.ok).toBe(true);
    expect((local().outbox as { text: string }[]).map((item) => item.text)).toEqual(['Kept before', 'Second try']);
  });
});
