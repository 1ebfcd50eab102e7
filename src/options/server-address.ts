/** The server address typed on the options page. Kept apart from the settings, which every surface loads. */
import { t } from '../shared/i18n';

/**
 * Reads what the user typed as a server address: `https://…`, or plain `http://` on a loopback
 * host only (the local server), since the session keys travel with every request.
 */
export function parseServerAddress(input: string): { ok: true; server: string } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: t('serverAddressInvalid') };
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { ok: false, error: t('serverAddressInsecure') };
  }
  if (url.search || url.hash || url.username) {
    return { ok: false, error: t('serverAddressExtra') };
  }
  return { ok: true, server: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
