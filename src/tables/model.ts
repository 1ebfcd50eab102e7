/**
 * The "Save to a table" window: a book, one of its tables, every field prefilled from the clip and
 * editable, and the row handed to the worker. What the user changed is kept as a draft until saved.
 */
import { computed, signal } from '@preact/signals';
import { bookKey, EMPTY_CACHE, type BookCache } from '../domain/books';
import type { Capture } from '../domain/capture';
import { fillTable, isFileField, learnChoices, rowValues, type FieldFill, type Role } from '../domain/table-fill';
import { clipValuesOf, draftKey, keepDraft, tableBooks, type BookTables, type LastTable } from '../domain/table-save';
import { t } from '../shared/i18n';
import { sendToWorker } from '../shared/messages';
import { bookCacheItem, lastTableItem, pendingPicksItem, recentBooksItem, tableDraftsItem } from '../shared/state';
import { mirror } from '../shared/storage';

type Tables =
  | { state: 'none' }
  | { state: 'loading'; book: string }
  | { state: 'ready'; book: string; data: BookTables; choices: Record<string, Record<string, Role | null>> }
  | { state: 'failed'; book: string; error: string };

export function createTableWindowModel(pick: string, now: () => Date = () => new Date()) {
  const loaded = signal(false);
  const cache = signal<BookCache>(EMPTY_CACHE);
  const recent = signal<string[]>([]);
  const last = signal<LastTable | null>(null);
  const capture = signal<Capture | null>(null);
  const book = signal<string>('');
  const tables = signal<Tables>({ state: 'none' });
  const catId = signal<number | null>(null);
  /** Edited values by field id. */
  const edits = signal<Record<string, string>>({});
  /** The file field the image goes to; undefined: the one the mapping chose. */
  const imageChoice = signal<number | null | undefined>(undefined);
  const saving = signal(false);
  const error = signal<string | null>(null);

  const books = computed(() => tableBooks(Object.values(cache.value.books), recent.value, last.value));
  const clip = computed(() => (capture.value ? clipValuesOf(capture.value, now()) : null));
  const ready = computed(() => (tables.value.state === 'ready' && tables.value.book === book.value ? tables.value : null));
  const table = computed(() => ready.value?.data.tables.find((candidate) => candidate.id === catId.value) ?? null);
  const choices = computed(() => (table.value && ready.value?.choices[String(table.value.id)]) || {});
  const fills = computed<FieldFill[]>(() => (table.value && clip.value ? fillTable(table.value.fields, clip.value, choices.value) : []));
  const imageFieldId = computed<number | null>(() => {
    if (!clip.value?.hasImage) return null;
    if (imageChoice.value !== undefined) return imageChoice.value;
    return fills.value.find((fill) => fill.role === 'image')?.field.id ?? null;
  });

  function valueOf(fill: FieldFill): string {
    const key = String(fill.field.id);
    return Object.hasOwn(edits.value, key) ? edits.value[key]! : fill.value;
  }

  async function keep(): Promise<void> {
    if (!capture.value) return;
    const draft = book.value
      ? { book: book.value, catId: catId.value, values: edits.value, imageFieldId: imageChoice.value, savedAt: Date.now() }
      : null;
    await tableDraftsItem.set(keepDraft(await tableDraftsItem.get(), draftKey(capture.value), draft, Date.now()));
  }

  async function load() {
    const [picks, recentBooks, lastTable, drafts] = await Promise.all([
      pendingPicksItem.get(),
      recentBooksItem.get(),
      lastTableItem.get(),
      tableDraftsItem.get(),
      mirror(bookCacheItem, cache),
    ]);
    recent.value = recentBooks;
    last.value = lastTable;
    capture.value = picks[pick]?.capture ?? null;
    loaded.value = true;
    if (!capture.value) {
      error.value = t('sendExpired');
      return;
    }
    const draft = drafts[draftKey(capture.value)];
    const first = draft?.book ?? books.value[0];
    const initial = typeof first === 'string' ? first : first ? bookKey(first) : '';
    if (!initial) return;
    await chooseBook(initial, draft ? draft.catId : undefined);
    if (draft && draft.book === book.value) {
      edits.value = draft.values;
      imageChoice.value = draft.imageFieldId;
    }
  }

  /** Fetches the book's tables (the worker caches them) and picks the last used table, else the first. */
  async function chooseBook(key: string, preferred?: number | null) {
    book.value = key;
    catId.value = null;
    edits.value = {};
    imageChoice.value = undefined;
    error.value = null;
    const [b_o, ...rest] = key.split('/');
    tables.value = { state: 'loading', book: key };
    let reply;
    try {
      reply = await sendToWorker({ type: 'bookTables', book: { b_o: b_o ?? '', b_c: rest.join('/') } });
    } catch (failure) {
      reply = { ok: false as const, error: String(failure) };
    }
    if (book.value !== key) return;
    if (!reply.ok) {
      tables.value = { state: 'failed', book: key, error: reply.error };
      return;
    }
    tables.value = { state: 'ready', book: key, data: { canWrite: reply.canWrite, tables: reply.tables }, choices: reply.choices };
    const ids = reply.tables.map((candidate) => candidate.id);
    const wanted = [preferred, last.value?.book === key ? last.value.catId : undefined].find((id) => id != null && ids.includes(id));
    catId.value = wanted ?? ids[0] ?? null;
    void keep();
  }

  function chooseTable(id: number) {
    catId.value = id;
    edits.value = {};
    imageChoice.value = undefined;
    void keep();
  }

  function edit(fieldId: number, value: string) {
    edits.value = { ...edits.value, [String(fieldId)]: value };
    void keep();
  }

  function putImage(fieldId: number | null) {
    imageChoice.value = fieldId;
    void keep();
  }

  const canSave = computed(() => !!table.value && !!ready.value?.data.canWrite && !saving.value);

  async function save() {
    const current = table.value;
    const clipped = clip.value;
    if (!current || !clipped || !canSave.value) return;
    const [b_o, ...rest] = book.value.split('/');
    const values = rowValues(fills.value, edits.value);
    const learned = learnChoices(fills.value, clipped, { values: edits.value, imageFieldId: imageFieldId.value }, choices.value);
    saving.value = true;
    error.value = null;
    try {
      const outcome = await sendToWorker({
        type: 'saveToTable',
        pick,
        book: { b_o: b_o ?? '', b_c: rest.join('/') },
        catId: current.id,
        values,
        imageFieldId: imageFieldId.value,
        choices: learned,
      });
      // The save is kept in the outbox, which delivers it and says how it went: the draft stays
      // until the row is saved, so a refused value can be fixed by opening the window again.
      if (outcome.ok) {
        window.close();
      } else {
        error.value = t('tableCouldNotSave', outcome.error);
      }
    } catch (failure) {
      error.value = t('tableCouldNotSave', String(failure));
    } finally {
      saving.value = false;
    }
  }

  return {
    loaded, capture, books, book, tables, table, fills, imageFieldId, saving, canSave, error,
    load, chooseBook, chooseTable, edit, putImage, save, valueOf, isFileField, key: bookKey,
  };
}

export type TableWindowModel = ReturnType<typeof createTableWindowModel>;
