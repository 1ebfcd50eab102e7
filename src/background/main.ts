/**
 * The service worker's entry. Every listener is registered here, at the top level and
 * synchronously, so that the browser can wake the worker for any of them; each hands its event to
 * a module. Nothing that matters lives in a global: the worker may be stopped at any moment.
 */
import browser, { type Runtime } from '../shared/browser';
import { refreshBadge } from './badge';
import { openNotification } from './notify';
import { deliver, onOutboxAlarm } from './outbox';
import { onMessage } from './requests';
import { recordAccount } from './session';
import { ensurePollAlarm, onAlarm } from './schedule';
import { onStorageChanged } from './storage-changes';
import { poll } from './sync';

browser.runtime.onInstalled.addListener(() => {
  void refreshBadge();
  void recordAccount();
});
browser.runtime.onStartup.addListener(() => {
  void refreshBadge();
  void poll({ kind: 'startup' });
});
browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
browser.alarms.onAlarm.addListener((alarm) => void onOutboxAlarm(alarm));
browser.idle.onStateChanged.addListener((state) => {
  if (state === 'active') void poll({ kind: 'wake' });
});
browser.notifications.onClicked.addListener((id) => void openNotification(id));
// The types allow a listener that answers to return `true` only; `undefined` is how it leaves a
// message that is not ours unanswered.
browser.runtime.onMessage.addListener(onMessage as Runtime.OnMessageListenerCallback);
browser.storage.onChanged.addListener(onStorageChanged);

// The network is back: what waits for a retry goes now.
addEventListener('online', () => void deliver({ now: true }));

// The alarm survives worker restarts but not every browser update or profile reset.
void ensurePollAlarm();
// A worker stopped mid-delivery picks up where it was.
void deliver();
