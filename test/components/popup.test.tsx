/**
 * The popup's components in a DOM (happy-dom) with the browser seam faked: storage as the worker
 * left it, and the worker's answers. What the first render draws, the filter, the keyboard, the
 * book view and its states.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBrowser, type FakeBrowser } from '../support/fake-browser';
import { BOOK_CACHE, CAFE, ME, message, messageCache, outboxItem, SERVER, SUPPORT, SUPPORT_MESSAGES } from './fixtures';

const fake = vi.hoisted(() => ({ browser: undefined as unknown as FakeBrowser }));
vi.mock('../../src/shared/browser', () => ({ default: new Proxy({}, { get: (_, key) => Reflect.get(fake.browser, key) }) }));

const { createPopupModel } = await import('../../src/popup/model');
const { readFirstPaint } = await import('../../src/popup/first-paint');
const { Popup } = await import('../../src/popup/Popup');
const { firstScreenOf } = await import('../../src/domain/first-screen');
const { inDisplayOrder } = await import('../../src/domain/books');

beforeEach(() => {
  fake.browser = createFakeBrowser();
});
afterEach(cleanup);

/** Opens the popup on storage as given (the worker's items by key), as main.tsx does. */
async function openPopup(local: Record<string, unknown> = {}) {
  const stored = { syncStatus: { state: 'ok' }, account: ME, bookCache: BOOK_CACHE, ...local };
  // The worker keeps the book list as JSON text.
  for (const [key, value] of Object.entries(stored)) {
    if (value !== undefined) fake.browser.storage.local.data.set(key, key === 'bookCache' ? JSON.stringify(value) : structuredClone(value));
  }
  const model = createPopupModel(await readFirstPaint());
  const view = render(<Popup model={model} />);
  model.start();
  return { model, ...view };
}

const field = () => screen.getByRole('searchbox', { name: 'Find a book' });
/** The buttons that open a book (a book with unread messages has a Mark as read button too). */
const bookButtons = () =>
  within(screen.getByRole('region', { name: 'Books' }))
    .queryAllByRole('button')
    .filter((button) => button.classList.contains('book-open'));
const titles = () => bookButtons().map((button) => button.querySelector('.book-title')?.textContent);
const type = (text: string) => fireEvent.input(field(), { target: { value: text } });
const key = (target: Element, name: string) => fireEvent.keyDown(target, { key: name });
const asked = (type: string) => fake.browser.asked.filter((request) => request.type === type);

