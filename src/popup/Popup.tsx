import { bookKey, bookWebUrl } from '../domain/books';
import type { PopupModel } from './model';
import { QuickSend } from './QuickSend';

export function Popup({ model }: { model: PopupModel }) {
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>
          TimeTonic
          {model.signedIn.value && model.synced.value ? <span class="total">{model.unread.value} unread</span> : null}
          {model.waiting.value > 0 ? <span class="total waiting">{model.waiting.value} waiting</span> : null}
        </h1>
        <button type="button" class="secondary" onClick={model.openOptions}>
          Options
        </button>
      </header>
      {!model.loaded.value ? null : model.signedIn.value ? (
        <>
          <Books model={model} />
          <QuickSend model={model} />
        </>
      ) : (
        <SignInForm model={model} />
      )}
    </main>
  );
}

function SignInForm({ model }: { model: PopupModel }) {
  const again = model.status.value.state === 'signInAgain';
  return (
    <form
      class="sign-in"
      onSubmit={(event) => {
        event.preventDefault();
        void model.signIn();
      }}
    >
      {again ? (
        <p class="notice" role="alert">
          Sign in again: your TimeTonic session has ended.
        </p>
      ) : (
        <p class="muted">Sign in to {model.server.value}</p>
      )}
      <div>
        <label for="login">Login</label>
        <input
          id="login"
          type="text"
          autoComplete="username"
          autoFocus
          value={model.login.value}
          onInput={(event) => (model.login.value = event.currentTarget.value)}
        />
      </div>
      <div>
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={model.password.value}
          onInput={(event) => (model.password.value = event.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={model.signingIn.value}>
        {model.signingIn.value ? 'Signing in…' : 'Sign in'}
      </button>
      <p class="error" role="alert" aria-live="assertive">
        {model.signInError.value ?? ''}
      </p>
    </form>
  );
}

const STATUS_NOTES = {
  offline: 'Offline: showing what was last seen.',
  serverError: 'TimeTonic is having trouble: retrying.',
  badReply: 'Unexpected answer from TimeTonic: retrying.',
} as const;

function Books({ model }: { model: PopupModel }) {
  const state = model.status.value.state;
  const note = state in STATUS_NOTES ? STATUS_NOTES[state as keyof typeof STATUS_NOTES] : null;
  return (
    <section class="book-list" aria-label="Books">
      {note ? (
        <p class="status-note" role="status">
          {note}
        </p>
      ) : null}
      {!model.synced.value ? (
        <p class="muted">{note ? 'Your books appear once TimeTonic answers.' : 'Loading your books…'}</p>
      ) : model.books.value.length === 0 ? (
        <p class="muted">No books yet.</p>
      ) : (
        <ul class="books">
          {model.books.value.map((book) => {
            // Archived and muted books are listed, but their count is not the badge's.
            const quiet = book.archived || model.mutedSet.value.has(bookKey(book));
            return (
              <li key={bookKey(book)} class={book.nbNotRead > 0 && !quiet ? 'book unread' : 'book'}>
                <a class="book-title" href={bookWebUrl(model.server.value, book)} target="_blank" rel="noreferrer">
                  {book.title}
                </a>
                {book.nbNotRead > 0 ? (
                  <span class={quiet ? 'count quiet' : 'count'} aria-label={`${book.nbNotRead} unread`}>
                    {book.nbNotRead}
                  </span>
                ) : null}
                {book.lastMsg ? (
                  <span class="preview">
                    {model.cache.value.names[book.lastMsg.u_c] ?? book.lastMsg.u_c}: {book.lastMsg.text}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
