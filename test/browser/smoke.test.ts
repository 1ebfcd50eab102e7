import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExtension, type LoadedExtension } from '../../harness/extension';

describe('the built extension in Chromium', () => {
  let extension: LoadedExtension;

  beforeAll(async () => {
    extension = await loadExtension();
  });
  afterAll(async () => {
    await extension?.close();
  });

  it('starts its service worker', async () => {
    const worker = await extension.worker();
    expect(worker.url()).toBe(`chrome-extension://${extension.id}/service-worker-loader.js`);
    const manifest = await extension.inWorker(() => chrome.runtime.getManifest());
    expect(manifest.manifest_version).toBe(3);
    // Chrome fills the manifest's __MSG_…__ from _locales, in getManifest() too.
    expect([manifest.name, manifest.action?.default_title]).toEqual(['TimeTonic Companion', 'TimeTonic']);
    expect(await extension.inExtension(() => chrome.i18n.getMessage('extensionName'))).toBe('TimeTonic Companion');
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'contextMenus', 'notifications', 'idle', 'activeTab', 'scripting']);
  });

  it('shows no badge before anyone signs in', async () => {
    expect(await extension.badgeText()).toBe('');
    expect(await extension.inExtension(() => chrome.action.getTitle({}))).toBe('TimeTonic: not signed in');
  });

  it('renders the popup', async () => {
    const popup = await extension.openPopup();
    await expect.poll(() => popup.getByRole('heading', { name: 'TimeTonic' }).isVisible()).toBe(true);
    await popup.close();
  });

  it('renders the options page and saves a loopback server', async () => {
    const options = await extension.openOptions();
    const server = options.getByLabel('TimeTonic server');
    await expect.poll(() => server.inputValue()).toBe('https://timetonic.com');
    await server.fill('http://127.0.0.1:8750/');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('#server-status').textContent()).toBe('Saved.');
    const stored = await extension.inWorker(() => chrome.storage.sync.get('server'));
    expect(stored).toEqual({ server: 'http://127.0.0.1:8750' });
    await options.close();
  });

  it('refuses a plain http address that is not this computer', async () => {
    const options = await extension.openOptions();
    const server = options.getByLabel('TimeTonic server');
    await expect.poll(() => server.isEnabled()).toBe(true);
    await server.fill('http://example.com');
    await options.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => options.locator('#server-status').textContent()).toContain('https://');
    await options.close();
  });
});
