import { bookKey } from '../domain/books';
import { t } from '../shared/i18n';
import type { MutedModel } from './muted-model';

export function MutedSection({ model }: { model: MutedModel }) {
  const books = model.books.value;
  return (
    <section aria-labelledby="mute-heading">
      <h2 id="mute-heading">{t('optionsMuted')}</h2>
      <p class="muted">{t('optionsMutedHint')}</p>
      {books.length === 0 ? (
        <p class="muted">{t('optionsNoBooks')}</p>
      ) : (
        <ul class="mute-list">
          {books.map((book) => (
            <li key={bookKey(book)}>
              <label class="check">
                <input
                  type="checkbox"
                  checked={model.mutedSet.value.has(bookKey(book))}
                  onChange={(event) => void model.setMuted(book, event.currentTarget.checked)}
                />
                {t('optionsMuteBook', book.title)}
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
