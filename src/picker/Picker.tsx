import type { Capture } from '../domain/capture';
import type { PickerModel } from './model';

const WHAT: Record<Capture['kind'], string> = { page: 'this page', link: 'this link', selection: 'the selected text', image: 'this image' };

export function Picker({ model }: { model: PickerModel }) {
  const capture = model.capture.value;
  const active = model.activeBook.value;
  return (
    <main class="picker">
      <h1>Send to TimeTonic</h1>
      {capture ? (
        <p class="muted what">
          Send {WHAT[capture.kind]} from <span class="page">{capture.pageTitle}</span> to:
        </p>
      ) : null}
      <label for="find">Find a book</label>
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
      {model.loaded.value && capture && model.books.value.length === 0 ? <p class="muted">No book matches.</p> : null}
      <ul id="picker-books" class="picker-books" role="listbox" aria-label="Books">
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
