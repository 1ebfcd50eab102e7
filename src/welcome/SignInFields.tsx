import type { ServerModel } from '../options/server-model';
import { t } from '../shared/i18n';

/** The server address and its Save button, which asks the browser for access as the options page does. */
export function ServerField({ model }: { model: ServerModel }) {
  const status = model.status.value;
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
          aria-describedby="server-hint server-status"
          onInput={(event) => model.edit(event.currentTarget.value)}
        />
        <button type="submit" disabled={status.state === 'busy'}>
          {t('optionsSave')}
        </button>
      </div>
      <p id="server-hint" class="muted">
        {t('optionsServerHint')}
      </p>
      <p id="server-status" role="status" class={status.state === 'error' ? 'error' : 'success'}>
        {status.state === 'error' || status.state === 'done' ? status.message : ''}
      </p>
    </form>
  );
}
