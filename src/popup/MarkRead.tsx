import { t } from '../shared/i18n';
import type { BookSummary } from '../domain/books';
import type { PopupModel } from './model';

/** Marks every book with unread messages read; shown while there is any. */
export function MarkAllRead({ model }: { model: PopupModel }) {
  if (model.list.unread.value === 0) return null;
  return (
    <button type="button" class="secondary mark-all" onClick={() => model.markAllRead()}>
      {t('popupMarkAllRead')}
    </button>
  );
}

/** Marks one book of the list read without opening it. */
export function MarkBookRead({ model, book }: { model: PopupModel; book: BookSummary }) {
  if (book.nbNotRead === 0) return null;
  return (
    <button type="button" class="secondary mark-read" aria-label={t('popupMarkReadBook', book.title)} title={t('popupMarkRead')} onClick={() => model.markRead([book])}>
      {t('popupMarkRead')}
    </button>
  );
}