describe('the book list', () => {
  it('is drawn from the cache by the first render, newest and unread first, with counts and previews', async () => {
    // Storage is read once, before anything is drawn, and the list is there right after the render.
    const { model } = await openPopup();
    expect(titles()).toEqual(['Support inbox', 'Team offsite – Lisbon', 'Équipe café', 'Community garden']);
    expect(screen.queryByText(/Loading/)).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('TimeTonic4 unread');
    const support = bookButtons()[0]!;
    expect(within(support).getByLabelText('3 unread').textContent).toBe('3');
    expect(support.querySelector('.preview')?.textContent).toBe('Bob Okafor: Confirmed by the customer');
    // The user's own message is "You"; a pending invitation and an archived book are not listed.
    expect(bookButtons()[1]!.querySelector('.preview')?.textContent).toBe('You: Mornings work best');
    expect(model.list.books.value.some((book) => book.title === 'Product roadmap')).toBe(false);
    // Then it asks the worker for fresh numbers, and says so.
    expect(asked('pollNow')).toHaveLength(1);
  });

  it('draws only the rows in view of a long list, and moves them with the keyboard and Find a book', async () => {
    const cache = structuredClone(BOOK_CACHE);
    for (let i = 0; i < 300; i++) cache.books[`bob/b${i}`] = { ...CAFE, b_o: 'bob', b_c: `b${i}`, title: `Project ${String(i).padStart(4, '0')}` };
    await openPopup({ bookCache: cache });
    // A first screenful, each row telling where it stands among all the books shown.
    expect(bookButtons()).toHaveLength(20);
    expect(bookButtons()[0]!.closest('li')?.getAttribute('aria-setsize')).toBe('304');
    // The Book choice holds the chosen book until the user goes to it.
    const choice = screen.getByRole('combobox', { name: 'Book' });
    expect(choice.querySelectorAll('option')).toHaveLength(1);
    act(() => void fireEvent.focus(choice));
    expect(choice.querySelectorAll('option')).toHaveLength(303);
    // The keyboard reaches books that were not drawn; the rows drawn follow it.
    key(field(), 'ArrowDown');
    key(document.activeElement!, 'End');
    expect(document.activeElement?.querySelector('.book-title')?.textContent).toBe('Community garden');
    expect(document.activeElement?.closest('li')?.getAttribute('aria-posinset')).toBe('304');
    expect(bookButtons().length).toBeLessThanOrEqual(20);
    key(document.activeElement!, 'ArrowUp');
    expect(document.activeElement?.querySelector('.book-title')?.textContent).toBe('Project 0299');
    key(document.activeElement!, 'Home');
    expect(document.activeElement).toBe(bookButtons()[0]);
    for (let i = 0; i < 25; i++) key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement?.closest('li')?.getAttribute('aria-posinset')).toBe('26');
    // Finding a book draws from the top of what matches.
    type('project 0234');
    expect(titles()).toEqual(['Project 0234']);
    type('project 02');
    expect(titles()).toHaveLength(20);
    expect(titles()[0]).toBe('Project 0002');
  });

  it('says when it is checking and when TimeTonic cannot be reached', async () => {
    let answer!: (value: unknown) => void;
    fake.browser.worker.answer = () => new Promise((resolve) => (answer = resolve));
    await openPopup({ syncStatus: { state: 'offline', detail: 'x' } });
    expect(screen.getByText('Checking…')).toBeTruthy();
    answer({ ok: true });
    expect(await screen.findByText('Offline')).toBeTruthy();
    await fake.browser.storage.local.set({ syncStatus: { state: 'ok' } });
    expect(await screen.findByText('Up to date')).toBeTruthy();
  });

  it('has placeholders before the first sync and for an account without books', async () => {
    await openPopup({ bookCache: { sstamp: null, books: {}, names: {} } });
    expect(screen.getByText('Loading your books…')).toBeTruthy();
    await fake.browser.storage.local.set({ syncStatus: { state: 'offline', detail: 'x' } });
    expect(await screen.findByText('Your books appear once TimeTonic answers.')).toBeTruthy();
    await fake.browser.storage.local.set({ bookCache: JSON.stringify({ sstamp: 5, books: {}, names: {} }) });
    expect(await screen.findByText('No books yet.')).toBeTruthy();
  });

  it('updates in place when the worker writes a newer list', async () => {
    await openPopup();
    const first = bookButtons()[0];
    const cache = structuredClone(BOOK_CACHE);
    cache.books['alice/support-inbox']!.nbNotRead = 4;
    await fake.browser.storage.local.set({ bookCache: JSON.stringify(cache) });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('TimeTonic5 unread'));
    // The same element: nothing was torn down and drawn again.
    expect(bookButtons()[0]).toBe(first);
  });
});

