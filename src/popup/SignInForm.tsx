import { useMemo } from 'preact/hooks';
import type { PopupModel } from './model';
import { createSignInModel } from './sign-in-model';
import './sign-in.css';

export function SignInForm({ model }: { model: PopupModel }) {
  const form = useMemo(createSignInModel, []);
  const again = model.status.value.state === 'signInAgain';
  return (
    <form
      class="sign-in"
      onSubmit={(event) => {
        event.preventDefault();
        void form.signIn();
      }}
    >
      {again ? (
        <p class="notice" role="alert">
          Sign in again: your TimeTonic session has ended.
        </p>
      ) : (
        <p class="muted">Sign in to {model.server.value ?? 'TimeTonic'}</p>
      )}
      <div>
        <label for="login">Login</label>
        <input
          id="login"
          type="text"
          autoComplete="username"
          autoFocus
          value={form.login.value}
          onInput={(event) => (form.login.value = event.currentTarget.value)}
        />
      </div>
      <div>
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={form.password.value}
          onInput={(event) => (form.password.value = event.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={form.signingIn.value}>
        {form.signingIn.value ? 'Signing in…' : 'Sign in'}
      </button>
      <p class="error" role="alert" aria-live="assertive">
        {form.error.value ?? ''}
      </p>
    </form>
  );
}
