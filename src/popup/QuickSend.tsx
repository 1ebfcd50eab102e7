import type { ItemView } from '../domain/outbox';
import type { PopupModel } from './model';

export function QuickSend({ model }: { model: PopupModel }) {
  const books = model.writableBooks.value;
  return (
    <section class="quick-send" aria-label="Quick send">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void model.send();
        }}
      >
        <label for="send-book">Book</label>
        <select
          id="send-book"
          disabled={books.length === 0}
          value={model.chosenBook.value ?? ''}
          onChange={(event) => model.editDraft({ book: event.currentTarget.value })}
        >
          {books.map((book) => (
            <option key={`${book.b_o}/${book.b_c}`} value={`${book.b_o}/${book.b_c}`}>
              {book.title}
            </option>
          ))}
        </select>
        <label for="send-text">Message</label>
        <textarea
          id="send-text"
          rows={3}
          value={model.draft.value.text}
          aria-describedby="send-hint"
          onInput={(event) => model.editDraft({ text: event.currentTarget.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void model.send();
            }
          }}
        />
        <div class="send-row">
          <span id="send-hint" class="muted">
            Ctrl+Enter sends
          </span>
          <button type="submit" disabled={model.sending.value || books.length === 0}>
            Send
          </button>
        </div>
        <p class="error" role="alert">
          {model.sendError.value ?? ''}
        </p>
      </form>
      {model.sends.value.length > 0 ? (
        <ul class="sends" aria-label="Sends">
          {model.sends.value.map(({ item, view }) => (
            <li key={item.uuid} class={`send ${view.state}`}>
              <span class="send-book">{item.bookTitle}</span>
              <span class="send-text">{item.text}</span>
              <span class="send-state" role="status">
                {stateInWords(view)}
              </span>
              {view.state === 'failed' ? (
                <span class="send-actions">
                  <button type="button" class="secondary" onClick={() => void model.retrySend(item.uuid)}>
                    Retry
                  </button>
                  <button type="button" class="secondary" onClick={() => void model.discardSend(item.uuid)}>
                    Discard
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function stateInWords(view: ItemView): string {
  switch (view.state) {
    case 'sending':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'waiting':
      return `Waiting: ${view.reason}. It will be retried.`;
    case 'waitingForUser':
      return `Waiting for ${view.o_u} to sign in; it goes then.`;
    case 'failed':
      return `Failed: ${view.reason}`;
  }
}
