import { useEffect, useRef } from 'preact/hooks';
import { bookKey, type BookSummary } from '../domain/books';
import { senderName } from '../domain/messages';
import { t } from '../shared/i18n';
import { MarkBookRead } from './MarkRead';
import type { PopupModel } from './model';

/**
 * The books, narrowed by "Find a book". Keyboard: the focus starts in the field; Down goes into
 * the list, Up and Down move in it, Enter opens (in the field: the first book shown), Escape goes
 * back to the field and, there, clears it. Typing a letter in the list types it in the field.
 */
export function BookList({ model }: { model: PopupModel }) {
  const { list } = model;
  const field = useRef<HTMLInputElement>(null);
  const items = useRef<HTMLUListElement>(null);
  const { shown, archivedHidden } = list.found.value;
  const query = list.query.value;

  // Back from a book, the focus is on that book; else where the user will type.
  useEffect(() => {
    const back = model.lastOpened.value;
    const button = back === null ? null : items.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(back)}"]`);
    (button ?? field.current)?.focus();
  }, []);

  const buttons = () => [...(items.current?.querySelectorAll<HTMLButtonElement>('.book-open') ?? [])];

  function onFieldKey(event: KeyboardEvent) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      buttons()[0]?.focus();
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
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: HTMLElement | null | undefined) => {
      event.preventDefault();
      to?.focus();
    };
    if (event.key === 'ArrowDown') move(all[Math.min(at + 1, all.length - 1)]);
    else if (event.key === 'ArrowUp') move(at <= 0 ? field.current : all[at - 1]);
    else if (event.key === 'Home') move(all[0]);
    else if (event.key === 'End') move(all.at(-1));
    else if (event.key === 'Escape') move(field.current);
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
        {list.books.value.some((book) => book.archived) ? (
          <label class="check">
            <input type="checkbox" checked={list.showArchived.value} onChange={(event) => list.setShowArchived(event.currentTarget.checked)} />
            {t('popupShowArchived')}
          </label>
        ) : null}
      </div>
      {!list.synced.value ? (
        <p class="muted">{model.status.value.state === 'ok' ? t('popupLoadingBooks') : t('popupBooksOnceAnswered')}</p>
      ) : list.books.value.length === 0 ? (
        <p class="muted">{t('popupNoBooks')}</p>
      ) : shown.length === 0 ? (
        <p class="muted">{archivedHidden > 0 ? t.plural('popupNoMatchArchived', archivedHidden, query) : t('popupNoMatch', query)}</p>
      ) : (
        <ul class="books" ref={items} onKeyDown={onListKey}>
          {list.rows.value.map((book) => (
            <BookRow key={bookKey(book)} model={model} book={book} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BookRow({ model, book }: { model: PopupModel; book: BookSummary }) {
  // Archived and muted books are listed, but their count is not the badge's.
  const quiet = book.archived || model.list.mutedSet.value.has(bookKey(book));
  return (
    <li class={book.nbNotRead > 0 && !quiet ? 'book unread' : 'book'}>
      <button type="button" class="book-open" data-key={bookKey(book)} onClick={() => model.open(book)}>
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
