import { bookKey } from '../domain/books';
import { weekdayName, WEEKDAYS, type QuietHoursField } from '../domain/quiet-hours';
import { IDLE_POLL_MINUTES } from '../domain/rhythm';
import { SLOT, slotted, t } from '../shared/i18n';
import { POLL_MINUTES_CHOICES } from '../shared/settings';
import { LiveConnection } from './LiveConnection';
import type { ActionStatus, OptionsModel } from './model';

function StatusLine({ id, status }: { id: string; status: ActionStatus }) {
  return (
    <p id={id} role="status" class={status.state === 'error' ? 'error' : 'success'}>
      {status.state === 'error' || status.state === 'done' ? status.message : ''}
    </p>
  );
}

export function OptionsPage({ model }: { model: OptionsModel }) {
  const disabled = !model.loaded.value;
  return (
    <main class="options">
      <h1>{t('extensionName')}</h1>

      <section aria-labelledby="server-heading">
        <h2 id="server-heading">{t('optionsConnection')}</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void model.saveServer();
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
              value={model.serverDraft.value}
              disabled={disabled}
              aria-describedby="server-hint server-status"
              onInput={(event) => model.editServer(event.currentTarget.value)}
            />
            <button type="submit" disabled={disabled || model.saveStatus.value.state === 'busy'}>
              {t('optionsSave')}
            </button>
          </div>
          <p id="server-hint" class="muted">
            {t('optionsServerHint')}
          </p>
          <StatusLine id="server-status" status={model.saveStatus.value} />
        </form>
      </section>

      <LiveConnection />

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">{t('optionsAccount')}</h2>
        {model.account.value ? (
          <>
            <p>{slotted(t('optionsSignedInAs', SLOT, model.account.value.server), <strong>{model.account.value.u_c}</strong>)}</p>
            <div class="row">
              <button type="button" class="secondary" disabled={model.accountStatus.value.state === 'busy'} onClick={() => void model.signOut()}>
                {t('optionsSignOut')}
              </button>
              <button
                type="button"
                class="secondary"
                disabled={model.accountStatus.value.state === 'busy'}
                onClick={() => void model.dropOtherSessions()}
              >
                {t('optionsSignOutOthers')}
              </button>
            </div>
          </>
        ) : (
          <p class="muted">
            {model.status.value.state === 'signInAgain' ? t('optionsSignInAgain') : t('optionsSignedOut')}
          </p>
        )}
        <StatusLine id="account-status" status={model.accountStatus.value} />
      </section>

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
        <p class="muted">
          {t('optionsIdleHint', IDLE_POLL_MINUTES)}
        </p>
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

      <QuietHoursSection model={model} disabled={disabled} />

      <section aria-labelledby="mute-heading">
        <h2 id="mute-heading">{t('optionsMuted')}</h2>
        <p class="muted">{t('optionsMutedHint')}</p>
        {model.books.value.length === 0 ? (
          <p class="muted">{t('optionsNoBooks')}</p>
        ) : (
          <ul class="mute-list">
            {model.books.value.map((book) => (
              <li key={bookKey(book)}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={model.mutedSet.value.has(bookKey(book))}
                    onChange={(event) => void model.setMuted(book, event.currentTarget.checked)}
                  />
                  {t('optionsMuteBook', book.title)}
                </label>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** The control a validation message is about, which gets the focus when a save is refused. */
const QUIET_FIELD_IDS: Record<QuietHoursField, string> = { start: 'quiet-start', end: 'quiet-end', days: `quiet-day-${WEEKDAYS[0]}` };

function QuietHoursSection({ model, disabled }: { model: OptionsModel; disabled: boolean }) {
  const draft = model.quietDraft.value;
  const invalid = model.quietInvalid.value;
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
          void model.saveQuietHours().then((field) => field && document.getElementById(QUIET_FIELD_IDS[field])?.focus());
        }}
      >
        <label class="check">
          <input
            id="quiet-enabled"
            type="checkbox"
            role="switch"
            disabled={disabled}
            checked={draft.enabled}
            onChange={(event) => model.editQuietHours({ enabled: event.currentTarget.checked })}
          />
          {t('optionsQuietEnabled')}
        </label>
        <div class="times">
          <div>
            <label for="quiet-start">{t('optionsQuietStart')}</label>
            <input
              id="quiet-start"
              type="time"
              required
              disabled={disabled}
              value={draft.start}
              aria-invalid={invalid === 'start'}
              aria-describedby="quiet-status"
              onInput={(event) => model.editQuietHours({ start: event.currentTarget.value })}
            />
          </div>
          <div>
            <label for="quiet-end">{t('optionsQuietEnd')}</label>
            <input
              id="quiet-end"
              type="time"
              required
              disabled={disabled}
              value={draft.end}
              aria-invalid={invalid === 'end'}
              aria-describedby="quiet-status"
              onInput={(event) => model.editQuietHours({ end: event.currentTarget.value })}
            />
          </div>
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
                  onChange={(event) => model.setQuietDay(day, event.currentTarget.checked)}
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
          <button type="submit" disabled={disabled || model.quietStatus.value.state === 'busy'}>
            {t('optionsQuietSave')}
          </button>
        </div>
        <StatusLine id="quiet-status" status={model.quietStatus.value} />
      </form>
    </section>
  );
}
