import { useMemo } from 'preact/hooks';
import { t } from '../shared/i18n';
import { createSignInModel } from './sign-in-model';
import './sign-in.css';

/**
 * Login, Password, Sign in, for the popup and the welcome tab: the password goes to the worker in
 * the one message. `again`: the server refused the keys, and says so.
 */
export function SignInForm({ server, again = false }: { server: string | null; again?: boolean }) {
  const form = useMemo(createSignInModel, []);
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
          {t('popupSignInAgain')}
        </p>
      ) : (
        <p class="muted">{t('popupSignInTo', server ?? 'TimeTonic')}</p>
      )}
      <div>
        <label for="login">{t('popupLogin')}</label>
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
        <label for="password">{t('popupPassword')}</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={form.password.value}
          onInput={(event) => (form.password.value = event.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={form.signingIn.value}>
        {form.signingIn.value ? t('popupSigningIn') : t('popupSignIn')}
      </button>
      <p class="error" role="alert" aria-live="assertive">
        {form.error.value ?? ''}
      </p>
    </form>
  );
}
