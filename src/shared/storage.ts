/**
 * Typed storage items: one item per key, its area and default beside it. Nothing else in the
 * extension calls `browser.storage` directly, so every key has exactly one owner.
 */
import browser from './browser';

export type StorageAreaName = 'local' | 'sync' | 'session';

export interface StorageItem<T, Area extends StorageAreaName = StorageAreaName> {
  readonly area: Area;
  readonly key: string;
  readonly defaultValue: T;
  get(): Promise<T>;
  set(value: T): Promise<void>;
  /** The value from what storage holds under the key (`undefined`: nothing, so the default). */
  decode(stored: unknown): T;
  /** What storage holds for the value. */
  encode(value: T): unknown;
  remove(): Promise<void>;
  /** Calls back with the new value whenever the item changes; returns the unsubscribe function. */
  watch(callback: (value: T) => void): () => void;
}

/** Sets `target.value` to the item's value on every change; for a value the page has read already. */
export function follow<T>(item: StorageItem<T>, target: { value: T }): () => void {
  return item.watch((value) => (target.value = value));
}

/**
 * Keeps `target.value` equal to the item's value: sets it now and on every change. Pages use it to
 * mirror storage into their signals.
 */
export async function mirror<T>(item: StorageItem<T>, target: { value: T }): Promise<void> {
  follow(item, target);
  target.value = await item.get();
}

type Values<Items extends readonly StorageItem<unknown>[]> = { -readonly [K in keyof Items]: Items[K] extends StorageItem<infer T> ? T : never };

/**
 * Reads several items of one area (the type says which) in one call, each value or its default.
 * Every storage call is a round trip to the browser: a page reads all its first paint needs at once.
 * `started`: the same read, started earlier by the page.
 */
export async function readItems<Area extends StorageAreaName, const Items extends readonly StorageItem<unknown, Area>[]>(
  area: Area,
  items: Items,
  started?: Promise<Record<string, unknown>>,
): Promise<Values<Items>> {
  const stored = await (started ?? browser.storage[area].get(items.map((item) => item.key)));
  return items.map((item) => item.decode(stored[item.key])) as Values<Items>;
}

/** An item and its new value, for writeItems. */
export interface ItemWrite<Area extends StorageAreaName> {
  key: string;
  stored: unknown;
  area: Area;
}

export function itemWrite<T, Area extends StorageAreaName>(item: StorageItem<T, Area>, value: T): ItemWrite<Area> {
  return { area: item.area, key: item.key, stored: item.encode(value) };
}

/**
 * Writes several items of one area in one call: they change together, and a reader never sees one
 * without the others.
 */
export async function writeItems<Area extends StorageAreaName>(area: Area, writes: readonly ItemWrite<Area>[]): Promise<void> {
  await browser.storage[area].set(Object.fromEntries(writes.map((write) => [write.key, write.stored])));
}

export interface ItemOptions {
  /**
   * Kept as one JSON text rather than as objects. For a large value (the book list of a
   * 2,000-book account): the browser hands a string to a page or the worker several times faster
   * than the objects, which it converts one by one, on every read and every change event.
   */
  asText?: boolean;
}

export function storageItem<T>(area: 'local', key: string, defaultValue: T, options?: ItemOptions): StorageItem<T, 'local'>;
export function storageItem<T>(area: 'sync', key: string, defaultValue: T, options?: ItemOptions): StorageItem<T, 'sync'>;
export function storageItem<T>(area: 'session', key: string, defaultValue: T, options?: ItemOptions): StorageItem<T, 'session'>;
export function storageItem<T>(area: StorageAreaName, key: string, defaultValue: T, { asText = false }: ItemOptions = {}): StorageItem<T> {
  const storage = () => browser.storage[area];
  const decode = (stored: unknown): T => {
    if (stored === undefined) return defaultValue;
    // A value an earlier version kept as objects is read as it is.
    return asText && typeof stored === 'string' ? (JSON.parse(stored) as T) : (stored as T);
  };
  const encode = (value: T): unknown => (asText ? JSON.stringify(value) : value);
  return {
    area,
    key,
    defaultValue,
    decode,
    encode,
    async get() {
      return decode((await storage().get(key))[key]);
    },
    async set(value) {
      await storage().set({ [key]: encode(value) });
    },
    async remove() {
      await storage().remove(key);
    },
    watch(callback) {
      const listener = (changes: Record<string, { newValue?: unknown }>, changedArea: string) => {
        const change = changes[key];
        if (changedArea === area && change) callback(decode(change.newValue));
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
