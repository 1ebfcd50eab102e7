/**
 * Chromium's desktop notifications, seen and clicked as on a Linux desktop. On Linux Chromium shows
 * notifications (the extension's `notifications.create` among them) through the desktop's
 * notification server on the session D-Bus (org.freedesktop.Notifications) when one is there;
 * `notification_server.py` is such a server, which shows nothing but tells this module every
 * notification and sends the clicks a user would make: on the body (the action "default") or on a
 * button (the action Chromium keyed "0", "1"... for it). Chromium then fires `notifications.onClicked`
 * or `onButtonClicked` in the extension exactly as for a real click.
 *
 * Start it on the session bus of a native menu environment before Chromium starts (Chromium looks
 * for a server once, at start-up), and close it after the browser:
 *
 *   const menus = await startNativeMenuEnvironment();
 *   const desktop = await startNotificationServer(menus);
 *   const extension = await loadExtension({ nativeMenus: menus });
 *   ...
 *   const shown = await desktop.waitForNotification({ title: 'Support inbox' });
 *   await desktop.clickButton(shown.id, 'Open in TimeTonic');
 *   ...
 *   await extension.close(); await desktop.close(); await menus.close();
 *
 * A notification is known here by the server's number for it (`id`), not by the extension's id,
 * which Chromium keeps to itself: find it by its title, message or buttons. Like a desktop that
 * keeps notifications until they are dealt with, the server closes none by itself, not even on a
 * click: the extension's `notifications.clear` closes it (see `waitForClosed`), and
 * `dismissNotification` closes it as the user's close button does.
 *
 * Needs Debian's python3-gi (Gio) besides what the native menu environment needs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { NativeMenuEnvironment } from './native-menu';

const SERVER = join(import.meta.dirname, 'notification_server.py');
/** Debian's Python, which has the packages apt installs (a `python3` earlier in PATH may be another). */
const PYTHON = '/usr/bin/python3';
const STARTUP_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
/** Chromium's key for a click on the notification itself rather than on one of its buttons. */
const BODY_ACTION = 'default';
/** Chromium keys the page's or extension's buttons by number, counting on across updates of one notification. */
const EXTENSION_BUTTON_KEY = /^\d+$/;

export interface NotificationAction {
  /** What the server answers when it is clicked: "default" for the body, "0", "1"... for buttons. */
  key: string;
  label: string;
}

/** A notification as the desktop got it from Chromium. */
export interface DesktopNotification {
  /** The server's id for it; an update of the same notification (same extension id) keeps it. */
  id: number;
  /** The browser's name, e.g. "Chromium". */
  appName: string;
  /** The extension's `title`. */
  title: string;
  /** The extension's `message`, as plain text. */
  message: string;
  /** The titles of the extension's buttons (its `buttons`), in order. */
  buttons: string[];
  /**
   * Every action Chromium sent: the extension's buttons, keyed "0", "1"..., the body's "default",
   * and Chromium's own "settings" button ("Settings").
   */
  actions: NotificationAction[];
}

/** A notification whose title and message equal (or match) these and which has this button; or a test of one. */
export type NotificationMatch =
  | { title?: string | RegExp; message?: string | RegExp; button?: string }
  | ((notification: DesktopNotification) => boolean);

export interface NotificationServer {
  /** The notifications shown now, oldest first, each as last updated. */
  notifications(): DesktopNotification[];
  /** Every notification Chromium sent, updates included, in order, whether still shown or not. */
  history(): DesktopNotification[];
  /**
   * The first notification shown now that matches `match`, as soon as there is one. Rejects after
   * `timeoutMs`, saying what is shown.
   */
  waitForNotification(match: NotificationMatch, timeoutMs?: number): Promise<DesktopNotification>;
  /** Resolves once notification `id` is no longer shown (Chromium closed it, or it was dismissed). */
  waitForClosed(id: number, timeoutMs?: number): Promise<void>;
  /** Clicks notification `id` itself, as a user clicks its body. Resolves once the click is sent. */
  clickNotification(id: number): Promise<void>;
  /**
   * Clicks the button titled `title` of notification `id` (one of its `buttons`, or Chromium's own
   * "Settings"). Resolves once the click is sent; rejects, naming its buttons, if it has none such.
   */
  clickButton(id: number, title: string): Promise<void>;
  /** Closes notification `id` as the user's close button does; the extension's `onClosed` fires with byUser. */
  dismissNotification(id: number): Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
}

type ServerEvent =
  | { event: 'ready' }
  | { event: 'notify'; id: number; replacesId: number; appName: string; summary: string; body: string; actions: [string, string][] }
  | { event: 'close'; id: number }
  | { event: 'invoked'; id: number; key: string }
  | { event: 'dismissed'; id: number; reason: number }
  | { event: 'error'; message: string };

