/**
 * The service worker's entry. Every listener is registered here, at the top level and
 * synchronously, so that the browser can wake the worker for any of them; each hands its event to
 * a module. Nothing that matters lives in a global: the worker may be stopped at any moment.
 */
import browser, { type Runtime } from '../shared/browser';
import { refreshBadge } from './badge';
import { onCommand, onMenuClicked, onWindowRemoved } from './capture';
import { rebuildMenu } from './menu';
import { onNotificationButton } from './notification-buttons';
import { openNotification } from './notify';
import { closeLive, connectNow, onIdleForLive, onLiveAlarm, startLive } from './live';
import { sweepKeptFiles } from './kept-files';
import { deliver, onOutboxAlarm } from './outbox';
import { onMessage } from './requests';
import { onQuietEndAlarm, settleQuietHours } from './quiet-hours';
import { onAlarm, onIdleStateChanged, startPollRhythm } from './schedule';
import { recordAccount } from './session';
import { onStorageChanged } from './storage-changes';
import { poll } from './sync';
import { welcome } from './welcome';

browser.runtime.onInstalled.addListener((details) => {
  // First, so that the tab opens as soon as the extension is there.
  void welcome(details);
  void refreshBadge();
  // An install or update drops the extension's menu items.
  void rebuildMenu({ force: true });
  void recordAccount();
});
browser.runtime.onStartup.addListener(() => {
  void refreshBadge();
  void rebuildMenu({ force: true });
  void poll({ kind: 'startup' });
});
browser.contextMenus.onClicked.addListener(onMenuClicked);
browser.commands.onCommand.addListener((command, tab) => void onCommand(command, tab));
browser.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId));
browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm));
browser.alarms.onAlarm.addListener((alarm) => void onOutboxAlarm(alarm));
browser.alarms.onAlarm.addListener((alarm) => void onQuietEndAlarm(alarm));
browser.alarms.onAlarm.addListener((alarm) => void onLiveAlarm(alarm));
browser.idle.onStateChanged.addListener((state) => void onIdleStateChanged(state));
browser.idle.onStateChanged.addListener((state) => void onIdleForLive(state));
// Firefox: the background page is about to be stopped, and its socket with it; the status says so.
browser.runtime.onSuspend?.addListener(() => void closeLive());
browser.notifications.onClicked.addListener((id) => void openNotification(id));
// Chromium only: Firefox has no notification buttons.
browser.notifications.onButtonClicked?.addListener((id) => void onNotificationButton(id));
// The types allow a listener that answers to return `true` only; `undefined` is how it leaves a
// message that is not ours unanswered.
browser.runtime.onMessage.addListener(onMessage as Runtime.OnMessageListenerCallback);
browser.storage.onChanged.addListener(onStorageChanged);

// The network is back: what waits for a retry goes now, and the message socket connects at once.
addEventListener('online', () => void deliver({ now: true }));
addEventListener('online', () => void connectNow());

// The poll alarm survives worker restarts but not every browser update or profile reset, and
// the idle state may have changed while no worker ran.
void startPollRhythm();
// Quiet hours may have ended, or their alarm been lost, while the browser was closed.
void settleQuietHours();
// A worker stopped mid-delivery picks up where it was.
void deliver();
// The message socket went with the previous worker, if any.
void startLive();
// File bytes a popup kept and closed before handing over would otherwise stay for ever.
void sweepKeptFiles();
