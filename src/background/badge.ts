/** The toolbar button: its badge text, colour and tooltip. */
import browser from '../shared/browser';

export async function showSignedOut(): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ text: '' }),
    browser.action.setTitle({ title: 'TimeTonic: not signed in' }),
  ]);
}
