import { filesProgress } from '../domain/files';
import { filesSent, type ItemView } from '../domain/outbox-view';
import { t } from '../shared/i18n';
import './sends.css';
import type { PopupModel } from './model';
import { UndoButton } from './UndoButton';

/**
 * What was sent and how it stands: Undo while it may be taken back, Retry and Discard for a failure.
 */
export function Sends({ model }: { model: PopupModel }) {
  const send = model.quickSend;
  return (
    <ul class="sends" aria-label={t('popupSends')}>
      {send.sends.value.map(({ item, view }) => {
        const files = filesSent(item);
        return (
        // Focusable: the focus stays on the send when its Undo button goes.
        <li key={item.uuid} class={`send ${view.state}`} tabIndex={-1}>
          <span class="send-book">{item.bookTitle}</span>
          <span class="send-text">{item.text}</span>
          {files.total > 0 ? <span class="send-files">{filesProgress(t, files.sent, files.total)}</span> : null}
          <span class="send-state" role="status">
            {stateInWords(view)}
          </span>
          {view.state === 'failed' && item.table ? <span class="send-fix">{t('popupFixInWindow')}</span> : null}
          <UndoButton model={model} item={item} class="send-actions" />
          {view.state === 'failed' ? (
            <span class="send-actions">
              {/* A refused row is fixed in the window, where what the user typed is kept: Retry would be refused again. */}
              {item.table ? null : (
                <button type="button" class="secondary" onClick={() => void send.retry(item.uuid)}>
                  {t('popupRetry')}
                </button>
              )}
              <button type="button" class="secondary" onClick={() => void send.discard(item.uuid)}>
                {t('popupDiscard')}
              </button>
            </span>
          ) : null}
        </li>
        );
      })}
    </ul>
  );
}

function stateInWords(view: ItemView): string {
  switch (view.state) {
    case 'sending':
      return t('popupSending');
    case 'sent':
      return t('popupSent');
    case 'waiting':
      return t('popupSendWaiting', view.reason);
    case 'waitingForUser':
      return t('popupSendWaitingForUser', view.o_u);
    case 'failed':
      return t('popupSendFailed', view.reason);
    case 'deleting':
      return view.reason === null ? t('popupDeleting') : t('popupDeleteWaiting', view.reason);
    case 'deleted':
      return view.cancelled ? t('popupCancelled') : t('popupDeleted');
    case 'notDeleted':
      return t('popupNotDeleted', view.reason);
  }
}
