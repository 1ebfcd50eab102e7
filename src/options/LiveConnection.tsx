import { useMemo } from 'preact/hooks';
import type { LiveStatus } from '../domain/live';
import { t } from '../shared/i18n';
import { createLiveModel } from './live-model';

/** Why the socket is down, in words. */
function downWords(status: LiveStatus): string {
  switch (status.reason) {
    case 'neverOpened':
      return t('optionsLiveRefused');
    case 'sessionRefused':
      return t('optionsLiveSessionRefused');
    case 'noAnswer':
      return t('optionsLiveNoAnswer');
    case 'badAddress':
      return t('optionsLiveAddressInvalid');
    default:
      return t('optionsLiveClosed');
  }
}

/**
 * The live connection (TimeTonic's message socket): whether it is up, and if not why, with the
 * address in use and, under Advanced, a field to use another.
 */
export function LiveConnection() {
  const model = useMemo(() => {
    const created = createLiveModel();
    void created.load();
    return created;
  }, []);
  const status = model.status.value;
  return (
    <section aria-labelledby="live-heading">
      <h2 id="live-heading">{t('optionsLive')}</h2>
      <p id="live-state" role="status">
        {status.state === 'live'
          ? t('optionsLiveOn')
          : status.state === 'off'
            ? t('optionsLiveOff')
            : status.state === 'connecting'
              ? t('optionsLiveConnecting')
              : `${downWords(status)} ${t.plural('optionsLivePolling', model.pollMinutes.value)}`}
      </p>
      <p class="muted">
        {t('optionsLiveAddressInUse')} <code>{model.address.value}</code>
      </p>
      <details>
        <summary>{t('optionsAdvanced')}</summary>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void model.save();
          }}
        >
          <label for="live-address">{t('optionsLiveAddress')}</label>
          <div class="row">
            <input
              id="live-address"
              type="text"
              inputMode="url"
              spellcheck={false}
              placeholder={model.derived.value}
              value={model.draft.value}
              aria-describedby="live-address-hint live-address-status"
              onInput={(event) => model.edit(event.currentTarget.value)}
            />
            <button type="submit">{t('optionsSave')}</button>
          </div>
          <p id="live-address-hint" class="muted">
            {t('optionsLiveAddressHint')}
          </p>
          <p id="live-address-status" role="status" class={model.saveError.value ? 'error' : 'success'}>
            {model.saveError.value ?? (model.saved.value ? t('optionsLiveAddressSaved') : '')}
          </p>
        </form>
      </details>
    </section>
  );
}
