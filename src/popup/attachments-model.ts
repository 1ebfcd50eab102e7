/**
 * The files attached to the quick-send box before sending: chosen, pasted or dropped, each checked
 * at once (size, emptiness, readable), in the order they came.
 */
import { computed, signal, type Signal } from '@preact/signals';
import { refusalOf, screenshotFileName, sizeText } from '../domain/files';
import browser from '../shared/browser';
import { t } from '../shared/i18n';

export interface AttachedFile {
  id: string;
  file: File;
}

/** The controls of `files`, the send's list, which the send model owns and empties once sent. */
export function createAttachmentsModel(files: Signal<AttachedFile[]>) {
  const problem = signal<string | null>(null);
  const shown = computed(() => files.value.map(({ id, file }) => ({ id, name: file.name, size: sizeText(t, file.size) })));

  /** Adds what may go; the first refusal is said, the others still join. */
  async function add(incoming: Iterable<File>) {
    problem.value = null;
    for (const file of incoming) {
      const refusal = refusalOf(t, file, files.value.map(({ file: other }) => other)) ?? (await unreadable(file));
      if (refusal) problem.value ??= refusal;
      else files.value = [...files.value, { id: crypto.randomUUID(), file }];
    }
  }

  /** Files pasted into the Message field: its pictures join the files, anything else is refused. */
  async function paste(pasted: readonly File[]) {
    const pictures = pasted.filter((file) => file.type.startsWith('image/'));
    await add(pictures);
    if (pictures.length < pasted.length) problem.value ??= t('pasteNotImage');
  }

  /** The visible part of the tab the popup was opened on: opening it granted activeTab. */
  async function addScreenshot() {
    problem.value = null;
    try {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const dataUrl = await browser.tabs.captureVisibleTab(undefined, { format: 'png' });
      const blob = await (await fetch(dataUrl)).blob();
      await add([new File([blob], screenshotFileName(tab?.title || tab?.url || '', new Date()), { type: 'image/png' })]);
    } catch {
      problem.value = t('screenshotTabRefused');
    }
  }

  function remove(id: string) {
    files.value = files.value.filter((attached) => attached.id !== id);
    problem.value = null;
  }

  function clear() {
    files.value = [];
    problem.value = null;
  }

  return { files, shown, problem, add, paste, addScreenshot, remove, clear };
}

/** A file the browser cannot read (gone from the disk, no permission) is said at once, not at sending. */
async function unreadable(file: File): Promise<string | null> {
  try {
    await file.slice(0, 1).arrayBuffer();
    return null;
  } catch {
    return t('fileUnreadable', file.name);
  }
}

export type AttachmentsModel = ReturnType<typeof createAttachmentsModel>;
