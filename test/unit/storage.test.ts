/** Typed storage items: reading several of one area in one call. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser, type FakeBrowser } from '../support/fake-browser';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { readItems, storageItem } = await import('../../src/shared/storage');

const count = storageItem<number>('local', 'count', 0);
const names = storageItem<string[]>('local', 'names', []);
const theme = storageItem<string>('sync', 'theme', 'light');

beforeEach(() => {
  fake.browser = createFakeBrowser();
});

describe('readItems', () => {
  it('reads several items in one call, each value or its default', async () => {
    await fake.browser.storage.local.set({ count: 3 });
    const get = vi.spyOn(fake.browser.storage.local, 'get');
    const [stored, missing] = await readItems('local', [count, names]);
    expect([stored, missing]).toEqual([3, []]);
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith(['count', 'names']);
  });

  it('takes items of the one area it reads, as the types say', async () => {
    await fake.browser.storage.sync.set({ theme: 'dark' });
    // The type check (tsc) fails if this line compiles: an item of storage.sync in a read of storage.local.
    // @ts-expect-error
    const mixed = await readItems('local', [count, theme]);
    // What the types prevent: the sync item, looked for in storage.local, would miss its value.
    expect(mixed).toEqual([0, 'light']);
  });
});

describe('an item kept as text', () => {
  const books = storageItem<{ sstamp: number | null; titles: string[] }>('local', 'books', { sstamp: null, titles: [] }, { asText: true });

  it('stores JSON text and reads, watches and reads in a batch the value back', async () => {
    const seen: unknown[] = [];
    books.watch((value) => seen.push(value));
    await books.set({ sstamp: 7, titles: ['Équipe café', '<b>R&D</b>'] });
    expect(fake.browser.storage.local.data.get('books')).toBe('{"sstamp":7,"titles":["Équipe café","<b>R&D</b>"]}');
    expect(await books.get()).toEqual({ sstamp: 7, titles: ['Équipe café', '<b>R&D</b>'] });
    expect(seen).toEqual([{ sstamp: 7, titles: ['Équipe café', '<b>R&D</b>'] }]);
    expect(await readItems('local', [books, count])).toEqual([{ sstamp: 7, titles: ['Équipe café', '<b>R&D</b>'] }, 0]);
    await books.remove();
    expect(await books.get()).toEqual({ sstamp: null, titles: [] });
  });

  it('reads a value an earlier version stored as objects', async () => {
    await fake.browser.storage.local.set({ books: { sstamp: 3, titles: ['Old'] } });
    expect(await books.get()).toEqual({ sstamp: 3, titles: ['Old'] });
  });
});
