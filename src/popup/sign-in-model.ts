/** The sign-in form: what is typed, and the one request that takes the password to the worker. */
import { signal } from '@preact/signals';
import { t } from '../shared/i18n';
import { sendToWorker } from '../shared/messages';

export function createSignInModel() {
  const login = signal('');
  const password = signal('');
  const signingIn = signal(false);
  const error = signal<string | null>(null);

  async function signIn() {
    if (signingIn.value) return;
    if (!login.value.trim() || !password.value) {
      error.value = t('popupEnterLogin');
      return;
    }
    signingIn.value = true;
    error.value = null;
    try {
      const outcome = await sendToWorker({ type: 'signIn', login: login.value.trim(), password: password.value });
      if (outcome.ok) password.value = '';
      else error.value = outcome.error;
    } catch (failure) {
      error.value = t('signInFailed', String(failure));
    } finally {
      signingIn.value = false;
    }
  }

  return { login, password, signingIn, error, signIn };
}
