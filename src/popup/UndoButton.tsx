import type { OutboxItem } from '../domain/outbox';
import { t } from '../shared/i18n';
import type { PopupModel } from './model';

/**
 * Undo for a send that may still be taken back, and why the worker refused it if it did. The line
 * around it (a focusable `li`) keeps the focus when the button goes.
 */
export function UndoButton({ model, item, class: className }: { model: PopupModel; item: OutboxItem; class: string }) {
  const send = model.quickSend;
  const refusal = send.undoErrors.value[item.uuid];
  const undoable = send.canUndo(item);
  if (!undoable && !refusal) return null;
  return (
    <span class={className}>
      {undoable ? (
        <button
          type="button"
          class="secondary"
          aria-label={t('popupUndoLabel', item.bookTitle)}
          onClick={(event) => {
            event.currentTarget.closest('li')?.focus();
            void send.undo(item.uuid);
          }}
        >
          {t('popupUndo')}
        </button>
      ) : null}
      {refusal ? (
        <span class="error" role="alert">
          {refusal}
        </span>
      ) : null}
    </span>
  );
}
