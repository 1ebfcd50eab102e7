import { t } from '../shared/i18n';
import { ServerForm } from './ServerForm';
import type { ServerModel } from './server-model';

export function ServerSection({ model, disabled }: { model: ServerModel; disabled: boolean }) {
  return (
    <section aria-labelledby="server-heading">
      <h2 id="server-heading">{t('optionsConnection')}</h2>
      <ServerForm model={model} disabled={disabled} />
    </section>
  );
}
