import type { ItemView } from '../domain/outbox-view';
import './sends.css';
import type { PopupModel } from './model';

/** What was sent from the quick-send box and how it stands, with Retry and Discard for a failure. */
export function Sends({ model }: { model: PopupModel }) {
  const send = model.quickSend;
  return (
    <ul class="sends" aria-label="Sends">
      {send.sends.value.map(({ item, view }) => (
        <li key={item.uuid} class={`send ${view.state}`}>
          <span class="send-book">{item.bookTitle}</span>
          <span class="send-text">{item.text}</span>
          <span class="send-state" role="status">
            {stateInWords(view)}
          </span>
          {view.state === 'failed' ? (
            <span class="send-actions">
              <button type="button" class="secondary" onClick={() => void send.retry(item.uuid)}>
                Retry
              </button>
              <button type="button" class="secondary" onClick={() => void send.discard(item.uuid)}>
                Discard
              </button>
            </span>
          ) : null}
        </li>
      ))}
    </ul>
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