describe('the first frame from the first screenful', () => {
  /** A long list, as the worker stores it: in display order, with its first screenful for these draft and recent books. */
  function longList(draftBook: string | null, recentBooks: string[]) {
    const cache = structuredClone(BOOK_CACHE);
    for (let i = 0; i < 300; i++) {
      cache.books[`bob/b${i}`] = { ...CAFE, b_o: 'bob', b_c: `b${i}`, title: `Project ${String(i).padStart(4, '0')}`, nbNotRead: i % 7 === 0 ? 2 : 0, archived: i % 50 === 1 };
    }
    const ordered = inDisplayOrder(cache);
    return { bookCache: ordered, firstScreen: firstScreenOf(ordered, [draftBook, ...recentBooks]), quickSendDraft: { book: draftBook, text: '' }, recentBooks };
  }
  const drawn = () => document.querySelector('main')!.outerHTML;
  // The poll the popup asks for stays unanswered: "Checking…" throughout.
  beforeEach(() => void (fake.browser.worker.answer = () => new Promise(() => {})));

  it('draws what the whole list draws, then reads the whole list without a change on screen', async () => {
    const stored = longList(null, ['bob/b251', 'bob/b252']);
    await openPopup({ ...stored, firstScreen: undefined });
    const fromWholeList = drawn();
    cleanup();
    fake.browser = createFakeBrowser();
    fake.browser.worker.answer = () => new Promise(() => {});
    const { model } = await openPopup(stored);
    // Only the first screenful was read, and it draws the same: rows, counts, the preselected book
    // (the first recent one is archived, so not offered).
    expect(model.list.books.value.length).toBeLessThan(40);
    expect(drawn()).toBe(fromWholeList);
    expect(screen.getByRole('combobox', { name: 'Book' })).toHaveProperty('value', 'bob/b252');
    const firstRow = bookButtons()[0];
    await act(() => model.readWholeList());
    expect(model.list.books.value).toHaveLength(305);
    expect(drawn()).toBe(fromWholeList);
    expect(bookButtons()[0]).toBe(firstRow);
  });

  it('marks every book with unread messages read, also when only the first screenful is drawn yet', async () => {
    const stored = longList(null, []);
    const { model } = await openPopup(stored);
    expect(model.list.books.value.length).toBeLessThan(40);
    const unread = Object.values(stored.bookCache.books).filter((book) => book.nbNotRead > 0 && book.accepted && !book.archived);
    expect(unread.length).toBeGreaterThan(model.list.books.value.filter((book) => book.nbNotRead > 0).length);
    fireEvent.click(screen.getByRole('button', { name: 'Mark all as read' }));
    await waitFor(() => expect(asked('markRead')).toHaveLength(1));
    const marked = (asked('markRead')[0] as unknown as { books: { b_o: string; b_c: string }[] }).books;
    expect(new Set(marked.map(({ b_o, b_c }) => `${b_o}/${b_c}`))).toEqual(new Set(unread.map(({ b_o, b_c }) => `${b_o}/${b_c}`)));
  });

  it("reads the whole list first when the screenful was made for another draft's book", async () => {
    const stored = longList(null, []);
    const { model } = await openPopup({ ...stored, quickSendDraft: { book: 'bob/b260', text: 'Hello' } });
    expect(model.list.books.value).toHaveLength(305);
    expect(screen.getByRole('combobox', { name: 'Book' })).toHaveProperty('value', 'bob/b260');
  });
});

