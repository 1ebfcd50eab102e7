/** The note of the "Choose book…" window as the user left it, until it goes with a send. Written by the picker alone. */
import { storageItem } from '../shared/storage';

export const pickerNoteItem = storageItem<string>('local', 'pickerNote', '');
