import { t } from '../shared/i18n';
import { BookList } from './BookList';
import { later } from './later';
import { LiveState } from './LiveState';
import { MarkAllRead } from './MarkRead';
import type { PopupModel } from './model';
import { QuickSend } from './QuickSend';

/** Loaded when needed: the book view right after the first frame (main.tsx), the sign-in form when signed out. */
export const BookView = later(() => import('./BookView').then((module) => module.BookView));
const SignInForm = later(() => import('./SignInForm').then((module) => module.SignInForm));

export function Popup({ model }: { model: PopupModel }) {
  const signedIn = model.signedIn.value;
  return (
    <main class={signedIn ? 'popup signed-in' : 'popup'}>
      <Header model={model} />
      {!signedIn ? (
        <SignInForm server={model.server.value} again={model.status.value.state === 'signInAgain'} />
      ) : model.openBook.value ? (
        <BookView model={model} book={model.openBook.value} />
      ) : (
        <>
          <MarkAllRead model={model} />
          <BookList model={model} />
          <QuickSend model={model} />
        </>
      )}
    </main>
  );
}

function Header({ model }: { model: PopupModel }) {
  const signedIn = model.signedIn.value;
  const waiting = model.quickSend.waiting.value;
  return (
    <header class="popup-header">
      <h1>
        TimeTonic
        {signedIn && model.list.synced.value ? <span class="total">{t.plural('popupUnread', model.list.unread.value)}</span> : null}
        {waiting > 0 ? <span class="total waiting">{t.plural('popupWaiting', waiting)}</span> : null}
      </h1>
      {signedIn ? <SyncState model={model} /> : null}
      {signedIn ? <LiveState model={model} /> : null}
      <button type="button" class="secondary" onClick={model.openOptions}>
        {t('popupOptions')}
      </button>
    </header>
  );
}

/** How the last look at the server went, in a word; asked for when drawn, as the words are the user's. */
const SYNC_WORDS: Record<string, () => string> = {
  checking: () => t('popupChecking'),
  ok: () => t('popupUpToDate'),
  offline: () => t('popupOffline'),
  serverError: () => t('popupServerError'),
  badReply: () => t('popupBadReply'),
};

function SyncState({ model }: { model: PopupModel }) {
  const state = model.checking.value ? 'checking' : model.status.value.state;
  const trouble = state !== 'checking' && state !== 'ok';
  return (
    <span class={`sync ${state}`} role="status" title={trouble ? t('popupRetrying') : undefined}>
      {SYNC_WORDS[state]?.()}
    </span>
  );
}
