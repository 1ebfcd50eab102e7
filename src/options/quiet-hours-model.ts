/** The quiet hours being edited, and saving them once they make sense. */
import { signal } from '@preact/signals';
import { formatTimeOfDay, parseQuietHours, type QuietHours, type QuietHoursDraft, type QuietHoursField, type Weekday } from '../domain/quiet-hours';
import { t } from '../shared/i18n';
import { quietHoursSetting } from '../shared/settings';
import { IDLE, type ActionStatus } from './action-status';

function quietHoursDraft(quietHours: QuietHours): QuietHoursDraft {
  return { enabled: quietHours.enabled, start: formatTimeOfDay(quietHours.start), end: formatTimeOfDay(quietHours.end), days: quietHours.days };
}

export function createQuietHoursModel() {
  const draft = signal<QuietHoursDraft>(quietHoursDraft(quietHoursSetting.defaultValue));
  const status = signal<ActionStatus>(IDLE);
  /** The control the last failed save blamed, for aria-invalid. */
  const invalid = signal<QuietHoursField | null>(null);

  async function load() {
    draft.value = quietHoursDraft(await quietHoursSetting.get());
  }

  function edit(change: Partial<QuietHoursDraft>) {
    draft.value = { ...draft.value, ...change };
    status.value = IDLE;
    invalid.value = null;
  }

  function setDay(day: Weekday, on: boolean) {
    const others = draft.value.days.filter((other) => other !== day);
    edit({ days: on ? [...others, day] : others });
  }

  /** Saves the quiet hours, or says what is wrong; answers the control to fix, if any. */
  async function save(): Promise<QuietHoursField | null> {
    const parsed = parseQuietHours(t, draft.value);
    if (!parsed.ok) {
      status.value = { state: 'error', message: parsed.error };
      invalid.value = parsed.field;
      return parsed.field;
    }
    status.value = { state: 'busy' };
    try {
      await quietHoursSetting.set(parsed.quietHours);
      draft.value = quietHoursDraft(parsed.quietHours);
      status.value = { state: 'done', message: t('optionsSaved') };
    } catch (error) {
      status.value = { state: 'error', message: t('optionsCouldNotSave', String(error)) };
    }
    return null;
  }

  return { draft, status, invalid, load, edit, setDay, save };
}

export type QuietHoursModel = ReturnType<typeof createQuietHoursModel>;
