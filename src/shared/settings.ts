/** The user's choices, kept in sync storage so that they follow the user's browser profile. */
import { DEFAULT_SERVER } from '../api/constants';
import type { QuietHours } from '../domain/quiet-hours';
import { storageItem } from './storage';

/** Base address of the TimeTonic server; the API is at `<server>/live/api.php`. */
export const serverSetting = storageItem<string>('sync', 'server', DEFAULT_SERVER);

/**
 * The message socket's address, when the user overrides the one derived from the server
 * (domain/live.ts); empty: derived.
 */
export const socketAddressSetting = storageItem<string>('sync', 'socketAddress', '');

/** Minutes between two polls of the server while the user is active (domain/rhythm.ts). */
export const pollMinutesSetting = storageItem<number>('sync', 'pollMinutes', 1);
export const POLL_MINUTES_CHOICES = [1, 2, 5, 10, 15, 30] as const;

/** Desktop notifications for new messages, on or off for every book. */
export const notificationsSetting = storageItem<boolean>('sync', 'notifications', true);

/** Books (`b_o/b_c`) the user muted: counted in neither the badge nor notifications. */
export const mutedBooksSetting = storageItem<string[]>('sync', 'mutedBooks', []);

/** When desktop notifications for new messages wait, to be summed up in one when they end. */
// The default is spelled out here, not imported: every page loads the settings, and only the worker
// and the options page need the quiet-hours decisions.
export const quietHoursSetting = storageItem<QuietHours>('sync', 'quietHours', {
  enabled: false,
  start: 20 * 60,
  end: 8 * 60,
  days: [0, 1, 2, 3, 4, 5, 6],
});
