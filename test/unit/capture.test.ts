/** The right-click menu's items, what a click captured and the message it makes. Pure. */
import { describe, expect, it } from 'vitest';
import type { BookSummary } from '../../src/domain/books';
import { badgeFor } from '../../src/domain/badge';
import { bookOfMenuItem, captureOf, imageAsLink, imageFileName, menuEntries, messageOf, MENU_BOOKS, withNote } from '../../src/domain/capture';
import { bookFromNotificationId, sendFromNotificationId, sendNotifications } from '../../src/domain/notifications';
import { newItem, sendingFromMenu } from '../../src/domain/outbox';
import { screenshotFileName } from '../../src/domain/files';
import { english } from '../support/words';
import { bookSummary } from '../support/book-summary';

const book = (b_c: string, overrides: Partial<BookSummary> = {}) => bookSummary(b_c, { title: b_c, ...overrides });

describe('the menu', () => {
  it('offers signing in when nobody is signed in', () => {
    expect(menuEntries(english, { signedIn: false, books: [book('a')], recent: [] }).map((entry) => entry.title)).toEqual([
      'Send to TimeTonic',
      'Sign in to TimeTonic…',
    ]);
  });

  it('lists recent books first, then favourites, then the user order, about ten, then "Choose book…"', () => {
    const books = Array.from({ length: 14 }, (_, i) => book(`b${i}`, { order: 14 - i, favorite: i === 9 }));
    books.push(book('read-only', { canWrite: false }), book('archived', { archived: true }), book('invited', { accepted: false }));
    const titles = menuEntries(english, { signedIn: true, books, recent: ['alice/b3', 'alice/gone', 'alice/read-only'] }).map((entry) => entry.title);
    expect(titles[0]).toBe('Send to TimeTonic');
    expect(titles.slice(1, 1 + MENU_BOOKS)).toEqual(['b3', 'b9', 'b13', 'b12', 'b11', 'b10', 'b8', 'b7', 'b6', 'b5']);
    expect(titles.slice(-3)).toEqual(['', 'Choose book…', 'Save to a table…']);
  });

  it('names each book by a stable id it can be read back from', () => {
    const [, first] = menuEntries(english, { signedIn: true, books: [book('q3/plan', { b_o: 'bob' })], recent: [] });
    expect(first!.id).toBe('send:book:bob/q3/plan');
    expect(bookOfMenuItem(first!.id)).toEqual({ b_o: 'bob', b_c: 'q3/plan' });
    expect(bookOfMenuItem('send:choose')).toBeNull();
  });

  it('keeps a title as written: a literal & and no place for the selected text', () => {
    const titles = (title: string) => menuEntries(english, { signedIn: true, books: [book('x', { title })], recent: [] })[1]!.title;
    expect(titles('R&D 100% %s')).toBe('R&&D 100% %\u2060s');
    expect(titles('&&%s%s&')).toBe('&&&&%\u2060s%\u2060s&&');
    expect(titles('100%')).toBe('100%');
  });
});

describe('what a click sends', () => {
  const tab = { title: 'Quarterly report', url: 'https://example.com/q3' };

  it('tells an image, a selection, a link and the page apart', () => {
    const page = { pageUrl: 'https://example.com/q3' };
    expect(captureOf({ ...page, srcUrl: 'https://cdn.example.com/a.png', mediaType: 'image', linkUrl: 'https://x' }, tab).kind).toBe('image');
    expect(captureOf({ ...page, selectionText: 'Revenue', linkUrl: 'https://x' }, tab).kind).toBe('selection');
    expect(captureOf({ ...page, linkUrl: 'https://x' }, tab).kind).toBe('link');
    expect(captureOf(page, tab)).toEqual({ kind: 'page', pageUrl: 'https://example.com/q3', pageTitle: 'Quarterly report' });
  });

  it('writes each as a message', () => {
    const base = { pageUrl: tab.url, pageTitle: tab.title };
    expect(messageOf(english, { ...base, kind: 'page' })).toBe('Quarterly report\nhttps://example.com/q3');
    expect(messageOf(english, { ...base, kind: 'link', linkUrl: 'https://example.com/full', linkText: ' Full report ' })).toBe(
      'Full report\nhttps://example.com/full\n\nFrom: Quarterly report https://example.com/q3',
    );
    expect(messageOf(english, { ...base, kind: 'link', linkUrl: 'https://example.com/full' })).toBe('https://example.com/full\n\nFrom: Quarterly report https://example.com/q3');
    expect(messageOf(english, { ...base, kind: 'selection', selectionText: 'Line one\nLine two' })).toBe(
      '> Line one\n> Line two\n\nQuarterly report\nhttps://example.com/q3#:~:text=Line%20one,Line%20two',
    );
    expect(messageOf(english, { pageUrl: 'https://example.com/', pageTitle: 'https://example.com/', kind: 'page' })).toBe('https://example.com/');
    expect(imageAsLink(english, { ...base, kind: 'image', srcUrl: 'https://cdn.example.com/a.png' }, 'Access was not granted')).toEqual({
      text: 'Quarterly report\nhttps://example.com/q3\n\nImage: https://cdn.example.com/a.png',
      note: 'Access was not granted',
    });
  });

  it("puts the user's note first, and nothing for a blank note", () => {
    expect(withNote('  Read before Monday \n', 'Quarterly report\nhttps://example.com/q3')).toBe('Read before Monday\n\nQuarterly report\nhttps://example.com/q3');
    expect(withNote(' \n ', 'Quarterly report')).toBe('Quarterly report');
    expect(withNote('Line one\nLine two', '> quote')).toBe('Line one\nLine two\n\n> quote');
  });

  it('names a screenshot after its page and the local time it was taken', () => {
    const at = new Date(2026, 11, 6, 9, 5, 3);
    expect(screenshotFileName('Quarterly report – Q3', at)).toBe('Quarterly report Q3 2026-12-06 09.05.03.png');
    expect(screenshotFileName('a/b\\c: "d" <e>|f?*', at)).toBe('a b c d e f 2026-12-06 09.05.03.png');
    expect(screenshotFileName('R&D, 100% (draft)', at)).toBe('R&D, 100 (draft) 2026-12-06 09.05.03.png');
    expect(screenshotFileName('  ', at)).toBe('Screenshot 2026-12-06 09.05.03.png');
    expect(screenshotFileName('x'.repeat(300), at)).toBe(`${'x'.repeat(80)} 2026-12-06 09.05.03.png`);
  });

  it('names an image file after its address, with an extension for its type', () => {
    expect(imageFileName('https://cdn.example.com/photos/sunset%20beach.jpg?w=300', 'image/jpeg')).toBe('sunset beach.jpg');
    expect(imageFileName('https://cdn.example.com/render', 'image/webp')).toBe('render.webp');
    expect(imageFileName('data:image/png;base64,iVBOR', 'image/png')).toBe('image.png');
    expect(imageFileName('https://cdn.example.com/', 'image/gif; charset=binary')).toBe('image.gif');
    expect(imageFileName('https://cdn.example.com/a<script>.png', 'image/png')).toBe('a_script_.png');
  });
});

