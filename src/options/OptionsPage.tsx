import { t } from '../shared/i18n';
import { AboutSection } from './AboutSection';
import { AccountSection } from './AccountSection';
import { LiveConnection } from './LiveConnection';
import type { OptionsModel } from './model';
import { MutedSection } from './MutedSection';
import { QuietHoursSection } from './QuietHoursSection';
import { ServerSection } from './ServerSection';
import { UpdatesSection } from './UpdatesSection';

export function OptionsPage({ model }: { model: OptionsModel }) {
  const disabled = !model.loaded.value;
  return (
    <main class="options">
      <h1>{t('extensionName')}</h1>
      <ServerSection model={model.server} disabled={disabled} />
      <LiveConnection />
      <AccountSection model={model.account} />
      <UpdatesSection model={model.updates} disabled={disabled} />
      <QuietHoursSection model={model.quietHours} disabled={disabled} />
      <MutedSection model={model.muted} />
      <AboutSection />
    </main>
  );
}
