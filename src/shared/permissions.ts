/** Host access for a server the manifest does not name: asked for only when the user picks one. */
import browser from './browser';

export function originPattern(server: string): string {
  return `${new URL(server).origin}/*`;
}

/** Must run from a user gesture (a click), as the browser requires for the prompt. */
export async function ensureHostAccess(server: string): Promise<boolean> {
  const origins = [originPattern(server)];
  if (await browser.permissions.contains({ origins })) return true;
  return browser.permissions.request({ origins });
}
