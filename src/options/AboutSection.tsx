import browser from '../shared/browser';
import { t } from '../shared/i18n';

/** The privacy text ships in the extension: the build writes it from PRIVACY.md (vite.config.ts). */
export const PRIVACY_PAGE = '/privacy.html';

export function AboutSection() {
  const version = browser.runtime.getManifest().version;
  return (
    <section aria-labelledby="about-heading">
      <h2 id="about-heading">{t('optionsAbout')}</h2>
      <p>{t('optionsVersion', version)}</p>
      <p>
        <a href={PRIVACY_PAGE} target="_blank" rel="noopener">
          {t('optionsPrivacy')}
        </a>
      </p>
      <p class="muted">{t('optionsReport', version)}</p>
    </section>
  );
}
