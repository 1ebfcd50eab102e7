/** The first run: a tab that says what the extension does and signs the user in. */
import browser, { type Runtime } from '../shared/browser';

/** On install only: not when the extension or the browser is updated, nor when the browser starts. */
export async function welcome({ reason }: Runtime.OnInstalledDetailsType): Promise<void> {
  if (reason !== 'install') return;
  await browser.tabs.create({ url: browser.runtime.getURL('src/welcome/index.html') });
}
