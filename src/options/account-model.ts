/** Who is signed in, and signing out (here, or the user's other sessions). */
import { computed, signal } from '@preact/signals';
import type { Account } from '../domain/refs';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import { t } from '../shared/i18n';
import { sendToWorker, type Outcome } from '../shared/messages';
import { accountItem, syncStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';
import { IDLE, type ActionStatus } from './action-status';

/** Sends still waiting are kept for the same user, and signing out says so. */
export function signedOutWords(waiting: number, who: string | undefined): string {
  if (waiting === 0) return t('signedOut');
  return who ? t.plural('signedOutWaiting', waiting, who) : t.plural('signedOutWaitingForYou', waiting);
}

export function createAccountModel() {
  const signedInAs = signal<Account | null>(null);
  const status = signal<SyncStatus>(SIGNED_OUT);
  const actionStatus = signal<ActionStatus>(IDLE);
  const account = computed(() => (signedInAs.value ? { u_c: signedInAs.value.o_u, server: signedInAs.value.server } : null));

  const load = () => Promise.all([mirror(accountItem, signedInAs), mirror(syncStatusItem, status)]);

  async function run(action: () => Promise<Outcome & { done?: string }>, done: string) {
    actionStatus.value = { state: 'busy' };
    let outcome: Outcome & { done?: string };
    try {
      outcome = await action();
    } catch (error) {
      outcome = { ok: false, error: String(error) };
    }
    actionStatus.value = outcome.ok ? { state: 'done', message: outcome.done ?? done } : { state: 'error', message: outcome.error };
  }

  async function signOut() {
    const who = account.value?.u_c;
    const { waiting } = await sendToWorker({ type: 'signOut' });
    return { ok: true as const, done: signedOutWords(waiting, who) };
  }

  return {
    account,
    status,
    actionStatus,
    load,
    signOut: () => run(signOut, t('signedOut')),
    dropOtherSessions: () => run(() => sendToWorker({ type: 'dropOtherSessions' }), t('optionsOthersSignedOut')),
  };
}

export type AccountModel = ReturnType<typeof createAccountModel>;
