/**
 * A small in-memory stand-in for the `browser` seam, for unit tests of the worker's handlers in
 * Node, and of the pages' components in a DOM. It records what the code did (storage writes, badge,
 * notifications, alarms, requests to the worker) and lets a test set the idle state. Browser tests
 * use the real thing.
 */
import { englishTable } from './words';

type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void;

function storageArea(name: string, onWrite: (area: string) => void, emit: Listener) {
  const data = new Map<string, unknown>();
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    data,
    async get(keys: string | string[] | null) {
      const wanted = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(wanted.filter((key) => data.has(key)).map((key) => [key, clone(data.get(key))]));
    },
    async set(items: Record<string, unknown>) {
      onWrite(name);
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [key, value] of Object.entries(items)) {
        changes[key] = { oldValue: data.get(key), newValue: clone(value) };
        data.set(key, clone(value));
      }
      emit(changes, name);
    },
    async remove(keys: string | string[]) {
      onWrite(name);
      const changes: Record<string, { oldValue?: unknown }> = {};
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        changes[key] = { oldValue: data.get(key) };
        data.delete(key);
      }
      emit(changes, name);
    },
  };
}

type IdleState = 'active' | 'idle' | 'locked';

interface FakeAlarm {
  name: string;
  scheduledTime: number;
  periodInMinutes?: number;
}

export function createFakeBrowser() {
  const listeners = new Set<Listener>();
  const writes: string[] = [];
  const emit: Listener = (changes, area) => listeners.forEach((listener) => listener(changes, area));
  const badge = { text: '', color: '', title: '' };
  const shown = new Map<string, { title: string; message: string }>();
  const onWrite = (area: string) => writes.push(area);
  const openedTabs: string[] = [];
  const alarms = new Map<string, FakeAlarm>();
  const idle = { state: 'active' as IdleState, detectionIntervalSeconds: 60 };
  /** What the pages asked the worker, in order; `worker.answer` answers (tests replace it). */
  const asked: { type: string }[] = [];
  const worker = { answer: async (_request: { type: string }): Promise<unknown> => ({ ok: true }) };

  return {
    writes,
    asked,
    worker,
    badge,
    /** Notifications on screen, by id. */
    shown,
    /** Addresses opened in new tabs. */
    openedTabs,
    /** Alarms set now, by name. */
    alarmsSet: alarms,
    /** What `idle.queryState` answers, and the interval last set. */
    idleNow: idle,
    storage: {
      local: storageArea('local', onWrite, emit),
      sync: storageArea('sync', onWrite, emit),
      session: storageArea('session', onWrite, emit),
      onChanged: { addListener: (l: Listener) => listeners.add(l), removeListener: (l: Listener) => listeners.delete(l) },
    },
    action: {
      setBadgeText: async ({ text }: { text: string }) => void (badge.text = text),
      setBadgeBackgroundColor: async ({ color }: { color: string }) => void (badge.color = color),
      setTitle: async ({ title }: { title: string }) => void (badge.title = title),
    },
    notifications: {
      create: async (id: string, options: { title: string; message: string }) => {
        shown.set(id, { title: options.title, message: options.message });
        return id;
      },
      clear: async (id: string) => shown.delete(id),
    },
    alarms: {
      create: async (name: string, info: { when?: number; delayInMinutes?: number; periodInMinutes?: number }) => {
        const scheduledTime = info.when ?? Date.now() + (info.delayInMinutes ?? info.periodInMinutes ?? 0) * 60_000;
        alarms.set(name, { name, scheduledTime, ...(info.periodInMinutes === undefined ? {} : { periodInMinutes: info.periodInMinutes }) });
      },
      get: async (name: string) => alarms.get(name),
      clear: async (name: string) => alarms.delete(name),
    },
    idle: {
      queryState: async (_detectionIntervalSeconds: number) => idle.state,
      setDetectionInterval: (seconds: number) => void (idle.detectionIntervalSeconds = seconds),
    },
    tabs: { create: async ({ url }: { url: string }) => void openedTabs.push(url) },
    // The browser's lookup in English: `$1`… replaced, '' for a key the table lacks.
    i18n: {
      getMessage: (key: string, substitutions: string[] = []) =>
        (englishTable as Record<string, { message: string } | undefined>)[key]?.message.replace(/\$([1-9])/g, (_, n: string) => substitutions[Number(n) - 1] ?? '') ?? '',
      getUILanguage: () => 'en',
    },
    runtime: {
      id: 'fake-extension',
      getURL: (path: string) => `chrome-extension://fake-extension/${path}`,
      sendMessage: async (request: { type: string }) => {
        asked.push(request);
        return worker.answer(request);
      },
      openOptionsPage: async () => undefined,
    },
  };
}

export type FakeBrowser = ReturnType<typeof createFakeBrowser>;
