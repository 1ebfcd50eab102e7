/**
 * The one place the extension reaches the browser's API. Everything else imports `browser` from
 * here, so a test or another browser has a single seam to look at.
 *
 * webextension-polyfill gives one promise-based `browser` in both browsers: Firefox's own, and a
 * thin wrapper over Chromium's `chrome`.
 */
import browser from 'webextension-polyfill';

export default browser;
export type { Alarms, Menus, Notifications, Runtime, Storage, Tabs } from 'webextension-polyfill';
