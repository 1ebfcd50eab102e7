import { IDLE_POLL_MINUTES } from '../domain/rhythm';
import { t } from '../shared/i18n';
import { POLL_MINUTES_CHOICES } from '../shared/settings';
import type { UpdatesModel } from './updates-model';

export function UpdatesSection({ model, disabled }: { model: UpdatesModel; disabled: boolean }) {
  return (
    <section aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t('optionsUpdates')}</h2>
      <label for="poll-minutes">{t('optionsPollEvery')}</label>
      <select
        id="poll-minutes"
        disabled={disabled}
        value={String(model.pollMinutes.value)}
        onChange={(event) => void model.setPollMinutes(Number(event.currentTarget.value))}
      >
        {POLL_MINUTES_CHOICES.map((minutes) => (
          <option key={minutes} value={String(minutes)}>
            {t.plural('minutes', minutes)}
          </option>
        ))}
      </select>
      <p class="muted">{t('optionsIdleHint', IDLE_POLL_MINUTES)}</p>
      <label class="check">
        <input
          type="checkbox"
          disabled={disabled}
          checked={model.notifications.value}
          onChange={(event) => void model.setNotifications(event.currentTarget.checked)}
        />
        {t('optionsNotifications')}
      </label>
    </section>
  );
}
