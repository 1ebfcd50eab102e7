import { t } from '../shared/i18n';
import type { PopupModel } from './model';

/**
 * How news reaches the badge: "Live" while the message socket is attached (a post shows within a
 * second), else how often the worker checks.
 */
export function LiveState({ model }: { model: PopupModel }) {
  const live = model.live.value.state === 'live';
  return (
    <span class={live ? 'live on' : 'live'} title={live ? t('popupLiveTitle') : t('popupPollingTitle')}>
      {live ? t('popupLive') : t.plural('popupCheckingEvery', model.pollMinutes.value)}
    </span>
  );
}
