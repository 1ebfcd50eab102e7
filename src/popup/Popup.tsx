import type { PopupModel } from './model';

export function Popup({ model }: { model: PopupModel }) {
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>TimeTonic</h1>
        <button type="button" class="secondary" onClick={model.openOptions}>
          Options
        </button>
      </header>
      <p class="muted">{model.server.value ? `Server: ${model.server.value}` : ''}</p>
    </main>
  );
}
