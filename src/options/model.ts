/**
 * State of the options page: the saved settings (followed in storage), the server address being
 * typed, the account, and the outcome of each action.
 */
import { computed, signal } from '@preact/signals';
import { bookKey, EMPTY_CACHE, type BookCache } from '../domain/books';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import { sendToWorker, type Outcome } from '../shared/messages';
import { ensureHostAccess } from '../shared/permissions';
import { mutedBooksSetting, notificationsSetting, pollMinutesSetting, serverSetting } from '../shared/settings';
import type { Account } from '../domain/outbox';
import { accountItem, bookCacheItem, syncStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';
import { parseServerAddress } from './server-address';

export type ActionStatus = { state: 'idle' } | { state: 'busy' } | { state: 'done'; message: string } | { state: 'error'; message: string };

const IDLE: ActionStatus = { state: 'idle' };

/** Sends still waiting are kept for the same user, and signing out says so. */
export function signedOutWords(waiting: number, who: string | undefined): string {
  if (waiting === 0) return 'Signed out.';
  const count = waiting === 1 ? '1 message waits' : `${waiting} messages wait`;
  return `Signed out. ${count} to be sent; ${waiting === 1 ? 'it goes' : 'they go'} when ${who ?? 'you'} ${who ? 'signs' : 'sign'} in again.`;
}

export function createOptionsModel() {
  const loaded = signal(false);
  const serverDraft = signal('');
  const saveStatus = signal<ActionStatus>(IDLE);
  const pollMinutes = signal(pollMinutesSetting.defaultValue);
  const notifications = signal(notificationsSetting.defaultValue);
  const mutedBooks = signal<string[]>([]);
  const signedInAs = signal<Account | null>(null);
  const status = signal<SyncStatus>(SIGNED_OUT);
  const cache = signal<BookCache>(EMPTY_CACHE);
  const accountStatus = signal<ActionStatus>(IDLE);

  const account = computed(() => (signedInAs.value ? { u_c: signedInAs.value.o_u, server: signedInAs.value.server } : null));
  const books = computed(() => Object.values(cache.value.books).sort((a, b) => a.title.localeCompare(b.title)));
  const mutedSet = computed(() => new Set(mutedBooks.value));

  async function load() {
    const [server] = await Promise.all([
      serverSetting.get(),
      mirror(pollMinutesSetting, pollMinutes),
      mirror(notificationsSetting, notifications),
      mirror(mutedBooksSetting, mutedBooks),
      mirror(accountItem, signedInAs),
      mirror(syncStatusItem, status),
      mirror(bookCacheItem, cache),
    ]);
    serverDraft.value = server;
    loaded.value = true;
  }

  function editServer(value: string) {
    serverDraft.value = value;
    saveStatus.value = IDLE;
  }

  async function saveServer() {
    const parsed = parseServerAddress(serverDraft.value);
    if (!parsed.ok) {
      saveStatus.value = { state: 'error', message: parsed.error };
      return;
    }
    saveStatus.value = { state: 'busy' };
    try {
      if (!(await ensureHostAccess(parsed.server))) {
        saveStatus.value = { state: 'error', message: `Access to ${new URL(parsed.server).host} was not granted` };
        return;
      }
      await serverSetting.set(parsed.server);
      serverDraft.value = parsed.server;
      saveStatus.value = { state: 'done', message: 'Saved.' };
    } catch (error) {
      saveStatus.value = { state: 'error', message: `Could not save: ${String(error)}` };
    }
  }

  async function runAccountAction(action: () => Promise<Outcome & { done?: string }>, done: string) {
    accountStatus.value = { state: 'busy' };
    let outcome: Outcome & { done?: string };
    try {
      outcome = await action();
    } catch (error) {
      outcome = { ok: false, error: String(error) };
    }
    accountStatus.value = outcome.ok ? { state: 'done', message: outcome.done ?? done } : { state: 'error', message: outcome.error };
  }

  async function signOut() {
    const who = account.value?.u_c;
    const { waiting } = await sendToWorker({ type: 'signOut' });
    return { ok: true as const, done: signedOutWords(waiting, who) };
  }

  return {
    loaded,
    serverDraft,
    saveStatus,
    pollMinutes,
    notifications,
    mutedSet,
    account,
    status,
    books,
    accountStatus,
    load,
    editServer,
    saveServer,
    setPollMinutes: (minutes: number) => pollMinutesSetting.set(minutes),
    setNotifications: (on: boolean) => notificationsSetting.set(on),
    setMuted: (book: { b_o: string; b_c: string }, muted: boolean) => {
      const key = bookKey(book);
      const others = mutedBooks.value.filter((k) => k !== key);
      return mutedBooksSetting.set(muted ? [...others, key] : others);
    },
    signOut: () => runAccountAction(signOut, 'Signed out.'),
    dropOtherSessions: () => runAccountAction(() => sendToWorker({ type: 'dropOtherSessions' }), 'Your other sessions are signed out.'),
  };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
