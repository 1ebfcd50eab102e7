/** State of the options page: what is saved, what is being typed, and the outcome of Save. */
import { computed, signal } from '@preact/signals';
import { ensureHostAccess } from '../shared/permissions';
import { parseServerAddress, serverSetting } from '../shared/settings';

export type SaveStatus = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'error'; message: string };

export function createOptionsModel() {
  const savedServer = signal<string | null>(null);
  const serverDraft = signal('');
  const saveStatus = signal<SaveStatus>({ state: 'idle' });

  const loaded = computed(() => savedServer.value !== null);

  async function load() {
    const server = await serverSetting.get();
    savedServer.value = server;
    serverDraft.value = server;
  }

  function editServer(value: string) {
    serverDraft.value = value;
    saveStatus.value = { state: 'idle' };
  }

  async function saveServer() {
    const parsed = parseServerAddress(serverDraft.value);
    if (!parsed.ok) {
      saveStatus.value = { state: 'error', message: parsed.error };
      return;
    }
    saveStatus.value = { state: 'saving' };
    try {
      if (!(await ensureHostAccess(parsed.server))) {
        saveStatus.value = { state: 'error', message: `Access to ${new URL(parsed.server).host} was not granted` };
        return;
      }
      await serverSetting.set(parsed.server);
      savedServer.value = parsed.server;
      serverDraft.value = parsed.server;
      saveStatus.value = { state: 'saved' };
    } catch (error) {
      saveStatus.value = { state: 'error', message: `Could not save: ${String(error)}` };
    }
  }

  return { serverDraft, saveStatus, loaded, load, editServer, saveServer };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