/** Starts the server on `bus`'s session D-Bus; resolves once it owns org.freedesktop.Notifications. */
export async function startNotificationServer(bus: Pick<NativeMenuEnvironment, 'env'>): Promise<NotificationServer> {
  const child = spawn(PYTHON, [SERVER], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.env.DBUS_SESSION_BUS_ADDRESS },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Should the test process end without `close()`, the server ends with it (its stdin closes too).
  const killAtExit = () => child.kill('SIGTERM');
  process.once('exit', killAtExit);

  const shown = new Map<number, DesktopNotification>();
  const history: DesktopNotification[] = [];
  let stderr = '';
  let exited: string | null = null;
  /** Re-checked on every event; each returns true once it is settled. */
  const waiters = new Set<() => boolean>();
  /** Commands sent, answered in order, one line each. */
  const answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let isReady = false;

  const settle = () => {
    for (const waiter of [...waiters]) if (waiter()) waiters.delete(waiter);
  };
  const onEvent = (event: ServerEvent) => {
    switch (event.event) {
      case 'ready':
        isReady = true;
        break;
      case 'notify': {
        const actions = event.actions.map(([key, label]) => ({ key, label }));
        const notification: DesktopNotification = {
          id: event.id,
          appName: event.appName,
          title: event.summary,
          message: event.body,
          buttons: actions.filter((action) => EXTENSION_BUTTON_KEY.test(action.key)).map((action) => action.label),
          actions,
        };
        // An update keeps its place among those shown.
        shown.set(event.id, notification);
        history.push(notification);
        break;
      }
      case 'close':
      case 'dismissed':
        shown.delete(event.id);
        if (event.event === 'dismissed') answers.shift()?.resolve();
        break;
      case 'invoked':
        answers.shift()?.resolve();
        break;
      case 'error':
        answers.shift()?.reject(new Error(`The notification server refused a command: ${event.message}`));
        break;
    }
    settle();
  };

  createInterface({ input: child.stdout! }).on('line', (line) => onEvent(JSON.parse(line) as ServerEvent));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A command written as the server dies fails with EPIPE; its end is told by 'close' below.
  child.stdin!.on('error', () => {});
  const gone = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      process.off('exit', killAtExit);
      exited = `the notification server exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`;
      for (const answer of answers.splice(0)) answer.reject(new Error(exited));
      settle();
      resolve();
    }),
  );
  child.once('error', (error) => {
    exited = `the notification server could not start: ${error.message}`;
    settle();
  });

  /** Resolves with `check()`'s first value other than undefined; rejects after `timeoutMs` with `describe()`. */
  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${describe()} within ${timeoutMs} ms; shown: ${JSON.stringify([...shown.values()])}`));
      }, timeoutMs);
      const waiter = () => {
        const value = check();
        if (value !== undefined) resolve(value);
        else if (exited) reject(new Error(`${describe()}: ${exited}`));
        else return false;
        clearTimeout(timer);
        return true;
      };
      if (!waiter()) waiters.add(waiter);
    });

  const send = (command: string): Promise<void> => {
    if (exited) return Promise.reject(new Error(exited));
    return new Promise((resolve, reject) => {
      answers.push({ resolve, reject });
      child.stdin!.write(`${command}\n`);
    });
  };
  const shownNow = (id: number): DesktopNotification => {
    const notification = shown.get(id);
    if (!notification) throw new Error(`No notification ${id} is shown; shown: ${JSON.stringify([...shown.values()])}`);
    return notification;
  };

  const close = async () => {
    if (!exited) {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    }
  };

  try {
    await waitFor(() => (isReady || undefined), STARTUP_TIMEOUT_MS, () => 'The notification server did not own org.freedesktop.Notifications');
  } catch (error) {
    await close();
    throw error;
  }

  return {
    notifications: () => [...shown.values()],
    history: () => [...history],
    waitForNotification(match, timeoutMs = 10_000) {
      const test = typeof match === 'function' ? match : matcher(match);
      return waitFor(
        () => [...shown.values()].find(test),
        timeoutMs,
        () => `No notification ${typeof match === 'function' ? 'passed the test' : `like ${describeMatch(match)}`} showed`,
      );
    },
    waitForClosed(id, timeoutMs = 10_000) {
      return waitFor(
        () => (shown.has(id) ? undefined : true),
        timeoutMs,
        () => `Notification ${id} did not close`,
      ).then(() => {});
    },
    async clickNotification(id) {
      const notification = shownNow(id);
      if (!notification.actions.some((action) => action.key === BODY_ACTION)) {
        throw new Error(`Notification ${id} (${notification.title}) takes no click: it has no "${BODY_ACTION}" action`);
      }
      await send(`invoke ${id} ${BODY_ACTION}`);
    },
    async clickButton(id, title) {
      const notification = shownNow(id);
      const button = notification.actions.find((action) => action.key !== BODY_ACTION && action.label === title);
      if (!button) throw new Error(`Notification ${id} (${notification.title}) has no button "${title}"; its actions: ${JSON.stringify(notification.actions)}`);
      await send(`invoke ${id} ${button.key}`);
    },
    async dismissNotification(id) {
      shownNow(id);
      await send(`dismiss ${id}`);
    },
    close,
  };
}

function matcher(match: Exclude<NotificationMatch, (notification: DesktopNotification) => boolean>) {
  const fits = (value: string, expected: string | RegExp | undefined) =>
    expected === undefined || (typeof expected === 'string' ? value === expected : expected.test(value));
  return (notification: DesktopNotification) =>
    fits(notification.title, match.title) &&
    fits(notification.message, match.message) &&
    (match.button === undefined || notification.buttons.includes(match.button));
}

function describeMatch(match: Exclude<NotificationMatch, (notification: DesktopNotification) => boolean>): string {
  return JSON.stringify(match, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
}
