import { t } from '../shared/i18n';
import './attachments.css';
import type { SendModel } from './send-model';

/**
 * The message box's files: an Attach files control, then each file with its size and a remove
 * button. Loaded with its model (attachments-model.ts) when first drawn.
 */
export function Attachments({ send }: { send: SendModel }) {
  const model = send.attachmentsModel.value;
  if (!model) {
    void send.attachments();
    return null;
  }
  const files = model.shown.value;
  return (
    <div class="attachments">
      <label class="attach">
        <input
          type="file"
          multiple
          aria-label={t('popupAttachFiles')}
          onChange={(event) => {
            const input = event.currentTarget;
            void model.add([...(input.files ?? [])]);
            // The same file may be chosen again after it was removed.
            input.value = '';
          }}
        />
        <span aria-hidden="true">{t('popupAttachFiles')}</span>
      </label>
      <button type="button" class="screenshot-tab" onClick={() => void model.addScreenshot()}>
        {t('popupScreenshotTab')}
      </button>
      {files.length > 0 ? (
        <ul class="attached" aria-label={t('popupAttachedFiles')}>
          {files.map((file) => (
            <li key={file.id}>
              <span class="name">{file.name}</span> <span class="muted">{file.size}</span>
              <button type="button" class="remove" aria-label={t('popupRemoveFile', file.name)} onClick={() => model.remove(file.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {model.problem.value ? (
        <p class="error" role="alert">
          {model.problem.value}
        </p>
      ) : null}
    </div>
  );
}
