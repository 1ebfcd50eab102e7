/**
 * The options page's live connection section: the message socket's address in use, the override
 * field, and what the worker last knew of the connection.
 */
import { computed, signal } from '@preact/signals';
import { socketAddress } from '../domain/live';
import { LIVE_OFF } from '../domain/live-status';
import { t } from '../shared/i18n';
import { pollMinutesSetting, serverSetting, socketAddressSetting } from '../shared/settings';
import { liveStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';
import { IDLE, type ActionStatus } from './action-status';

export function createLiveModel() {
  const server = signal(serverSetting.defaultValue);
  const override = signal('');
  const draft = signal('');
  const status = signal(LIVE_OFF);
  const pollMinutes = signal(pollMinutesSetting.defaultValue);
  const saveStatus = signal<ActionStatus>(IDLE);

  /** What the worker connects to: the override, or the address derived from the server. */
  const address = computed(() => socketAddress(server.value, override.value) ?? override.value);
  const derived = computed(() => socketAddress(server.value) ?? '');

  async function load() {
    await Promise.all([
      mirror(serverSetting, server),
      mirror(socketAddressSetting, override),
      mirror(liveStatusItem, status),
      mirror(pollMinutesSetting, pollMinutes),
    ]);
    draft.value = override.value;
  }

  async function save() {
    const value = draft.value.trim();
    if (value && !/^wss?:\/\/[^/\s]+/i.test(value)) {
      saveStatus.value = { state: 'error', message: t('optionsLiveAddressInvalid') };
      return;
    }
    saveStatus.value = IDLE;
    await socketAddressSetting.set(value);
    saveStatus.value = { state: 'done', message: t('optionsLiveAddressSaved') };
  }

  return {
    address,
    derived,
    draft,
    status,
    pollMinutes,
    saveStatus,
    load,
    save,
    edit: (value: string) => {
      draft.value = value;
      saveStatus.value = IDLE;
    },
  };
}

export type LiveModel = ReturnType<typeof createLiveModel>;
