/**
 * The setting of the quick-send tests in Chromium: the local server with demo data and a repeated
 * uuid not absorbed (so a second copy would show), the built extension signed in as demo (with the
 * delivery timings given, else the ones users get), and its popup open.
 */
import type { Page } from 'playwright-core';
import { startServer, type LocalServer } from '../../server';
import type { DeliveryTiming, OutboxItem } from '../../src/domain/outbox';
import { loadExtension, signInThroughPopup, type LoadedExtension } from '../../harness/extension';

export interface SignedInPopup {
  server: LocalServer;
  extension: LoadedExtension;
  popup: Page;
}

export async function openSignedInPopup(timing?: DeliveryTiming): Promise<SignedInPopup> {
  const server = await startServer({ seed: 'demo', absorbRepeatedUuid: false });
  const extension = await loadExtension();
  await extension.setServer(server.url);
  if (timing) await extension.inExtension((value) => chrome.storage.local.set({ deliveryTiming: value }), timing);
  const popup = await extension.openPopup();
  await signInThroughPopup(popup, 'demo', 'demo');
  await popup.getByLabel('Book', { exact: true }).waitFor();
  return { server, extension, popup };
}

/** A test starts with no fault pending, an empty request log and a freshly loaded popup. */
export async function freshStart({ server, popup }: SignedInPopup): Promise<void> {
  server.control.clearFaults();
  server.control.clearLog();
  await popup.reload();
  await popup.getByLabel('Message').waitFor();
}

export async function closeSignedInPopup(setting: Partial<SignedInPopup>): Promise<void> {
  await setting.extension?.close();
  await setting.server?.close();
}

/** The worker's outbox as it is stored now. */
export function storedOutbox(extension: LoadedExtension): Promise<OutboxItem[]> {
  return extension.inExtension(async () => ((await chrome.storage.local.get('outbox')).outbox ?? []) as OutboxItem[]);
}
