/**
 * The one place the extension reaches the browser's API. Everything else imports `browser` from
 * here, so a test or another browser has a single seam to look at.
 *
 * The browser's own API, without a wrapper: Firefox names it `browser`, Chromium `chrome`, and from
 * Chromium 120 (the manifest's minimum) both return promises for every call the extension makes.
 * The one difference that mattered, a message listener answering with a promise, is handled where
 * the worker listens (background/requests.ts). The types are webextension-polyfill's, which
 * describe that promise-based API.
 */
import type { Browser } from 'webextension-polyfill';

const scope = globalThis as { browser?: Browser; chrome?: Browser };
const browser = (scope.browser ?? scope.chrome) as Browser;

export default browser;
export type { Alarms, Menus, Notifications, Runtime, Storage, Tabs } from 'webextension-polyfill';