describe('the quick-send box', () => {
  it('lists what was sent and how it stands, once there is something to list', async () => {
    await openPopup({ outbox: [outboxItem('On its way'), outboxItem('Refused', { status: 'failed', reason: 'You may not write in this book', createdAt: 0 })] });
    const sends = await screen.findByRole('list', { name: 'Sends' });
    expect(within(sends).getAllByRole('status').map((state) => state.textContent)).toEqual(['Sending…', 'Failed: You may not write in this book']);
    fireEvent.click(within(sends).getByRole('button', { name: 'Retry' }));
    expect(fake.browser.asked.at(-1)).toEqual({ type: 'retrySend', uuid: 'send-Refused' });
  });

  it('offers Undo while a send goes and for 30 seconds once delivered, and says why when the worker refuses it', async () => {
    fake.browser.worker.answer = async (request) =>
      request.type === 'undoSend' ? { ok: false, error: 'Too late to undo: it was delivered more than 30 seconds ago.' } : { ok: true };
    await openPopup({
      outbox: [
        outboxItem('On its way'),
        outboxItem('Just sent', { status: 'sent', smid: 7, sentAt: Date.now() - 1_000 }),
        outboxItem('Sent a while ago', { status: 'sent', smid: 6, sentAt: Date.now() - 60_000, createdAt: 1 }),
        outboxItem('Refused', { status: 'failed', reason: 'You may not write in this book', createdAt: 0 }),
      ],
    });
    const sends = await screen.findByRole('list', { name: 'Sends' });
    const undoOf = (text: string) => within(within(sends).getByText(text).closest('li')!).queryByRole('button', { name: 'Undo the send to Support inbox' });
    expect(undoOf('On its way')).toBeTruthy();
    expect(undoOf('Just sent')).toBeTruthy();
    expect(undoOf('Sent a while ago')).toBeNull();
    expect(undoOf('Refused')).toBeNull();
    fireEvent.click(undoOf('Just sent')!);
    expect(asked('undoSend')).toEqual([{ type: 'undoSend', uuid: 'send-Just sent' }]);
    // The focus stays on the send, whose button goes once it is taken back.
    expect(document.activeElement).toBe(within(sends).getByText('Just sent').closest('li'));
    expect((await within(sends).findByRole('alert')).textContent).toBe('Too late to undo: it was delivered more than 30 seconds ago.');
  });

  it('tells a send taken back: deleting, deleted, cancelled, or why the server kept it', async () => {
    await openPopup({
      outbox: [
        outboxItem('Going', { status: 'undoing', undo: { askedAt: 1, quietAt: 1, doneAt: null, cancelled: false } }),
        outboxItem('Gone', { status: 'undone', undo: { askedAt: 1, quietAt: 1, doneAt: 2, cancelled: false }, createdAt: 3 }),
        outboxItem('Never went', { status: 'undone', undo: { askedAt: 1, quietAt: 1, doneAt: 1, cancelled: true }, createdAt: 2 }),
        outboxItem('Kept', { status: 'sent', sentAt: 1, reason: 'Not deleted: no rights on this book', createdAt: 1 }),
      ],
    });
    const sends = await screen.findByRole('list', { name: 'Sends' });
    expect(within(sends).getAllByRole('status').map((state) => state.textContent)).toEqual([
      'Deleting…',
      'Deleted',
      'Cancelled: nothing was sent',
      'Sent. Not deleted: no rights on this book',
    ]);
    expect(within(sends).queryAllByRole('button', { name: /^Undo/ })).toEqual([]);
  });

  it('draws no list of sends when there are none', async () => {
    await openPopup();
    expect(screen.getByRole('combobox', { name: 'Book' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Sends' })).toBeNull();
  });
});

describe('finding a book', () => {
  it('narrows the list as one types, ignoring case and accents', async () => {
    await openPopup();
    type('LISB');
    expect(titles()).toEqual(['Team offsite – Lisbon']);
    type('equipe CAFE');
    expect(titles()).toEqual(['Équipe café']);
    type('');
    expect(titles()).toHaveLength(4);
  });

  it('hides archived books unless asked for, and says when one matches', async () => {
    await openPopup();
    type('invoices');
    expect(titles()).toEqual([]);
    expect(screen.getByText('No book matches “invoices”; 1 archived one does.')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show archived' }));
    expect(titles()).toEqual(['Invoices Q3']);
  });

  it('says so when nothing matches', async () => {
    await openPopup();
    type('zzz');
    expect(screen.getByText('No book matches “zzz”.')).toBeTruthy();
  });
});

describe('the keyboard', () => {
  it('starts in the field, goes down the list and back up, and opens with Enter', async () => {
    await openPopup();
    expect(document.activeElement).toBe(field());
    key(field(), 'ArrowDown');
    expect(document.activeElement).toBe(bookButtons()[0]);
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(bookButtons()[1]);
    key(document.activeElement!, 'End');
    expect(document.activeElement).toBe(bookButtons()[3]);
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(bookButtons()[3]);
    key(document.activeElement!, 'Home');
    key(document.activeElement!, 'ArrowUp');
    expect(document.activeElement).toBe(field());
  });

  it('Escape goes back to the field, then clears it', async () => {
    await openPopup();
    type('i');
    key(field(), 'ArrowDown');
    key(document.activeElement!, 'Escape');
    expect(document.activeElement).toBe(field());
    expect(field()).toHaveProperty('value', 'i');
    key(field(), 'Escape');
    expect(field()).toHaveProperty('value', '');
  });

  it('a letter typed in the list goes to the field', async () => {
    await openPopup();
    key(field(), 'ArrowDown');
    key(document.activeElement!, 'q');
    expect(document.activeElement).toBe(field());
  });

  it('Enter in the field opens the first book shown; Escape goes back to it, focused', async () => {
    await openPopup();
    type('café');
    key(field(), 'Enter');
    expect(await screen.findByRole('heading', { level: 2, name: CAFE.title })).toBeTruthy();
    // In the book view the focus is where the user will type.
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
    key(document.activeElement!, 'Escape');
    await waitFor(() => expect(document.activeElement?.textContent).toContain(CAFE.title));
    expect(field()).toHaveProperty('value', 'café');
  });
});

describe('the book view', () => {
  async function openSupport(local: Record<string, unknown> = {}) {
    const popup = await openPopup(local);
    fireEvent.click(bookButtons()[0]!);
    await screen.findByRole('heading', { level: 2, name: SUPPORT.title });
    return popup;
  }
  const lines = () => screen.queryAllByRole('listitem').filter((item) => item.classList.contains('message'));

  it('shows the cached messages newest first, with names, times, thumbnails and links, and refreshes them', async () => {
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    await waitFor(() => expect(lines()).toHaveLength(3));
    expect(lines().map((line) => line.querySelector('.sender')?.textContent)).toEqual(['Bob Okafor', 'You', 'Alice Martin']);
    expect(lines()[0]!.querySelector('time')?.getAttribute('datetime')).toBe(new Date(SUPPORT_MESSAGES.messages[0]!.created * 1000).toISOString());
    const thumbnail = screen.getByRole('img', { name: 'paint sample.png' });
    expect(thumbnail.getAttribute('src')).toBe(`${SERVER}/live/dbi/in/tb/pNtSmPl16a.png/paint%20sample.png`);
    expect(screen.getByRole('link', { name: 'quote.pdf' }).getAttribute('href')).toBe(`${SERVER}/live/dbi/odn/full/qUoTe0001.pdf/quote.pdf`);
    expect(screen.getByRole('link', { name: 'Open in TimeTonic' }).getAttribute('href')).toBe(`${SERVER}/live/#book/alice/support-inbox`);
    expect(asked('bookMessages')).toEqual([{ type: 'bookMessages', book: { b_o: 'alice', b_c: 'support-inbox' } }]);
  });

  it('shows message text as text', async () => {
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    const hostile = await screen.findByText('<img src=x onerror="document.title=1"><script>document.title=2</script>');
    expect(hostile.querySelector('img, script')).toBeNull();
  });

  it('says it is loading until the worker has fetched the messages, then shows them', async () => {
    await openSupport();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    await fake.browser.storage.local.set({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    await waitFor(() => expect(lines()).toHaveLength(3));
    expect(screen.queryByText('Loading messages…')).toBeNull();
  });

  it('says why the messages could not be loaded, and tries again', async () => {
    fake.browser.worker.answer = async (request) =>
      request.type === 'bookMessages' ? { ok: false, error: 'TimeTonic could not be reached' } : { ok: true };
    await openSupport();
    expect((await screen.findByText(/^Could not load the messages/)).getAttribute('role')).toBe('alert');
    expect(screen.getByText(/^Could not load the messages/).textContent).toBe('Could not load the messages: TimeTonic could not be reached.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(asked('bookMessages')).toHaveLength(2));
  });

  it('offline, shows the messages last seen and says so', async () => {
    fake.browser.worker.answer = async (request) =>
      request.type === 'bookMessages' ? { ok: false, error: 'TimeTonic could not be reached' } : { ok: true };
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    expect(await screen.findByText('Showing the messages last seen: TimeTonic could not be reached.')).toBeTruthy();
    expect(lines()).toHaveLength(3);
  });

  it('ignores messages cached for another account', async () => {
    const { model } = await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }, { server: SERVER, o_u: 'alice' }) });
    // Storage answers in order: once this read is back, so is the popup's own.
    await act(async () => void (await fake.browser.storage.local.get('messageCache')));
    expect(model.reader.value?.entry.value).toBeUndefined();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
  });

  it('says when a book has no messages', async () => {
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': { ...SUPPORT_MESSAGES, messages: [], hasOlder: false } }) });
    expect(await screen.findByText('No messages yet.')).toBeTruthy();
  });

  it('loads older messages, saying so meanwhile, and where the book starts', async () => {
    let answer!: (value: unknown) => void;
    fake.browser.worker.answer = async (request) => (request.type === 'olderMessages' ? new Promise((resolve) => (answer = resolve)) : { ok: true });
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Load older' }));
    const loading = screen.getByRole('button', { name: 'Loading older…' });
    expect(loading).toHaveProperty('disabled', true);
    expect(asked('olderMessages')).toEqual([{ type: 'olderMessages', book: { b_o: 'alice', b_c: 'support-inbox' } }]);
    const older = { ...SUPPORT_MESSAGES, hasOlder: false, messages: [...SUPPORT_MESSAGES.messages, message(2, 'bob', 'The first one')] };
    await fake.browser.storage.local.set({ messageCache: messageCache({ 'alice/support-inbox': older }) });
    answer({ ok: true });
    expect(await screen.findByText('The book starts here.')).toBeTruthy();
    expect(lines()).toHaveLength(4);
    expect(screen.queryByRole('button', { name: /older/ })).toBeNull();
  });

  it('says why older messages could not be loaded', async () => {
    fake.browser.worker.answer = async (request) =>
      request.type === 'olderMessages' ? { ok: false, error: 'TimeTonic had a server error (HTTP 503)' } : { ok: true };
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Load older' }));
    expect((await screen.findByText(/^Could not load older/)).textContent).toBe('Could not load older messages: TimeTonic had a server error (HTTP 503).');
    expect(screen.getByRole('button', { name: 'Load older' })).toHaveProperty('disabled', false);
  });

  it('sends to this book, and shows the send at once, marked until the server has it', async () => {
    fake.browser.worker.answer = async (request) => {
      if (request.type !== 'send') return { ok: true };
      // The worker keeps it in the outbox before it answers.
      const { text } = request as unknown as { text: string };
      await fake.browser.storage.local.set({ outbox: [outboxItem(text)] });
      return { ok: true, uuid: `send-${text}` };
    };
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'On my way' } });
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(lines()[0]?.textContent).toContain('On my way'));
    expect(asked('send')).toEqual([{ type: 'send', book: { b_o: 'alice', b_c: 'support-inbox' }, text: 'On my way' }]);
    expect(within(lines()[0]!).getByRole('status').textContent).toBe('Sending…');
    await waitFor(() => expect(box).toHaveProperty('value', ''));

    await fake.browser.storage.local.set({ outbox: [outboxItem('On my way', { reason: 'TimeTonic could not be reached', attempts: 1 })] });
    await waitFor(() => expect(within(lines()[0]!).getByRole('status').textContent).toBe('Waiting…'));
    expect(lines()[0]!.textContent).toContain('TimeTonic could not be reached. It will be retried.');

    await fake.browser.storage.local.set({ outbox: [outboxItem('On my way', { status: 'sent', smid: 6 })] });
    await waitFor(() => expect(within(lines()[0]!).getByRole('status').textContent).toBe('Sent'));

    // Once fetched, it is one message like the others.
    const fetched = { ...SUPPORT_MESSAGES, messages: [message(6, 'demo', 'On my way', { uuid: 'send-On my way' }), ...SUPPORT_MESSAGES.messages] };
    await fake.browser.storage.local.set({ messageCache: messageCache({ 'alice/support-inbox': fetched }) });
    await waitFor(() => expect(lines()).toHaveLength(4));
    expect(lines()[0]!.querySelector('[role=status]')).toBeNull();
    expect(screen.getAllByText('On my way')).toHaveLength(1);
  });

  it('offers Retry and Discard for a send that failed', async () => {
    await openSupport({ outbox: [outboxItem('Refused', { status: 'failed', reason: 'You may not write in this book' })] });
    const line = (await screen.findByText('Refused')).closest('li')!;
    expect(within(line).getByRole('status').textContent).toBe('Not sent');
    fireEvent.click(within(line).getByRole('button', { name: 'Retry' }));
    fireEvent.click(within(line).getByRole('button', { name: 'Discard' }));
    expect(fake.browser.asked.slice(-2)).toEqual([
      { type: 'retrySend', uuid: 'send-Refused' },
      { type: 'discardSend', uuid: 'send-Refused' },
    ]);
  });

  it('has no message box in a book the user may only read', async () => {
    await openPopup();
    fireEvent.click(screen.getByRole('button', { name: /Community garden/ }));
    expect(await screen.findByText('You can read this book but not write in it.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Back to books' }));
  });

  it('fetches again when the worker sees the open book change', async () => {
    await openSupport({ messageCache: messageCache({ 'alice/support-inbox': SUPPORT_MESSAGES }) });
    await waitFor(() => expect(asked('bookMessages')).toHaveLength(1));
    const cache = structuredClone(BOOK_CACHE);
    cache.books['alice/support-inbox']!.sstamp = 11;
    await fake.browser.storage.local.set({ bookCache: JSON.stringify(cache) });
    await waitFor(() => expect(asked('bookMessages')).toHaveLength(2));
  });

  it('goes back with the Back button', async () => {
    await openSupport();
    fireEvent.click(screen.getByRole('button', { name: 'Back to books' }));
    expect(screen.getByRole('searchbox', { name: 'Find a book' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.textContent).toContain(SUPPORT.title));
  });
});

