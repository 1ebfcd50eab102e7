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
  await Promise.allSettled(
    notifications.map((notification) =>
      browser.notifications.create(notification.id, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title: notification.title,
        message: notification.message,
      }),
    ),
  );
}

export async function openNotification(notificationId: string): Promise<void> {
  const server = (await authItem.get())?.server ?? (await serverSetting.get());
  await browser.tabs.create({ url: bookWebUrl(server, bookFromNotificationId(notificationId)) });
  await browser.notifications.clear(notificationId);
}
