/** How often to check the server, and notifications on or off: saved as soon as they change. */
import { signal } from '@preact/signals';
import { notificationsSetting, pollMinutesSetting } from '../shared/settings';
import { mirror } from '../shared/storage';

export function createUpdatesModel() {
  const pollMinutes = signal(pollMinutesSetting.defaultValue);
  const notifications = signal(notificationsSetting.defaultValue);
  return {
    pollMinutes,
    notifications,
    load: () => Promise.all([mirror(pollMinutesSetting, pollMinutes), mirror(notificationsSetting, notifications)]),
    setPollMinutes: (minutes: number) => pollMinutesSetting.set(minutes),
    setNotifications: (on: boolean) => notificationsSetting.set(on),
  };
}

export type UpdatesModel = ReturnType<typeof createUpdatesModel>;