describe('reading', () => {
  it('asks the worker to mark a book read when it opens, with the book opened', async () => {
    await openPopup();
    fireEvent.click(bookButtons()[0]!);
    await waitFor(() => expect(asked('markRead')).toEqual([{ type: 'markRead', books: [{ b_o: SUPPORT.b_o, b_c: SUPPORT.b_c }], opened: true }]));
  });

  it('offers Mark as read on books with unread messages, and Mark all as read for those the header counts', async () => {
    await openPopup();
    const marks = screen.getAllByRole('button', { name: /^Mark .* as read$/ }).filter((mark) => mark.classList.contains('mark-read'));
    expect(marks.map((mark) => mark.getAttribute('aria-label'))).toEqual(['Mark Support inbox as read', 'Mark Team offsite – Lisbon as read']);
    fireEvent.click(marks[1]!);
    fireEvent.click(screen.getByRole('button', { name: 'Mark all as read' }));
    await waitFor(() =>
      expect(asked('markRead')).toEqual([
        { type: 'markRead', books: [{ b_o: 'bob', b_c: 'team-offsite' }], opened: false },
        // The archived book's unread message is not the badge's: left as it is.
        { type: 'markRead', books: [{ b_o: SUPPORT.b_o, b_c: SUPPORT.b_c }, { b_o: 'bob', b_c: 'team-offsite' }], opened: false },
      ]),
    );
  });

  it('says Live while the socket is attached, else how often it checks', async () => {
    await openPopup();
    expect(await screen.findByText('Checking every 1 min')).toBeTruthy();
    await act(() => fake.browser.storage.session.set({ liveStatus: { state: 'live', address: null, failures: 0, retryAt: null, ignoredFrames: 0 } }));
    expect(await screen.findByText('Live')).toBeTruthy();
  });
});
