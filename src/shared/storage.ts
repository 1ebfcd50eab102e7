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
 */
export async function readItems<Area extends StorageAreaName, const Items extends readonly StorageItem<unknown, Area>[]>(
  area: Area,
  items: Items,
): Promise<Values<Items>> {
  const stored = await browser.storage[area].get(items.map((item) => item.key));
  return items.map((item) => (item.key in stored ? stored[item.key] : item.defaultValue)) as Values<Items>;
}

export function storageItem<T>(area: 'local', key: string, defaultValue: T): StorageItem<T, 'local'>;
export function storageItem<T>(area: 'sync', key: string, defaultValue: T): StorageItem<T, 'sync'>;
export function storageItem<T>(area: 'session', key: string, defaultValue: T): StorageItem<T, 'session'>;
export function storageItem<T>(area: StorageAreaName, key: string, defaultValue: T): StorageItem<T> {
  const storage = () => browser.storage[area];
  return {
    area,
    key,
    defaultValue,
    async get() {
      const stored = await storage().get(key);
      return key in stored ? (stored[key] as T) : defaultValue;
    },
    async set(value) {
      await storage().set({ [key]: value });
    },
    async remove() {
      await storage().remove(key);
    },
    watch(callback) {
      const listener = (changes: Record<string, { newValue?: unknown }>, changedArea: string) => {
        const change = changes[key];
        if (changedArea === area && change) callback(change.newValue === undefined ? defaultValue : (change.newValue as T));
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
