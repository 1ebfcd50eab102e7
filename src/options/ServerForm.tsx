import { t } from '../shared/i18n';
import type { ServerModel } from './server-model';
import { StatusLine } from './StatusLine';

/**
 * The server address and its Save button, which asks the browser for access to it: in the options
 * page and in the welcome tab's "Another TimeTonic server?".
 */
export function ServerForm({ model, disabled = false }: { model: ServerModel; disabled?: boolean }) {
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void model.save();
      }}
    >
      <label for="server">{t('optionsServer')}</label>
      <div class="row">
        <input
          id="server"
          type="url"
          inputMode="url"
          spellcheck={false}
          autoComplete="url"
          value={model.draft.value}
          disabled={disabled}
          aria-describedby="server-hint server-status"
          onInput={(event) => model.edit(event.currentTarget.value)}
        />
        <button type="submit" disabled={disabled || model.status.value.state === 'busy'}>
          {t('optionsSave')}
        </button>
      </div>
      <p id="server-hint" class="muted">
        {t('optionsServerHint')}
      </p>
      <StatusLine id="server-status" status={model.status.value} />
    </form>
  );
}
