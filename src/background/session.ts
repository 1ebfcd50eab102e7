/**
 * The session: the key chain appkey -> oauthkey -> sesskey, its renewal, and signing out. The only
 * module that writes the keys. The password is passed through to `createOauthkey` and forgotten.
 */
import { ApiError, createClient, isApiError, type SessionKeys, type TimeTonicClient } from '../api';
import { EMPTY_CACHE } from '../domain/books';
import { accountOf, sameAccount, type Account } from '../domain/refs';
import { SIGNED_OUT, type SyncStatus } from '../domain/status';
import type { Outcome } from '../shared/messages';
import { t } from '../shared/i18n';
import { serverSetting } from '../shared/settings';
import { accountItem, appkeyItem, authItem, messageCacheItem, pendingReadsItem, syncStatusItem, type Auth } from '../shared/state';
import { forgetBooks, storeBooks } from './book-store';
import { forgetHeldNews } from './quiet-hours';

export const APP_NAME = 'TimeTonic Companion';

export function clientFor(server: string): TimeTonicClient {
  return createClient({ server });
}

/** The same appkey for every sign-in on a server; a new one only if the server forgot it. */
async function appkeyFor(api: TimeTonicClient, server: string, renew = false): Promise<string> {
  const kept = await appkeyItem.get();
  if (kept?.server === server && !renew) return kept.appkey;
  const appkey = await api.createAppkey(APP_NAME);
  await appkeyItem.set({ server, appkey });
  return appkey;
}

export async function signIn(login: string, password: string): Promise<Outcome> {
  const server = await serverSetting.get();
  const api = clientFor(server);
  try {
    let appkey = await appkeyFor(api, server);
    const oauth = await api
      .createOauthkey({ login, pwd: password, appkey })
      .catch(async (error: unknown) => {
        if (!isApiError(error, 'invalidAppkey')) throw error;
        appkey = await appkeyFor(api, server, true);
        return api.createOauthkey({ login, pwd: password, appkey });
      });
    const sesskey = await api.createSesskey(oauth);
    await storeBooks(EMPTY_CACHE);
    await messageCacheItem.remove();
    await pendingReadsItem.remove();
    await authItem.set({ server, o_u: oauth.o_u, oauthkey: oauth.oauthkey, sesskey });
    await accountItem.set({ server, o_u: oauth.o_u });
    await syncStatusItem.set({ state: 'ok' });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: signInError(error, server) };
  }
}

/** Plain words for what went wrong while signing in. */
export function signInError(error: unknown, server: string): string {
  if (!isApiError(error)) return t('signInFailed', String(error));
  switch (error.kind) {
    case 'badCredentials':
      return t('signInBadCredentials');
    case 'network':
    case 'timeout':
      return t('signInUnreachable', server);
    case 'httpStatus':
      return t('signInServerError', server, error.details.status ?? '?');
    case 'badReply':
      return t('signInNotTimeTonic', server);
    default:
      return t('signInRefused', error.message);
  }
}

/** Writes who is signed in for the pages, for a sign-in made before `accountItem` existed. */
export async function recordAccount(): Promise<void> {
  const [auth, account] = await Promise.all([authItem.get(), accountItem.get()]);
  if (auth && !sameAccount(account, auth)) await accountItem.set(accountOf(auth));
}

/** Forgets every key and everything learned from the server. */
export async function signOut(status: SyncStatus = SIGNED_OUT): Promise<void> {
  await authItem.remove();
  await accountItem.remove();
  await forgetBooks();
  await forgetHeldNews();
  await messageCacheItem.remove();
  await pendingReadsItem.remove();
  await syncStatusItem.set(status);
}

/**
 * Runs an API call with the session keys. When the server says the session key is invalid or
 * expired (or, for a data call, speaks of credentials), a new one is made from the oauthkey and
 * the call is made once more. Only when the oauthkey itself is refused is the user signed out
 * (status "sign in again"). Network errors and server errors are passed on untouched: they never
 * sign anyone out.
 *
 * With `account`, the call is made only while that user is signed in on that server: what was
 * written by one account is never sent by another. Answers null when nobody (or another) is.
 */
export async function withSession<T>(
  call: (api: TimeTonicClient, keys: SessionKeys) => Promise<T>,
  account?: Account,
): Promise<T | null> {
  const auth = await authItem.get();
  if (!auth || (account && !sameAccount(auth, account))) return null;
  const api = clientFor(auth.server);
  try {
    return await call(api, auth);
  } catch (error) {
    if (!isApiError(error, 'invalidSession') && !isApiError(error, 'badCredentials')) throw error;
  }
  const renewed = await renew(api, auth);
  return call(api, renewed);
}

/**
 * A new sesskey after the message socket's server refused `refused` (background/live.ts). Throws
 * as a renewal does: a refused oauthkey signs the user out.
 */
export async function renewRefusedSession(refused: Auth): Promise<Auth> {
  return renew(clientFor(refused.server), refused);
}

/**
 * A new sesskey for a refused one. Polls and deliveries run side by side, so renewals take turns,
 * and one that finds the key already renewed by another uses that key.
 */
function renew(api: TimeTonicClient, refused: Auth): Promise<Auth> {
  return navigator.locks.request('timetonic-session', async () => {
    const current = await authItem.get();
    // Signed out (or in again) meanwhile: those keys are not ours to renew.
    if (current?.oauthkey !== refused.oauthkey) throw new ApiError('invalidSession', 'The session ended meanwhile');
    if (current.sesskey !== refused.sesskey) return current;
    try {
      const sesskey = await api.createSesskey(refused);
      const renewed = { ...refused, sesskey };
      await authItem.set(renewed);
      return renewed;
    } catch (error) {
      if (isApiError(error, 'badCredentials')) await signOut({ state: 'signInAgain' });
      throw error;
    }
  });
}

export async function dropOtherSessions(): Promise<Outcome> {
  try {
    const done = await withSession((api, keys) => api.dropAllSessions(keys));
    return done === null ? { ok: false, error: t('notSignedIn') } : { ok: true };
  } catch (error) {
    const auth = await authItem.get();
    return { ok: false, error: signInError(error, auth?.server ?? (await serverSetting.get())) };
  }
}
