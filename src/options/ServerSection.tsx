import { t } from '../shared/i18n';
import type { ServerModel } from './server-model';
import { StatusLine } from './StatusLine';

/** The server address field and its Save button; the welcome page shows it too. */
export function ServerForm({ model, disabled }: { model: ServerModel; disabled: boolean }) {
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

export function ServerSection({ model, disabled }: { model: ServerModel; disabled: boolean }) {
  return (
    <section aria-labelledby="server-heading">
      <h2 id="server-heading">{t('optionsConnection')}</h2>
      <ServerForm model={model} disabled={disabled} />
    </section>
  );
}
