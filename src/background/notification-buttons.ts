/** The one button a notification has (Chromium): Undo on a right-click send's, Open on the others. */
import { bookFromNotificationId, sendFromNotificationId } from '../domain/notifications';
import browser from '../shared/browser';
import { t } from '../shared/i18n';
import { outboxItem } from '../shared/state';
import { openNotification, showNotifications } from './notify';
import { undo } from './outbox';

export async function onNotificationButton(notificationId: string): Promise<void> {
  const uuid = sendFromNotificationId(notificationId);
  if (!uuid) return openNotification(notificationId);
  const book = bookFromNotificationId(notificationId);
  const bookTitle = (await outboxItem.get()).find((item) => item.uuid === uuid)?.bookTitle ?? book?.b_c ?? '';
  // The button has done its work; "Deleted from…" replaces the notification once it is so.
  await browser.notifications.clear(notificationId);
  const outcome = await undo(uuid);
  if (!outcome.ok) await showNotifications([{ id: notificationId, book, title: t('notDeletedFrom', bookTitle), message: outcome.error }]);
}
