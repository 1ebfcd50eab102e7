import type { Capture } from '../domain/capture';
import type { FieldFill } from '../domain/table-fill';
import { SLOT, slotted, t } from '../shared/i18n';
import type { TableWindowModel } from './model';

/** One whole sentence per kind, the page's title at SLOT: word order differs between languages. */
function saveWhat(kind: Capture['kind']): string {
  switch (kind) {
    case 'page':
      return t('tableSavePage', SLOT);
    case 'link':
      return t('tableSaveLink', SLOT);
    case 'selection':
      return t('tableSaveSelection', SLOT);
    case 'image':
      return t('tableSaveImage', SLOT);
  }
}

function Field({ model, fill }: { model: TableWindowModel; fill: FieldFill }) {
  const id = `field-${fill.field.id}`;
  const capture = model.capture.value;
  const label = (
    <label for={id}>
      {fill.field.name}
      {fill.writable ? null : <span class="muted"> ({t('tableReadOnly')})</span>}
    </label>
  );
  if (model.isFileField(fill.field)) {
    const here = model.imageFieldId.value === fill.field.id;
    const image = capture?.kind === 'image' && capture.srcUrl && /^(https?|data):/i.test(capture.srcUrl) ? capture.srcUrl : null;
    return (
      <div class="table-field file">
        {label}
        {image && fill.writable ? (
          <>
            <label class="image-here">
              <input id={id} type="checkbox" checked={here} onChange={(event) => model.putImage(event.currentTarget.checked ? fill.field.id : null)} />
              {t('tableImageHere')}
            </label>
            {here ? <img class="preview" src={image} alt="" /> : null}
          </>
        ) : (
          <p id={id} class="muted">
            {t('tableNoImage')}
          </p>
        )}
      </div>
    );
  }
  const value = model.valueOf(fill);
  const long = fill.role === 'selection' || fill.field.type === 'richtext' || value.length > 80;
  const common = {
    id,
    value,
    readOnly: !fill.writable,
    'aria-readonly': !fill.writable,
    onInput: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => model.edit(fill.field.id, event.currentTarget.value),
  };
  return (
    <div class="table-field">
      {label}
      {long ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
    </div>
  );
}

export function TableWindow({ model }: { model: TableWindowModel }) {
  const capture = model.capture.value;
  const tables = model.tables.value;
  const table = model.table.value;
  const ready = tables.state === 'ready' ? tables.data : null;
  return (
    <main
      class="table-window"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          void model.save();
        }
      }}
    >
      <h1>{t('tableWindowTitle')}</h1>
      {capture ? <p class="muted what">{slotted(saveWhat(capture.kind), <span class="page">{capture.pageTitle}</span>)}</p> : null}
      {model.loaded.value && capture && model.books.value.length === 0 ? <p class="muted">{t('tableNoBooks')}</p> : null}
      {capture && model.books.value.length > 0 ? (
        <div class="choice">
          <label for="table-book">{t('tableBook')}</label>
          <select id="table-book" value={model.book.value} onChange={(event) => void model.chooseBook(event.currentTarget.value)}>
            {model.books.value.map((book) => (
              <option key={model.key(book)} value={model.key(book)}>
                {book.title}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {tables.state === 'loading' ? <p class="muted" role="status">{t('tableLoading')}</p> : null}
      {tables.state === 'failed' ? <p class="error">{t('tableCouldNotLoad', tables.error)}</p> : null}
      {ready && ready.tables.length === 0 ? <p class="notice" role="status">{t('tableNoTables')}</p> : null}
      {ready && ready.tables.length > 0 && !ready.canWrite ? <p class="notice">{t('tableReadOnlyBook')}</p> : null}
      {ready && ready.tables.length > 0 ? (
        <div class="choice">
          <label for="table-table">{t('tableTable')}</label>
          <select id="table-table" value={String(model.table.value?.id ?? '')} onChange={(event) => model.chooseTable(Number(event.currentTarget.value))}>
            {ready.tables.map((candidate) => (
              <option key={candidate.id} value={String(candidate.id)}>
                {candidate.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {table ? (
        <form
          class="table-fields"
          onSubmit={(event) => {
            event.preventDefault();
            void model.save();
          }}
        >
          {table.fields.length === 0 ? <p class="muted">{t('tableNoFields')}</p> : null}
          {model.fills.value.map((fill) => (
            <Field key={fill.field.id} model={model} fill={fill} />
          ))}
          <div class="actions">
            <button type="submit" disabled={!model.canSave.value}>
              {model.saving.value ? t('tableSaving') : t('tableSave')}
            </button>
            <span class="muted">{t('tableSaveShortcut')}</span>
          </div>
        </form>
      ) : null}
      <p class="error" role="alert">
        {model.error.value ?? ''}
      </p>
    </main>
  );
}
