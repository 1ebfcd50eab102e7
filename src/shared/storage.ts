/**
 * Typed storage items: one item per key, its area and default beside it. Nothing else in the
 * extension calls `browser.storage` directly, so every key has exactly one owner.
 */
import browser from './browser';

export type StorageAreaName = 'local' | 'sync' | 'session';

export interface StorageItem<T> {
  readonly area: StorageAreaName;
  readonly key: string;
  readonly defaultValue: T;
  get(): Promise<T>;
  set(value: T): Promise<void>;
  remove(): Promise<void>;
  /** Calls back with the new value whenever the item changes; returns the unsubscribe function. */
  watch(callback: (value: T) => void): () => void;
}

/**
 * Keeps `target.value` equal to the item's value: sets it now and on every change. Pages use it to
 * mirror storage into their signals.
 */
export async function mirror<T>(item: StorageItem<T>, target: { value: T }): Promise<void> {
  item.watch((value) => (target.value = value));
  target.value = await item.get();
}

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
