/**
 * State of the options page: the saved settings (followed in storage), the server address and the
 * quiet hours being edited, the account, and the outcome of each action.
 */
import { computed, signal } from '@preact/signals';
import { bookKey, EMPTY_CACHE, type BookCache } from '../domain/books';
import { formatTimeOfDay, parseQuietHours, type QuietHours, type QuietHoursDraft, type QuietHoursField, type Weekday } from '../domain/quiet-hours';
import type { Account, BookRef } from '../domain/refs';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import { t } from '../shared/i18n';
import { sendToWorker, type Outcome } from '../shared/messages';
import { ensureHostAccess } from '../shared/permissions';
import { mutedBooksSetting, notificationsSetting, pollMinutesSetting, quietHoursSetting, serverSetting } from '../shared/settings';
import { accountItem, bookCacheItem, syncStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';
import { parseServerAddress } from './server-address';

export type ActionStatus = { state: 'idle' } | { state: 'busy' } | { state: 'done'; message: string } | { state: 'error'; message: string };

const IDLE: ActionStatus = { state: 'idle' };

/** Sends still waiting are kept for the same user, and signing out says so. */
export function signedOutWords(waiting: number, who: string | undefined): string {
  if (waiting === 0) return t('signedOut');
  return who ? t.plural('signedOutWaiting', waiting, who) : t.plural('signedOutWaitingForYou', waiting);
}

function quietHoursDraft(quietHours: QuietHours): QuietHoursDraft {
  return { enabled: quietHours.enabled, start: formatTimeOfDay(quietHours.start), end: formatTimeOfDay(quietHours.end), days: quietHours.days };
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
  const quietDraft = signal<QuietHoursDraft>(quietHoursDraft(quietHoursSetting.defaultValue));
  const quietStatus = signal<ActionStatus>(IDLE);
  /** The control the last failed save blamed, for aria-invalid. */
  const quietInvalid = signal<QuietHoursField | null>(null);

  const account = computed(() => (signedInAs.value ? { u_c: signedInAs.value.o_u, server: signedInAs.value.server } : null));
  const books = computed(() => Object.values(cache.value.books).sort((a, b) => a.title.localeCompare(b.title)));
  const mutedSet = computed(() => new Set(mutedBooks.value));

  async function load() {
    const [server, quietHours] = await Promise.all([
      serverSetting.get(),
      quietHoursSetting.get(),
      mirror(pollMinutesSetting, pollMinutes),
      mirror(notificationsSetting, notifications),
      mirror(mutedBooksSetting, mutedBooks),
      mirror(accountItem, signedInAs),
      mirror(syncStatusItem, status),
      mirror(bookCacheItem, cache),
    ]);
    serverDraft.value = server;
    quietDraft.value = quietHoursDraft(quietHours);
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
        saveStatus.value = { state: 'error', message: t('optionsAccessNotGranted', new URL(parsed.server).host) };
        return;
      }
      await serverSetting.set(parsed.server);
      serverDraft.value = parsed.server;
      saveStatus.value = { state: 'done', message: t('optionsSaved') };
    } catch (error) {
      saveStatus.value = { state: 'error', message: t('optionsCouldNotSave', String(error)) };
    }
  }

  function editQuietHours(change: Partial<QuietHoursDraft>) {
    quietDraft.value = { ...quietDraft.value, ...change };
    quietStatus.value = IDLE;
    quietInvalid.value = null;
  }

  function setQuietDay(day: Weekday, on: boolean) {
    const others = quietDraft.value.days.filter((other) => other !== day);
    editQuietHours({ days: on ? [...others, day] : others });
  }

  /** Saves the quiet hours, or says what is wrong; answers the control to fix, if any. */
  async function saveQuietHours(): Promise<QuietHoursField | null> {
    const parsed = parseQuietHours(t, quietDraft.value);
    if (!parsed.ok) {
      quietStatus.value = { state: 'error', message: parsed.error };
      quietInvalid.value = parsed.field;
      return parsed.field;
    }
    quietStatus.value = { state: 'busy' };
    try {
      await quietHoursSetting.set(parsed.quietHours);
      quietDraft.value = quietHoursDraft(parsed.quietHours);
      quietStatus.value = { state: 'done', message: t('optionsSaved') };
    } catch (error) {
      quietStatus.value = { state: 'error', message: t('optionsCouldNotSave', String(error)) };
    }
    return null;
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
    quietDraft,
    quietStatus,
    quietInvalid,
    load,
    editServer,
    saveServer,
    editQuietHours,
    setQuietDay,
    saveQuietHours,
    setPollMinutes: (minutes: number) => pollMinutesSetting.set(minutes),
    setNotifications: (on: boolean) => notificationsSetting.set(on),
    setMuted: (book: BookRef, muted: boolean) => {
      const key = bookKey(book);
      const others = mutedBooks.value.filter((k) => k !== key);
      return mutedBooksSetting.set(muted ? [...others, key] : others);
    },
    signOut: () => runAccountAction(signOut, t('signedOut')),
    dropOtherSessions: () => runAccountAction(() => sendToWorker({ type: 'dropOtherSessions' }), t('optionsOthersSignedOut')),
  };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
