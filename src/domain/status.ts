/** How the connection to TimeTonic stands, as the badge and the popup tell it. Pure. */
import type { ApiError } from '../api';

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

/** The status after a poll that failed with this error. */
export function statusForError(error: ApiError): SyncStatus {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'cancelled':
      return { state: 'offline', detail: error.message };
    case 'badReply':
      return { state: 'badReply', detail: error.message };
    case 'badCredentials':
      return { state: 'signInAgain' };
    default:
      return { state: 'serverError', detail: error.message };
  }
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
