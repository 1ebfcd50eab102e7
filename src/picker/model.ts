/**
 * The book picker of a right-click send ("Choose book…"): the books one may write to, narrowed as
 * the user types, and the choice handed to the worker.
 */
import { computed, signal } from '@preact/signals';
import { bookKey, byTitle, EMPTY_CACHE, isWritable, type BookCache, type BookSummary } from '../domain/books';
import type { Capture } from '../domain/capture';
import { findBooks } from '../domain/find';
import { t } from '../shared/i18n';
import { sendToWorker } from '../shared/messages';
import { bookCacheItem, pendingPicksItem } from '../shared/state';
import { mirror } from '../shared/storage';
import { pickerNoteItem, pickerScreenshotItem } from './kept';

export function createPickerModel(pick: string) {
  const loaded = signal(false);
  const cache = signal<BookCache>(EMPTY_CACHE);
  const capture = signal<Capture | null>(null);
  const filter = signal('');
  const note = signal('');
  const includeScreenshot = signal(false);
  /** The screenshot taken at the click, or why the browser refused it; null when none is offered. */
  const screenshot = signal<{ ok: true; name: string } | { ok: false; why: string } | null>(null);
  const active = signal(0);
  const sending = signal(false);
  const error = signal<string | null>(null);

  const writable = computed(() =>
    Object.values(cache.value.books)
      .filter(isWritable)
      .sort(byTitle),
  );
  // Found as the popup's "Find a book" finds: every word, case and accents aside.
  const books = computed(() => findBooks(writable.value, filter.value, false).shown);
  /** The highlighted book, kept within the list as it narrows. */
  const activeBook = computed(() => books.value[Math.min(active.value, books.value.length - 1)] ?? null);

  async function load() {
    const [picks, keptNote, keptScreenshot] = await Promise.all([
      pendingPicksItem.get(),
      pickerNoteItem.get(),
      pickerScreenshotItem.get(),
      mirror(bookCacheItem, cache),
    ]);
    // Typed meanwhile: what the user typed wins over what was kept.
    if (!note.value) note.value = keptNote;
    includeScreenshot.value = keptScreenshot;
    screenshot.value = picks[pick]?.screenshot ?? null;
    capture.value = picks[pick]?.capture ?? null;
    if (!capture.value) error.value = t('sendExpired');
    loaded.value = true;
  }

  function setFilter(value: string) {
    filter.value = value;
    active.value = 0;
  }

  /** Kept as typed, so a window closed before sending loses nothing: the next one shows it again. */
  function setNote(value: string) {
    note.value = value;
    void pickerNoteItem.set(value);
  }

  function setIncludeScreenshot(value: boolean) {
    includeScreenshot.value = value;
    void pickerScreenshotItem.set(value);
  }

  function move(by: number) {
    const count = books.value.length;
    if (count > 0) active.value = (Math.min(active.value, count - 1) + by + count) % count;
  }

  async function choose(book: BookSummary | null = activeBook.value) {
    if (!book || sending.value) return;
    sending.value = true;
    try {
      const outcome = await sendToWorker({ type: 'pickBook', pick, book: { b_o: book.b_o, b_c: book.b_c }, note: note.value, screenshot: includeScreenshot.value });
      if (outcome.ok) {
        await pickerNoteItem.set('');
        window.close();
      }
      else error.value = outcome.error;
    } catch (failure) {
      error.value = t('pickerCouldNotSend', String(failure));
    } finally {
      sending.value = false;
    }
  }

  return {
    loaded,
    capture,
    filter,
    note,
    includeScreenshot,
    screenshot,
    books,
    activeBook,
    sending,
    error,
    load,
    setFilter,
    setNote,
    setIncludeScreenshot,
    move,
    choose,
    key: bookKey,
  };
}

export type PickerModel = ReturnType<typeof createPickerModel>;
