/** State of the toolbar popup. */
import { signal } from '@preact/signals';
import browser from '../shared/browser';
import { serverSetting } from '../shared/settings';

export function createPopupModel() {
  const server = signal<string | null>(null);

  async function load() {
    server.value = await serverSetting.get();
  }

  function openOptions() {
    void browser.runtime.openOptionsPage();
    window.close();
  }

  return { server, load, openOptions };
}

export type PopupModel = ReturnType<typeof createPopupModel>;
