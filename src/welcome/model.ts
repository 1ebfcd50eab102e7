/**
 * State of the welcome page: whether the user is signed in yet (followed in storage, so that the
 * page turns to "done" as soon as the worker has the keys), the server chosen, and the keyboard
 * shortcut as the browser has it now.
 */
import { computed, signal } from '@preact/signals';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import type { Account } from '../domain/refs';
import { createServerModel } from '../options/server-model';
import browser from '../shared/browser';
import { serverSetting } from '../shared/settings';
import { accountItem, syncStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';

/** The manifest's command that sends the current page. */
const SEND_PAGE_COMMAND = 'send-page';

export function createWelcomeModel() {
  const status = signal<SyncStatus>(SIGNED_OUT);
  const account = signal<Account | null>(null);
  const server = signal<string | null>(null);
  /** The keys of the send-page shortcut ('' when the user removed it); null until read. */
  const shortcut = signal<string | null>(null);
  const signedIn = computed(() => account.value !== null && status.value.state !== 'signedOut' && status.value.state !== 'signInAgain');
  // Firefox serves the extension's pages from moz-extension://: where shortcuts are changed differs.
  const firefox = browser.runtime.getURL('').startsWith('moz-extension:');
  const serverForm = createServerModel();

  async function load() {
    await Promise.all([
      mirror(syncStatusItem, status),
      mirror(accountItem, account),
      mirror(serverSetting, server),
      serverForm.load(),
      browser.commands.getAll().then((commands) => {
        shortcut.value = commands.find((command) => command.name === SEND_PAGE_COMMAND)?.shortcut ?? '';
      }),
    ]);
  }

  return {
    account,
    server,
    serverForm,
    shortcut,
    signedIn,
    firefox,
    load,
    /** Chrome opens its own pages for an extension, not from a link. */
    openShortcutSettings: () => void browser.tabs.create({ url: 'chrome://extensions/shortcuts' }),
  };
}

export type WelcomeModel = ReturnType<typeof createWelcomeModel>;
