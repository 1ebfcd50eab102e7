import type { Capture } from '../domain/capture';
import { SLOT, slotted, t } from '../shared/i18n';
import type { PickerModel } from './model';

/** One whole sentence per kind, the page's title at SLOT: word order and agreement differ between languages. */
function sendWhat(kind: Capture['kind']): string {
  switch (kind) {
    case 'page':
      return t('pickerSendPage', SLOT);
    case 'link':
      return t('pickerSendLink', SLOT);
    case 'selection':
      return t('pickerSendSelection', SLOT);
    case 'image':
      return t('pickerSendImage', SLOT);
  }
}

export function Picker({ model }: { model: PickerModel }) {
  const capture = model.capture.value;
  const active = model.activeBook.value;
  return (
    <main class="picker">
      <h1>{t('sendToTimeTonic')}</h1>
      {capture ? (
        <p class="muted what">
          {slotted(sendWhat(capture.kind), <span class="page">{capture.pageTitle}</span>)}
        </p>
      ) : null}
      <label for="note">{t('pickerNote')}</label>
      <textarea
        id="note"
        rows={3}
        value={model.note.value}
        disabled={!capture}
        onInput={(event) => model.setNote(event.currentTarget.value)}
        onKeyDown={(event) => {
          // Ctrl/⌘+Enter sends to the highlighted book, as Enter does in the search field.
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void model.choose();
          }
        }}
      />
      {model.screenshot.value ? (
        <div class="screenshot">
          <label>
            <input
              type="checkbox"
              checked={model.includeScreenshot.value}
              disabled={!model.screenshot.value.ok}
              onChange={(event) => model.setIncludeScreenshot(event.currentTarget.checked)}
            />{' '}
            {t('pickerScreenshot')}
          </label>
          {model.screenshot.value.ok ? null : <p class="muted">{model.screenshot.value.why}</p>}
        </div>
      ) : null}
      <label for="find">{t('pickerFind')}</label>
      <input
        id="find"
        type="text"
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls="picker-books"
        aria-activedescendant={active ? `pick-${model.key(active)}` : undefined}
        value={model.filter.value}
        disabled={!capture}
        onInput={(event) => model.setFilter(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            model.move(event.key === 'ArrowDown' ? 1 : -1);
          } else if (event.key === 'Enter') {
            event.preventDefault();
            void model.choose();
          } else if (event.key === 'Escape') {
            if (model.filter.value) model.setFilter('');
            else window.close();
          }
        }}
      />
      {model.loaded.value && capture && model.books.value.length === 0 ? <p class="muted">{t('pickerNoMatch')}</p> : null}
      <ul id="picker-books" class="picker-books" role="listbox" aria-label={t('pickerBooks')}>
        {model.books.value.map((book) => (
          <li
            key={model.key(book)}
            id={`pick-${model.key(book)}`}
            role="option"
            aria-selected={book === active}
            class={book === active ? 'active' : undefined}
            onClick={() => void model.choose(book)}
          >
            {book.title}
          </li>
        ))}
      </ul>
      <p class="error" role="alert">
        {model.error.value ?? ''}
      </p>
    </main>
  );
}
