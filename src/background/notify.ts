/** Desktop notifications: raising them, and opening the book when one is clicked. */
import { bookWebUrl } from '../domain/books';
import { bookFromNotificationId, type BookNotification } from '../domain/notifications';
import browser from '../shared/browser';
import { authItem } from '../shared/state';
import { serverSetting } from '../shared/settings';

/**
 * Raises the notifications. One that the system refuses (notifications turned off for the
 * browser, say) is dropped: it must not fail the poll that found the news.
 */
export async function showNotifications(notifications: readonly BookNotification[]): Promise<void> {
  await Promise.allSettled(notifications.map(show));
}

async function show(notification: BookNotification): Promise<void> {
  const options = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: notification.title,
    message: notification.message,
  };
  const button = notification.openButton ?? notification.undoButton;
  if (!button) {
    await browser.notifications.create(notification.id, options);
    return;
  }
  // Chromium's `buttons` (not in the polyfill's Firefox types). Firefox has no notification buttons
  // and refuses the property: there the click alone opens the book, and Undo is in the popup.
  const withButton = { ...options, buttons: [{ title: button }] };
  await browser.notifications.create(notification.id, withButton).catch(() => browser.notifications.create(notification.id, options));
}

export async function openNotification(notificationId: string): Promise<void> {
  const server = (await authItem.get())?.server ?? (await serverSetting.get());
  await browser.tabs.create({ url: bookWebUrl(server, bookFromNotificationId(notificationId)) });
  await browser.notifications.clear(notificationId);
}
