import { bookKey } from '../domain/books';
import { WEEKDAYS, type QuietHoursField } from '../domain/quiet-hours';
import { IDLE_POLL_MINUTES } from '../domain/rhythm';
import { POLL_MINUTES_CHOICES } from '../shared/settings';
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
      <h1>TimeTonic Companion</h1>

      <section aria-labelledby="server-heading">
        <h2 id="server-heading">Connection</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void model.saveServer();
          }}
        >
          <label for="server">TimeTonic server</label>
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
              Save
            </button>
          </div>
          <p id="server-hint" class="muted">
            Usually https://timetonic.com. A local server runs at an address such as http://127.0.0.1:8750. Changing
            the server signs you out.
          </p>
          <StatusLine id="server-status" status={model.saveStatus.value} />
        </form>
      </section>

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        {model.account.value ? (
          <>
            <p>
              Signed in as <strong>{model.account.value.u_c}</strong> on {model.account.value.server}
            </p>
            <div class="row">
              <button type="button" class="secondary" disabled={model.accountStatus.value.state === 'busy'} onClick={() => void model.signOut()}>
                Sign out
              </button>
              <button
                type="button"
                class="secondary"
                disabled={model.accountStatus.value.state === 'busy'}
                onClick={() => void model.dropOtherSessions()}
              >
                Sign out my other sessions
              </button>
            </div>
          </>
        ) : (
          <p class="muted">
            {model.status.value.state === 'signInAgain' ? 'Sign in again from the toolbar button.' : 'Not signed in. Sign in from the toolbar button.'}
          </p>
        )}
        <StatusLine id="account-status" status={model.accountStatus.value} />
      </section>

      <section aria-labelledby="sync-heading">
        <h2 id="sync-heading">Updates</h2>
        <label for="poll-minutes">Check for new messages every</label>
        <select
          id="poll-minutes"
          disabled={disabled}
          value={String(model.pollMinutes.value)}
          onChange={(event) => void model.setPollMinutes(Number(event.currentTarget.value))}
        >
          {POLL_MINUTES_CHOICES.map((minutes) => (
            <option key={minutes} value={String(minutes)}>
              {minutes === 1 ? '1 minute' : `${minutes} minutes`}
            </option>
          ))}
        </select>
        <p class="muted">
          While the computer sits idle, at most every {IDLE_POLL_MINUTES} minutes; not while its screen is locked; at once when
          you are back.
        </p>
        <label class="check">
          <input
            type="checkbox"
            disabled={disabled}
            checked={model.notifications.value}
            onChange={(event) => void model.setNotifications(event.currentTarget.checked)}
          />
          Desktop notifications for new messages
        </label>
      </section>

      <QuietHoursSection model={model} disabled={disabled} />

      <section aria-labelledby="mute-heading">
        <h2 id="mute-heading">Muted books</h2>
        <p class="muted">A muted book counts neither in the badge nor in notifications.</p>
        {model.books.value.length === 0 ? (
          <p class="muted">Your books appear here once you are signed in.</p>
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
                  Mute {book.title}
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
const QUIET_FIELD_IDS: Record<QuietHoursField, string> = { start: 'quiet-start', end: 'quiet-end', days: `quiet-day-${WEEKDAYS[0]!.day}` };

function QuietHoursSection({ model, disabled }: { model: OptionsModel; disabled: boolean }) {
  const draft = model.quietDraft.value;
  const invalid = model.quietInvalid.value;
  return (
    <section aria-labelledby="quiet-heading">
      <h2 id="quiet-heading">Quiet hours</h2>
      <p class="muted">
        No desktop notifications for new messages during quiet hours; the badge still counts them. When they end, one
        notification sums up what arrived.
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
          Hold notifications during quiet hours
        </label>
        <div class="times">
          <div>
            <label for="quiet-start">Start time</label>
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
            <label for="quiet-end">End time</label>
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
          <legend>Starting on</legend>
          <div class="days">
            {WEEKDAYS.map(({ day, name }) => (
              <label key={day} class="check">
                <input
                  id={`quiet-day-${day}`}
                  type="checkbox"
                  disabled={disabled}
                  checked={draft.days.includes(day)}
                  onChange={(event) => model.setQuietDay(day, event.currentTarget.checked)}
                />
                {name}
              </label>
            ))}
          </div>
        </fieldset>
        <p id="quiet-days-hint" class="muted">
          Hours that cross midnight belong to the day they start: 20:00 to 08:00 on Friday ends on Saturday morning. The
          same start and end time makes the whole day quiet.
        </p>
        <div class="row">
          <button type="submit" disabled={disabled || model.quietStatus.value.state === 'busy'}>
            Set quiet hours
          </button>
        </div>
        <StatusLine id="quiet-status" status={model.quietStatus.value} />
      </form>
    </section>
  );
}
