import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { bookKey, type BookSummary } from '../domain/books';
import { senderName } from '../domain/messages';
import { t } from '../shared/i18n';
import { MarkBookRead } from './MarkRead';
import type { PopupModel } from './model';

/**
 * The books, narrowed by "Find a book". Keyboard: the focus starts in the field; Down goes into
 * the list, Up and Down move in it, Enter opens (in the field: the first book shown), Escape goes
 * back to the field and, there, clears it. Typing a letter in the list types it in the field.
 *
 * Only the rows in view (and a few around them) are drawn, the others stand as empty space above
 * and below: a list of thousands of books opens and narrows as fast as one of ten.
 */
export function BookList({ model }: { model: PopupModel }) {
  const { list } = model;
  const field = useRef<HTMLInputElement>(null);
  const items = useRef<HTMLUListElement>(null);
  /** The row to focus once it is drawn (keyboard moves and the way back from a book). */
  const focusNext = useRef<number | null>(null);
  const { shown, archivedHidden, count } = list.found.value;
  const query = list.query.value;
  const visible = list.visible.value;

  const rowButton = (index: number) => items.current?.querySelector<HTMLButtonElement>(`.book-open[data-index="${index}"]`) ?? null;
  /** Focuses the row at `index`, scrolling it into view first if it is not drawn. */
  const focusRow = (index: number) => {
    list.reveal(index);
    const button = rowButton(index);
    if (button) button.focus();
    else focusNext.current = index;
  };

  // Back from a book, the focus is on that book; else where the user will type.
  useEffect(() => {
    const back = model.lastOpened.value;
    const index = back === null ? -1 : shown.findIndex((book) => bookKey(book) === back);
    if (index >= 0) focusRow(index);
    else field.current?.focus();
  }, []);

  // The list follows the model's scroll position (a reveal, the way back from a book, a new
  // query), and a row waiting for the focus gets it once drawn.
  useLayoutEffect(() => {
    const element = items.current;
    if (element && Math.abs(element.scrollTop - list.viewport.value.top) >= 1) element.scrollTop = list.viewport.value.top;
    if (focusNext.current !== null) {
      const button = rowButton(focusNext.current);
      if (button) {
        focusNext.current = null;
        button.focus();
      }
    }
  });

  // Measured once laid out (the first frame draws a first screenful without waiting for a
  // layout), and again whenever the list's box changes size.
  const observer = useRef<ResizeObserver | null>(null);
  const listElement = (element: HTMLUListElement | null) => {
    items.current = element;
    observer.current?.disconnect();
    if (!element) return;
    observer.current ??= new ResizeObserver(measure);
    observer.current.observe(element);
  };
  useEffect(() => () => observer.current?.disconnect(), []);
  function measure() {
    const element = items.current;
    const row = element?.querySelector<HTMLElement>('.book');
    if (element && row) list.viewed({ top: element.scrollTop, height: element.clientHeight, rowHeight: row.offsetHeight });
  }

  function onFieldKey(event: KeyboardEvent) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (count > 0) focusRow(0);
    } else if (event.key === 'Enter' && shown[0]) {
      event.preventDefault();
      model.open(shown[0]);
    } else if (event.key === 'Escape' && query) {
      // Otherwise Escape closes the popup, as the browser does.
      event.preventDefault();
      list.setQuery('');
    }
  }

  function onListKey(event: KeyboardEvent) {
    const at = Number((document.activeElement as HTMLElement | null)?.dataset.index ?? -1);
    const last = count - 1;
    const move = (to: number | 'field') => {
      event.preventDefault();
      if (to === 'field') field.current?.focus();
      else focusRow(to);
    };
    if (event.key === 'ArrowDown') move(Math.min(at + 1, last));
    else if (event.key === 'ArrowUp') move(at <= 0 ? 'field' : at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(last);
    else if (event.key === 'Escape') move('field');
    // A letter goes to the field: focus moved during keydown takes the typed character.
    else if (event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) field.current?.focus();
  }

  return (
    <section class="book-list" aria-label={t('popupBooks')}>
      <div class="find">
        <input
          ref={field}
          type="search"
          aria-label={t('popupFind')}
          placeholder={t('popupFind')}
          autoComplete="off"
          spellcheck={false}
          value={query}
          onInput={(event) => list.setQuery(event.currentTarget.value)}
          onKeyDown={onFieldKey}
        />
        {list.hasArchived.value ? (
          <label class="check">
            <input type="checkbox" checked={list.showArchived.value} onChange={(event) => list.setShowArchived(event.currentTarget.checked)} />
            {t('popupShowArchived')}
          </label>
        ) : null}
      </div>
      {!list.synced.value ? (
        <p class="muted">{model.status.value.state === 'ok' ? t('popupLoadingBooks') : t('popupBooksOnceAnswered')}</p>
      ) : !list.hasBooks.value ? (
        <p class="muted">{t('popupNoBooks')}</p>
      ) : count === 0 ? (
        <p class="muted">{archivedHidden > 0 ? t.plural('popupNoMatchArchived', archivedHidden, query) : t('popupNoMatch', query)}</p>
      ) : (
        <ul
          class="books"
          ref={listElement}
          onKeyDown={onListKey}
          onScroll={measure}
        >
          {/* The rows not drawn, as space: padding would not do, as a box is never shorter than its padding. */}
          {visible.before > 0 ? <li class="rows-not-drawn" aria-hidden="true" style={{ height: `${visible.before}px` }} /> : null}
          {list.rows.value.map((book, i) => (
            <BookRow key={bookKey(book)} model={model} book={book} index={visible.start + i} of={count} />
          ))}
          {visible.after > 0 ? <li class="rows-not-drawn" aria-hidden="true" style={{ height: `${visible.after}px` }} /> : null}
        </ul>
      )}
    </section>
  );
}

/** `index` among the `of` books shown: the rows not drawn still count for assistive technology. */
function BookRow({ model, book, index, of }: { model: PopupModel; book: BookSummary; index: number; of: number }) {
  // Archived and muted books are listed, but their count is not the badge's.
  const quiet = book.archived || model.list.mutedSet.value.has(bookKey(book));
  return (
    <li class={book.nbNotRead > 0 && !quiet ? 'book unread' : 'book'} aria-setsize={of} aria-posinset={index + 1}>
      <button type="button" class="book-open" data-key={bookKey(book)} data-index={index} onClick={() => model.open(book)}>
        <span class="book-title">{book.title}</span>
        {book.nbNotRead > 0 ? (
          <span class={quiet ? 'count quiet' : 'count'} aria-label={t.plural('popupUnread', book.nbNotRead)}>
            {book.nbNotRead}
          </span>
        ) : null}
        <span class="preview">
          {book.lastMsg
            ? t('popupPreview', senderName(t, book.lastMsg.u_c, model.account.value?.o_u, model.names.value), book.lastMsg.text)
            : t('popupNoMessagesYet')}
        </span>
      </button>
      <MarkBookRead model={model} book={book} />
    </li>
  );
}
