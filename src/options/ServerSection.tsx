import { t } from '../shared/i18n';
import type { ServerModel } from './server-model';
import { StatusLine } from './StatusLine';

export function ServerSection({ model, disabled }: { model: ServerModel; disabled: boolean }) {
  return (
    <section aria-labelledby="server-heading">
      <h2 id="server-heading">{t('optionsConnection')}</h2>
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
    </section>
  );
}
