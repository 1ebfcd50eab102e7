import { useMemo } from 'preact/hooks';
import { t } from '../shared/i18n';
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
          {t('popupSignInAgain')}
        </p>
      ) : (
        <p class="muted">{t('popupSignInTo', model.server.value ?? 'TimeTonic')}</p>
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
