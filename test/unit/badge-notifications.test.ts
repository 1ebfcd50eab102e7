import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api';
import { BADGE_COLORS, badgeFor, unreadText } from '../../src/domain/badge';
import {
  LONG_GAP_MS,
  SUMMARY_ID,
  bookFromNotificationId,
  notificationId,
  notificationsFor,
  type NotificationContext,
} from '../../src/domain/notifications';
import { isSignedIn } from '../../src/domain/status';
import { statusForError } from '../../src/domain/status-change';
import { english } from '../support/words';
import { bookSummary } from '../support/book-summary';

const book = bookSummary;

const none = new Set<string>();

describe('badge', () => {
  it('writes the count, 99+ above 99, nothing at 0', () => {
    expect(unreadText(0)).toBe('');
    expect(unreadText(7)).toBe('7');
    expect(unreadText(99)).toBe('99');
    expect(unreadText(100)).toBe('99+');
  });

  it('counts accepted, non-archived, non-muted books only', () => {
    const books = [
      book('a', { nbNotRead: 2 }),
      book('b', { nbNotRead: 3, archived: true }),
      book('c', { nbNotRead: 5, accepted: false }),
      book('d', { nbNotRead: 7 }),
    ];
    expect(badgeFor(english, { state: 'ok' }, books, none)).toEqual({ text: '9', color: BADGE_COLORS.ok, title: 'TimeTonic: 9 unread messages' });
    expect(badgeFor(english, { state: 'ok' }, books, new Set(['alice/d'])).text).toBe('2');
  });

  it('gives each state its own colour and tooltip, keeping the last good count in error states', () => {
    const books = [book('a', { nbNotRead: 4 })];
    const states = [
      { state: 'signedOut' },
      { state: 'signInAgain' },
      { state: 'ok' },
      { state: 'offline', detail: '' },
      { state: 'serverError', detail: '' },
      { state: 'badReply', detail: '' },
    ] as const;
    const badges = states.map((status) => badgeFor(english, status, books, none));
    expect(new Set(badges.map((b) => b.title)).size).toBe(states.length);
    expect(new Set(badges.slice(1).map((b) => b.color)).size).toBe(states.length - 1);
    expect(badges.map((b) => b.text)).toEqual(['', '!', '4', '4', '4', '4']);
    expect(badges[1]!.title).toBe('TimeTonic: sign in again');
    expect(badges[5]!.title).toMatch(/unexpected answer.*last known: 4 unread messages/);
  });

  it('shows a sign in error states when there is no count to keep', () => {
    expect(['offline', 'serverError', 'badReply'].map((state) => badgeFor(english, { state, detail: '' } as never, [], none).text)).toEqual([
      'off',
      '!',
      '?',
    ]);
  });
});

describe('status after an error', () => {
  it('tells offline from server trouble from sign-in trouble', () => {
    expect(statusForError(new ApiError('network', 'x')).state).toBe('offline');
    expect(statusForError(new ApiError('timeout', 'x')).state).toBe('offline');
    expect(statusForError(new ApiError('httpStatus', 'x', { status: 502 })).state).toBe('serverError');
    expect(statusForError(new ApiError('badReply', 'x')).state).toBe('badReply');
    expect(statusForError(new ApiError('badCredentials', 'x')).state).toBe('signInAgain');
    expect(statusForError(new ApiError('refused', 'x')).state).toBe('serverError');
  });

  it('keeps the user signed in through network and server trouble, not after the keys were refused', () => {
    expect(isSignedIn({ state: 'ok' })).toBe(true);
    expect(isSignedIn(statusForError(new ApiError('network', 'x')))).toBe(true);
    expect(isSignedIn(statusForError(new ApiError('badReply', 'x')))).toBe(true);
    expect(isSignedIn(statusForError(new ApiError('badCredentials', 'x')))).toBe(false);
    expect(isSignedIn({ state: 'signedOut' })).toBe(false);
  });
});

describe('notifications', () => {
  const context: NotificationContext = { me: 'demo', firstSync: false, enabled: true, muted: none, sincePreviousPoll: 60_000, names: { bob: 'Bob Okafor' } };
  const last = (smid: number, u_c = 'bob', text = 'hello') => ({ smid, u_c, text, created: 1 });
  const before = { 'alice/a': book('a', { nbNotRead: 1, lastMsg: last(10) }), 'alice/b': book('b', { lastMsg: last(20) }) };

  it('raises one per book with new messages from others, with sender, text and count', () => {
    const updated = [book('a', { nbNotRead: 3, lastMsg: last(12, 'bob', 'Ticket closed') }), book('b', { nbNotRead: 1, lastMsg: last(21) })];
    expect(notificationsFor(english, before, updated, context)).toEqual([
      { id: 'book:alice/a', book: { b_o: 'alice', b_c: 'a' }, title: 'A: 2 new messages', message: 'Bob Okafor: Ticket closed' },
      { id: 'book:alice/b', book: { b_o: 'alice', b_c: 'b' }, title: 'B', message: 'Bob Okafor: hello' },
    ]);
  });

  it('raises nothing for my own messages, a read book, archived or muted books, or when switched off', () => {
    expect(notificationsFor(english, before, [book('a', { nbNotRead: 1, lastMsg: last(11, 'demo') })], context)).toEqual([]);
    expect(notificationsFor(english, before, [book('a', { nbNotRead: 0, lastMsg: last(10) })], context)).toEqual([]);
    expect(notificationsFor(english, before, [book('a', { nbNotRead: 2, archived: true, lastMsg: last(11) })], context)).toEqual([]);
    expect(notificationsFor(english, before, [book('a', { nbNotRead: 2, lastMsg: last(11) })], { ...context, muted: new Set(['alice/a']) })).toEqual([]);
    expect(notificationsFor(english, before, [book('a', { nbNotRead: 2, lastMsg: last(11) })], { ...context, enabled: false })).toEqual([]);
  });

  it('raises nothing on the first sync after sign-in', () => {
    expect(notificationsFor(english, {}, [book('a', { nbNotRead: 5, lastMsg: last(11) })], { ...context, firstSync: true })).toEqual([]);
  });

  it('sums up a flood, and news from several books after a long gap, in one notification', () => {
    const many = ['a', 'b', 'c', 'd'].map((code, i) => book(code, { nbNotRead: 2 + i, lastMsg: last(100 + i) }));
    const flood = notificationsFor(english, {}, many, context);
    expect(flood).toHaveLength(1);
    expect(flood[0]).toMatchObject({ id: SUMMARY_ID, book: null, title: '14 new messages in 4 books' });
    const two = many.slice(0, 2);
    expect(notificationsFor(english, {}, two, context)).toHaveLength(2);
    expect(notificationsFor(english, {}, two, { ...context, sincePreviousPoll: LONG_GAP_MS })).toMatchObject([{ id: SUMMARY_ID }]);
  });

  it('names the book in the id, so a click opens it', () => {
    expect(bookFromNotificationId(notificationId({ b_o: 'alice', b_c: 'a/b' }))).toEqual({ b_o: 'alice', b_c: 'a/b' });
    expect(bookFromNotificationId(SUMMARY_ID)).toBeNull();
  });
});
