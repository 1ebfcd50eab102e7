/** How the connection to TimeTonic stands, as the badge and the popup tell it. Pure. */

export type SyncStatus =
  | { state: 'signedOut' }
  /** The oauthkey was refused: only the user can sign in again. */
  | { state: 'signInAgain' }
  | { state: 'ok' }
  /** No answer from the server: the machine or the server is offline. */
  | { state: 'offline'; detail: string }
  /** The server answered with an error (5xx, or a refusal we cannot act on). */
  | { state: 'serverError'; detail: string }
  /** The server's answer could not be read. */
  | { state: 'badReply'; detail: string };

export const SIGNED_OUT: SyncStatus = { state: 'signedOut' };

/** The worker holds keys it can use: neither signed out nor waiting for the user to sign in again. */
export function isSignedIn(status: SyncStatus): boolean {
  return status.state !== 'signedOut' && status.state !== 'signInAgain';
}
