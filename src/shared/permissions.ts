/** Host access for a server the manifest does not name: asked for only when the user picks one. */
import browser from './browser';

/**
 * The pattern names no port: without one it matches every port, and Firefox takes no port in a
 * match pattern (there the granted `http://127.0.0.1/*` does not cover `http://127.0.0.1:8750/*`).
 */
export function originPattern(server: string): string {
  const { protocol, hostname } = new URL(server);
  return `${protocol}//${hostname}/*`;
}

/**
 * Must run from a user gesture (a click), as the browser requires for the prompt. Firefox honours
 * the gesture only until the handler's first `await`, so nothing is awaited before the request;
 * access already granted is answered at once, without a prompt.
 */
export function ensureHostAccess(server: string): Promise<boolean> {
  return browser.permissions.request({ origins: [originPattern(server)] });
}
