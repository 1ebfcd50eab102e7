/** What the toolbar button shows: badge text, colour and tooltip. Pure. */
import { unreadTotal, type BookSummary } from './books';
import type { SyncStatus } from './status';

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export const BADGE_COLORS = {
  ok: '#116e8c',
  signInAgain: '#e37400',
  offline: '#7b858c',
  serverError: '#b3261e',
  badReply: '#7b3fa0',
} as const;

export function unreadText(total: number): string {
  if (total <= 0) return '';
  return total > 99 ? '99+' : String(total);
}

/**
 * Error states keep the last good count (it is still the best we know) in their own colour, and
 * say in the tooltip what is wrong; with no count they show a sign instead.
 */
export function badgeFor(status: SyncStatus, books: Iterable<BookSummary>, muted: ReadonlySet<string>): Badge {
  const total = unreadTotal(books, muted);
  const count = unreadText(total);
  const unread = total === 0 ? 'no unread messages' : total === 1 ? '1 unread message' : `${total} unread messages`;
  switch (status.state) {
    case 'signedOut':
      return { text: '', color: BADGE_COLORS.offline, title: 'TimeTonic: not signed in' };
    case 'signInAgain':
      return { text: '!', color: BADGE_COLORS.signInAgain, title: 'TimeTonic: sign in again' };
    case 'ok':
      return { text: count, color: BADGE_COLORS.ok, title: `TimeTonic: ${unread}` };
    case 'offline':
      return { text: count || 'off', color: BADGE_COLORS.offline, title: `TimeTonic: offline (last known: ${unread})` };
    case 'serverError':
      return { text: count || '!', color: BADGE_COLORS.serverError, title: `TimeTonic: server error, retrying (last known: ${unread})` };
    case 'badReply':
      return {
        text: count || '?',
        color: BADGE_COLORS.badReply,
        title: `TimeTonic: unexpected answer from the server, retrying (last known: ${unread})`,
      };
  }
}
