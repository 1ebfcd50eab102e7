import { weekdayName, WEEKDAYS, type QuietHoursField } from '../domain/quiet-hours';
import { t } from '../shared/i18n';
import type { QuietHoursModel } from './quiet-hours-model';
import { StatusLine } from './StatusLine';

/** The control a validation message is about, which gets the focus when a save is refused. */
const QUIET_FIELD_IDS: Record<QuietHoursField, string> = { start: 'quiet-start', end: 'quiet-end', days: `quiet-day-${WEEKDAYS[0]}` };

export function QuietHoursSection({ model, disabled }: { model: QuietHoursModel; disabled: boolean }) {
  const draft = model.draft.value;
  const invalid = model.invalid.value;
  return (
    <section aria-labelledby="quiet-heading">
      <h2 id="quiet-heading">{t('optionsQuietHours')}</h2>
      <p class="muted">
        {t('optionsQuietHint')}
      </p>
      <form
        class="quiet-hours"
        // Our messages rather than the browser's bubbles: they stay on screen and say what to fix.
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void model.save().then((field) => field && document.getElementById(QUIET_FIELD_IDS[field])?.focus());
        }}
      >
        <label class="check">
          <input
            id="quiet-enabled"
            type="checkbox"
            role="switch"
            disabled={disabled}
            checked={draft.enabled}
            onChange={(event) => model.edit({ enabled: event.currentTarget.checked })}
          />
          {t('optionsQuietEnabled')}
        </label>
        <div class="times">
          <TimeField model={model} field="start" label={t('optionsQuietStart')} disabled={disabled} />
          <TimeField model={model} field="end" label={t('optionsQuietEnd')} disabled={disabled} />
        </div>
        <fieldset aria-invalid={invalid === 'days'} aria-describedby="quiet-days-hint quiet-status">
          <legend>{t('optionsQuietDays')}</legend>
          <div class="days">
            {WEEKDAYS.map((day) => (
              <label key={day} class="check">
                <input
                  id={`quiet-day-${day}`}
                  type="checkbox"
                  disabled={disabled}
                  checked={draft.days.includes(day)}
                  onChange={(event) => model.setDay(day, event.currentTarget.checked)}
                />
                {weekdayName(day, t.locale)}
              </label>
            ))}
          </div>
        </fieldset>
        <p id="quiet-days-hint" class="muted">
          {t('optionsQuietDaysHint')}
        </p>
        <div class="row">
          <button type="submit" disabled={disabled || model.status.value.state === 'busy'}>
            {t('optionsQuietSave')}
          </button>
        </div>
        <StatusLine id="quiet-status" status={model.status.value} />
      </form>
    </section>
  );
}

/** The start or the end of quiet hours. */
function TimeField({ model, field, label, disabled }: { model: QuietHoursModel; field: 'start' | 'end'; label: string; disabled: boolean }) {
  const id = QUIET_FIELD_IDS[field];
  return (
    <div>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="time"
        required
        disabled={disabled}
        value={model.draft.value[field]}
        aria-invalid={model.invalid.value === field}
        aria-describedby="quiet-status"
        onInput={(event) => model.edit({ [field]: event.currentTarget.value })}
      />
    </div>
  );
}
