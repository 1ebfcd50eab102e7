import { bookKey, type BookSummary } from '../domain/books';
import { t } from '../shared/i18n';
import { later } from './later';
import type { PopupModel } from './model';

/** Loaded when there are sends to list: usually there are none. */
const Attachments = later(() => import('./Attachments').then((module) => module.Attachments));
const Sends = later(() => import('./Sends').then((module) => module.Sends));

/**
 * The quick-send box. Under the list it has a Book choice and lists the sends on their way; in a
 * book view (`to`) it writes to that book, and its sends show among the book's messages.
 */
export function QuickSend({ model, to }: { model: PopupModel; to?: BookSummary }) {
  const send = model.quickSend;
  const none = !send.canSend.value;
  const chosen = send.chosenBook.value;
  return (
    <section class="quick-send" aria-label={to ? t('popupWriteIn', to.title) : t('popupQuickSend')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void send.send(to);
        }}
        onDragOver={(event) => {
          if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
        }}
        onDrop={(event) => {
          if (!event.dataTransfer?.files.length) return;
          event.preventDefault();
          const dropped = [...event.dataTransfer.files];
          void send.attachments().then((attachments) => attachments.add(dropped));
        }}
      >
        {to ? null : (
          <>
            <label for="send-book">{t('popupBook')}</label>
            <select
              id="send-book"
              disabled={none}
              value={chosen ?? ''}
              onChange={(event) => send.editDraft({ book: event.currentTarget.value })}
              // Before the choice opens or takes a key: focus and pointer-down come first.
              onFocus={send.choose}
              onPointerDown={send.choose}
            >
              {/* Until the user goes to the choice, the chosen book alone: only the open choice shows the others. */}
              {(send.choosing.value ? send.writableBooks.value : send.writable.value.filter((book) => bookKey(book) === chosen)).map((book) => (
                <option key={bookKey(book)} value={bookKey(book)}>
                  {book.title}
                </option>
              ))}
            </select>
          </>
        )}
        <label for="send-text">{t('popupMessage')}</label>
        <textarea
          id="send-text"
          rows={to ? 2 : 3}
          value={send.draft.value.text}
          aria-describedby="send-hint"
          onInput={(event) => send.editDraft({ text: event.currentTarget.value })}
          onPaste={(event) => {
            const pasted = [...(event.clipboardData?.files ?? [])];
            if (pasted.length === 0) return;
            // Files, not text: the field does not paste them.
            event.preventDefault();
            void send.attachments().then((attachments) => attachments.paste(pasted));
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void send.send(to);
            }
          }}
        />
        <Attachments send={send} />
        <div class="send-row">
          <span id="send-hint" class="muted">
            {t('popupSendHint')}
          </span>
          <button type="submit" disabled={send.sending.value || (!to && none)}>
            {t('popupSend')}
          </button>
        </div>
        <p class="error" role="alert">
          {send.sendError.value ?? ''}
        </p>
      </form>
      {!to && send.sends.value.length > 0 ? <Sends model={model} /> : null}
    </section>
  );
}
