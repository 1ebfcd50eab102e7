import { useLayoutEffect, useRef } from 'preact/hooks';
import { dbiByInternName } from '../api/dbi';
import { bookKey, bookWebUrl, type BookSummary } from '../domain/books';
import { senderName, type CachedMessage, type MessageFile } from '../domain/messages';
import { messageTime } from '../domain/message-time';
import type { OutboxItem } from '../domain/outbox';
import type { ItemView } from '../domain/outbox-view';
import { t } from '../shared/i18n';
import type { BookModel } from './book-model';
import type { PopupModel } from './model';
import { QuickSend } from './QuickSend';
import { UndoButton } from './UndoButton';
import './book-view.css';

/**
 * One book: its messages newest first, what was sent from here on its way, "Load older", and the
 * quick-send box writing to it. Escape goes back to the list. Message text is only ever a text
 * child: Preact escapes it.
 */
export function BookView({ model, book }: { model: PopupModel; book: BookSummary }) {
  const view = useRef<HTMLElement>(null);
  const reader = model.reader.value;

  // Where the user will type: the message box, or Back in a book they may only read.
  useLayoutEffect(() => {
    (view.current?.querySelector('textarea') ?? view.current?.querySelector<HTMLElement>('.back'))?.focus();
  }, [bookKey(book), reader]);

  // Its model comes with it, a moment after the first frame.
  if (!reader) return null;
  const entry = reader.entry.value;
  const lines = reader.lines.value;
  const error = reader.refreshError.value;

  const now = Date.now();
  return (
    <section
      class="book-view"
      aria-labelledby="book-title"
      ref={view}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          model.close();
        }
      }}
    >
      <div class="book-bar">
        <button type="button" class="back secondary" aria-label={t('popupBack')} title={t('popupBackTitle')} onClick={model.close}>
          ←
        </button>
        <h2 id="book-title">{book.title}</h2>
        <a class="open-web" href={bookWebUrl(model.webServer.value, book)} target="_blank" rel="noreferrer">
          {t('popupOpenWeb')}
        </a>
      </div>
      <p class={error && entry ? 'view-status error' : 'view-status'} role="status">
        {error && entry ? t('popupShowingLastSeen', error) : reader.refreshing.value && entry ? t('popupUpdating') : ''}
      </p>
      <div class="messages-scroll">
        {lines.length > 0 ? (
          <ol class="messages" aria-label={t('popupMessages')}>
            {lines.map((line) =>
              line.kind === 'send' ? (
                <SendLine key={line.item.uuid} model={model} item={line.item} view={line.view} />
              ) : (
                <MessageLine key={line.message.smid} model={model} message={line.message} now={now} />
              ),
            )}
          </ol>
        ) : entry ? (
          <p class="muted">{t('popupBookEmpty')}</p>
        ) : error ? (
          <div class="load-error">
            <p class="error" role="alert">
              {t('popupCouldNotLoad', error)}
            </p>
            <button type="button" class="secondary" onClick={() => void reader.refresh()}>
              {t('popupTryAgain')}
            </button>
          </div>
        ) : (
          <p class="muted">{t('popupLoadingMessages')}</p>
        )}
        <Older reader={reader} />
      </div>
      {book.canWrite ? <QuickSend model={model} to={book} /> : <p class="muted read-only">{t('popupReadOnly')}</p>}
    </section>
  );
}

function Older({ reader }: { reader: BookModel }) {
  const entry = reader.entry.value;
  if (!entry || entry.messages.length === 0) return null;
  if (reader.canLoadOlder.value) {
    return (
      <div class="older">
        <button type="button" class="secondary" disabled={reader.loadingOlder.value} onClick={() => void reader.loadOlder()}>
          {reader.loadingOlder.value ? t('popupLoadingOlder') : t('popupLoadOlder')}
        </button>
        {reader.olderError.value ? (
          <p class="error" role="alert">
            {t('popupCouldNotLoadOlder', reader.olderError.value)}
          </p>
        ) : null}
      </div>
    );
  }
  return <p class="older muted">{entry.hasOlder ? t('popupOlderInTimeTonic') : t('popupBookStarts')}</p>;
}

function MessageLine({ model, message, now }: { model: PopupModel; message: CachedMessage; now: number }) {
  const me = model.account.value?.o_u;
  // A message just sent from here may still be taken back; one being deleted says so.
  const send = message.u_c === me ? model.quickSend.sendOf(message.uuid) : null;
  return (
    <li class={message.u_c === me ? 'message mine' : 'message'} tabIndex={-1}>
      <p class="message-head">
        <span class="sender">{senderName(t, message.u_c, me, model.names.value)}</span>
        {send?.status === 'undoing' ? (
          <span class="pending-state" role="status">
            {t('popupDeleting')}
          </span>
        ) : null}
        <time dateTime={new Date(message.created * 1000).toISOString()}>{messageTime(message.created, now, t.locale)}</time>
      </p>
      {message.text ? <p class="message-text">{message.text}</p> : null}
      {message.files.length > 0 ? (
        <p class="files">
          {message.files.map((file) => (
            <FileLink key={file.internName} server={model.webServer.value} file={file} />
          ))}
        </p>
      ) : null}
      {send ? <UndoButton model={model} item={send} class="pending-actions" /> : null}
    </li>
  );
}

/** By internal name: an address that opens without a session, so no key reaches the page. */
function FileLink({ server, file }: { server: string; file: MessageFile }) {
  const { internName, name } = file;
  if (file.kind === 'image') {
    return (
      <a class="thumb" href={dbiByInternName(server, { internName, name })} target="_blank" rel="noreferrer" title={name}>
        <img src={dbiByInternName(server, { internName, name, size: 'tb' })} alt={name} width={96} height={72} loading="lazy" />
      </a>
    );
  }
  return (
    <a class="doc" href={dbiByInternName(server, { kind: file.kind, internName, name, size: 'full' })} target="_blank" rel="noreferrer">
      {name}
    </a>
  );
}

const SEND_MARKS: Record<ItemView['state'], () => string> = {
  sending: () => t('popupSending'),
  waiting: () => t('popupWaitingMark'),
  waitingForUser: () => t('popupWaitingMark'),
  failed: () => t('popupNotSent'),
  sent: () => t('popupSent'),
  notDeleted: () => t('popupSent'),
  deleting: () => t('popupDeleting'),
  deleted: () => t('popupDeleted'),
};

function SendLine({ model, item, view }: { model: PopupModel; item: OutboxItem; view: ItemView }) {
  return (
    <li class={`message mine pending ${view.state}`} tabIndex={-1}>
      <p class="message-head">
        <span class="sender">{t('popupYou')}</span>
        <span class="pending-state" role="status">
          {SEND_MARKS[view.state]()}
        </span>
      </p>
      <p class="message-text">{item.text}</p>
      {view.state === 'waiting' || view.state === 'failed' ? (
        <p class="pending-reason">{view.state === 'waiting' ? t('willBeRetried', view.reason) : view.reason}</p>
      ) : null}
      <UndoButton model={model} item={item} class="pending-actions" />
      {view.state === 'failed' ? (
        <p class="pending-actions">
          <button type="button" class="secondary" onClick={() => void model.quickSend.retry(item.uuid)}>
            {t('popupRetry')}
          </button>
          <button type="button" class="secondary" onClick={() => void model.quickSend.discard(item.uuid)}>
            {t('popupDiscard')}
          </button>
        </p>
      ) : null}
    </li>
  );
}
