/** The server address being edited, and saving it once it is valid and the browser grants access. */
import { signal } from '@preact/signals';
import { t } from '../shared/i18n';
import { ensureHostAccess } from '../shared/permissions';
import { serverSetting } from '../shared/settings';
import { IDLE, type ActionStatus } from './action-status';
import { parseServerAddress } from './server-address';

export function createServerModel() {
  const draft = signal('');
  const status = signal<ActionStatus>(IDLE);

  async function load() {
    draft.value = await serverSetting.get();
  }

  function edit(value: string) {
    draft.value = value;
    status.value = IDLE;
  }

  /** Runs from a click: the browser asks for access to a server the manifest does not name. */
  async function save() {
    const parsed = parseServerAddress(draft.value);
    if (!parsed.ok) {
      status.value = { state: 'error', message: parsed.error };
      return;
    }
    status.value = { state: 'busy' };
    try {
      if (!(await ensureHostAccess(parsed.server))) {
        status.value = { state: 'error', message: t('optionsAccessNotGranted', new URL(parsed.server).host) };
        return;
      }
      await serverSetting.set(parsed.server);
      draft.value = parsed.server;
      status.value = { state: 'done', message: t('optionsSaved') };
    } catch (error) {
      status.value = { state: 'error', message: t('optionsCouldNotSave', String(error)) };
    }
  }

  return { draft, status, load, edit, save };
}

export type ServerModel = ReturnType<typeof createServerModel>;