describe('feedback on right-click sends', () => {
  const UUID = '0b7c6a5e-2f3d-4c1b-9a8e-7d6c5b4a3f21';
  const account = { server: 'https://timetonic.com', o_u: 'demo' };
  const item = (overrides: Partial<ReturnType<typeof newItem>> = {}) => ({
    ...newItem({ uuid: UUID, account, book: { b_o: 'alice', b_c: 'inbox' }, bookTitle: 'Inbox', text: 'Title\nhttps://x', sinceStamp: 0, now: 0, origin: 'menu' }),
    ...overrides,
  });

  it('says "Sent to <book>", or why not: once when it first waits, and when it fails for good', () => {
    const notices = sendNotifications(english, {
      delivered: [item({ status: 'sent' }), item({ status: 'sent', origin: 'popup' }), item({ status: 'sent', note: 'Sent as a link' })],
      setBack: [item({ reason: 'TimeTonic could not be reached', attempts: 1 }), item({ reason: 'Still down', attempts: 2 }), item({ status: 'failed', reason: 'You may not write in this book' })],
    });
    expect(notices.map((notice) => [notice.id, notice.title, notice.message])).toEqual([
      [`sent:alice/inbox#${UUID}`, 'Sent to Inbox', 'Title'],
      [`sent:alice/inbox#${UUID}`, 'Sent to Inbox', 'Sent as a link'],
      ['sent:alice/inbox', 'Not sent yet to Inbox', 'TimeTonic could not be reached. It will be retried.'],
      ['sent:alice/inbox', 'Not sent to Inbox', 'You may not write in this book. Retry or discard it from the toolbar button.'],
    ]);
  });

  it('offers Undo on a delivered send, names the send in its id, and replaces it with the outcome', () => {
    const [sent] = sendNotifications(english, { delivered: [item({ status: 'sent' })], setBack: [] });
    expect(sent).toMatchObject({ undoButton: 'Undo', book: { b_o: 'alice', b_c: 'inbox' } });
    expect(sendFromNotificationId(sent!.id)).toBe(UUID);
    expect(bookFromNotificationId(sent!.id)).toEqual({ b_o: 'alice', b_c: 'inbox' });
    // Only a delivered send's notification undoes: the others open the book.
    expect(sendFromNotificationId('sent:alice/inbox')).toBeNull();
    expect(sendFromNotificationId('book:alice/inbox')).toBeNull();

    const undone = sendNotifications(english, {
      delivered: [],
      setBack: [],
      undone: [item({ status: 'undone' }), item({ status: 'sent', reason: 'Not deleted: you may not do this' }), item({ status: 'undone', origin: 'popup' })],
    });
    expect(undone.map((notice) => [notice.id, notice.title, notice.message, notice.undoButton])).toEqual([
      [`sent:alice/inbox#${UUID}`, 'Deleted from Inbox', 'Title', undefined],
      [`sent:alice/inbox#${UUID}`, 'Not deleted from Inbox', 'Not deleted: you may not do this', undefined],
    ]);
  });

  it('shows on the badge while a right-click send is on its way', () => {
    const sending = sendingFromMenu([item(), item({ origin: 'popup' }), item({ reason: 'down' }), item({ status: 'sent' })]);
    expect(sending).toBe(1);
    expect(badgeFor(english, { state: 'ok' }, [], new Set(), sending)).toEqual({ text: '↑', color: '#116e8c', title: 'TimeTonic: sending…' });
    expect(badgeFor(english, { state: 'ok' }, [book('a', { nbNotRead: 2 })], new Set(), 0).text).toBe('2');
  });
});
