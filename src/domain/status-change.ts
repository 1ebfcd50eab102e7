/** How a poll changes the connection's status. Pure; only the worker runs it. */
import type { ApiError } from '../api';
import type { SyncStatus } from './status';

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
