import type { OptionsModel } from './model';

export function OptionsPage({ model }: { model: OptionsModel }) {
  const status = model.saveStatus.value;
  return (
    <main class="options">
      <h1>TimeTonic Companion</h1>
      <section aria-labelledby="server-heading">
        <h2 id="server-heading">Connection</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void model.saveServer();
          }}
        >
          <label for="server">TimeTonic server</label>
          <div class="row">
            <input
              id="server"
              type="url"
              inputMode="url"
              spellcheck={false}
              autoComplete="url"
              value={model.serverDraft.value}
              disabled={!model.loaded.value}
              aria-describedby="server-hint server-status"
              onInput={(event) => model.editServer(event.currentTarget.value)}
            />
            <button type="submit" disabled={!model.loaded.value || status.state === 'saving'}>
              Save
            </button>
          </div>
          <p id="server-hint" class="muted">
            Usually https://timetonic.com. A local server runs at an address such as http://127.0.0.1:8750.
          </p>
          <p id="server-status" role="status" class={status.state === 'error' ? 'error' : 'success'}>
            {status.state === 'error' ? status.message : status.state === 'saved' ? 'Saved.' : ''}
          </p>
        </form>
      </section>
    </main>
  );
}
