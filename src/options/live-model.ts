/**
 * The options page's live connection section: the message socket's address in use, the override
 * field, and what the worker last knew of the connection. Its own model, apart from the page's.
 */
import { computed, signal } from '@preact/signals';
import { LIVE_OFF, socketAddress } from '../domain/live';
import { t } from '../shared/i18n';
import { pollMinutesSetting, serverSetting, socketAddressSetting } from '../shared/settings';
import { liveStatusItem } from '../shared/state';
import { mirror } from '../shared/storage';

export function createLiveModel() {
  const server = signal(serverSetting.defaultValue);
  const override = signal('');
  const draft = signal('');
  const status = signal(LIVE_OFF);
  const pollMinutes = signal(pollMinutesSetting.defaultValue);
  const saveError = signal<string | null>(null);
  const saved = signal(false);

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
    saved.value = false;
    if (value && !/^wss?:\/\/[^/\s]+/i.test(value)) {
      saveError.value = t('optionsLiveAddressInvalid');
      return;
    }
    saveError.value = null;
    await socketAddressSetting.set(value);
    saved.value = true;
  }

  return {
    address,
    derived,
    draft,
    status,
    pollMinutes,
    saveError,
    saved,
    load,
    save,
    edit: (value: string) => {
      draft.value = value;
      saved.value = false;
      saveError.value = null;
    },
  };
}

export type LiveModel = ReturnType<typeof createLiveModel>;
