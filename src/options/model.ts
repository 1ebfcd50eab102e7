/**
 * State of the options page: one small model per section, each following what it shows in storage,
 * loaded together so that the controls are enabled once everything is in.
 */
import { signal } from '@preact/signals';
import { createAccountModel } from './account-model';
import { createMutedModel } from './muted-model';
import { createQuietHoursModel } from './quiet-hours-model';
import { createServerModel } from './server-model';
import { createUpdatesModel } from './updates-model';

export function createOptionsModel() {
  const loaded = signal(false);
  const sections = {
    server: createServerModel(),
    account: createAccountModel(),
    updates: createUpdatesModel(),
    quietHours: createQuietHoursModel(),
    muted: createMutedModel(),
  };

  async function load() {
    await Promise.all(Object.values(sections).map((section) => section.load()));
    loaded.value = true;
  }

  return { loaded, ...sections, load };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
