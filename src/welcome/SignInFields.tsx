import { useMemo } from 'preact/hooks';
import type { ServerModel } from '../options/server-model';
import { createSignInModel } from '../popup/sign-in-model';
import { t } from '../shared/i18n';

/*
 * The popup's sign-in model and the options' server model, in this page's own markup: a component
 * that the popup or the options page also loads, shared with this page, makes the bundler move its
 * helpers into a file of their own, which the popup and the worker would then load too.
 */

/** Login, Password, Sign in: the password goes to the worker in the one message, as in the popup. */
export function SignInFields({ server }: { server: string | null }) {
  const form = useMemo(createSignInModel, []);
  return (
    <form
      class="sign-in"
      onSubmit={(event) => {
        event.preventDefault();
        void form.signIn();
      }}
    >
      <p class="muted">{t('popupSignInTo', server ?? 'TimeTonic')}</p>
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

/** The server address and its Save button, which asks the browser for access as the options page does. */
export function ServerField({ model }: { model: ServerModel }) {
  const status = model.status.value;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void model.save();
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
          value={model.draft.value}
          aria-describedby="server-hint server-status"
          onInput={(event) => model.edit(event.currentTarget.value)}
        />
        <button type="submit" disabled={status.state === 'busy'}>
          {t('optionsSave')}
        </button>
      </div>
      <p id="server-hint" class="muted">
        {t('optionsServerHint')}
      </p>
      <p id="server-status" role="status" class={status.state === 'error' ? 'error' : 'success'}>
        {status.state === 'error' || status.state === 'done' ? status.message : ''}
      </p>
    </form>
  );
}
