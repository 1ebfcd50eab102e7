import { SLOT, slotted, t } from '../shared/i18n';
import type { WelcomeModel } from './model';
import { ChromePinPicture, FirefoxPinPicture } from './pictures';
import { SignInForm } from '../popup/SignInForm';
import { ServerForm } from '../options/ServerForm';

export function Welcome({ model }: { model: WelcomeModel }) {
  return (
    <main class="welcome">
      <header>
        <h1>{t('welcomeTitle')}</h1>
        <p>{t('welcomeWhatBooks')}</p>
        <p>{t('welcomeWhatBadge')}</p>
        <p>{t('welcomeWhatSend')}</p>
      </header>
      {model.signedIn.value ? <Done model={model} /> : <SignIn model={model} />}
      <Pin firefoxFirst={model.firefox} />
    </main>
  );
}

function SignIn({ model }: { model: WelcomeModel }) {
  return (
    <section aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">{t('welcomeSignInHeading')}</h2>
      <SignInForm server={model.server.value} />
      <details>
        <summary>{t('welcomeOtherServer')}</summary>
        <ServerForm model={model.serverForm} />
      </details>
    </section>
  );
}

function Done({ model }: { model: WelcomeModel }) {
  const account = model.account.value!;
  const shortcut = model.shortcut.value;
  return (
    <section aria-labelledby="done-heading" class="done">
      <h2 id="done-heading">{t('welcomeDoneHeading')}</h2>
      <p>{slotted(t('optionsSignedInAs', SLOT, account.server), <strong>{account.o_u}</strong>)}</p>
      <h2>{t('welcomeTryHeading')}</h2>
      <ul>
        <li>{t('welcomeTryBadge')}</li>
        <li>{t('welcomeTryQuickSend')}</li>
        <li>{t('welcomeTryMenu')}</li>
        <li>
          {shortcut ? slotted(t('welcomeTryShortcut', SLOT), <kbd>{shortcut}</kbd>) : t('welcomeNoShortcut')}{' '}
          {model.firefox ? t('welcomeShortcutFirefox') : t('welcomeShortcutChrome')}
          {model.firefox ? null : (
            <>
              {' '}
              <button type="button" class="secondary" onClick={model.openShortcutSettings}>
                {t('welcomeOpenShortcuts')}
              </button>
            </>
          )}
        </li>
      </ul>
    </section>
  );
}

/** Both browsers' pictures, the one the user is in first. */
function Pin({ firefoxFirst }: { firefoxFirst: boolean }) {
  const chrome = (
    <figure key="chrome">
      <ChromePinPicture />
      <figcaption>{t('welcomePinChrome')}</figcaption>
    </figure>
  );
  const firefox = (
    <figure key="firefox">
      <FirefoxPinPicture />
      <figcaption>{t('welcomePinFirefox')}</figcaption>
    </figure>
  );
  return (
    <section aria-labelledby="pin-heading">
      <h2 id="pin-heading">{t('welcomePinHeading')}</h2>
      <div class="pictures">{firefoxFirst ? [firefox, chrome] : [chrome, firefox]}</div>
    </section>
  );
}
