/** What the toolbar button shows: badge text, colour and tooltip. Pure. */
import { unreadTotal, type BookSummary } from './books';
import type { SyncStatus } from './status';
import type { Words } from './words';

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
export function badgeFor(t: Words, status: SyncStatus, books: Iterable<BookSummary>, muted: ReadonlySet<string>, sending = 0): Badge {
  const total = unreadTotal(books, muted);
  // A right-click send on its way shows for the moment it takes; the count comes back after.
  if (sending > 0 && status.state === 'ok') return { text: '↑', color: BADGE_COLORS.ok, title: t('badgeSending') };
  const count = unreadText(total);
  const unread = total === 0 ? t('unreadNone') : t.plural('unread', total);
  switch (status.state) {
    case 'signedOut':
      return { text: '', color: BADGE_COLORS.offline, title: t('badgeSignedOut') };
    case 'signInAgain':
      return { text: '!', color: BADGE_COLORS.signInAgain, title: t('badgeSignInAgain') };
    case 'ok':
      return { text: count, color: BADGE_COLORS.ok, title: t('badgeOk', unread) };
    case 'offline':
      return { text: count || t('badgeOffText'), color: BADGE_COLORS.offline, title: t('badgeOffline', unread) };
    case 'serverError':
      return { text: count || '!', color: BADGE_COLORS.serverError, title: t('badgeServerError', unread) };
    case 'badReply':
      return {
        text: count || '?',
        color: BADGE_COLORS.badReply,
        title: t('badgeBadReply', unread),
      };
  }
}
