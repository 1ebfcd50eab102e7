/**
 * The API's constants that pages need as well (the default server, the version, how a server
 * address is written). No imports: a page that builds an address pulls in nothing else.
 */

/** The API version the client speaks; the server's history of changes goes up to 6.41. */
export const API_VERSION = '6.41';
export const DEFAULT_SERVER = 'https://timetonic.com';

/** `https://timetonic.com/` and `https://timetonic.com` name the same server. */
export function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '');
}
