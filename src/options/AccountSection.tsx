import { SLOT, slotted, t } from '../shared/i18n';
import type { AccountModel } from './account-model';
import { StatusLine } from './StatusLine';

export function AccountSection({ model }: { model: AccountModel }) {
  const account = model.account.value;
  const busy = model.actionStatus.value.state === 'busy';
  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">{t('optionsAccount')}</h2>
      {account ? (
        <>
          <p>{slotted(t('optionsSignedInAs', SLOT, account.server), <strong>{account.u_c}</strong>)}</p>
          <div class="row">
            <button type="button" class="secondary" disabled={busy} onClick={() => void model.signOut()}>
              {t('optionsSignOut')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => void model.dropOtherSessions()}>
              {t('optionsSignOutOthers')}
            </button>
          </div>
        </>
      ) : (
        <p class="muted">{model.status.value.state === 'signInAgain' ? t('optionsSignInAgain') : t('optionsSignedOut')}</p>
      )}
      <StatusLine id="account-status" status={model.actionStatus.value} />
    </section>
  );
}
