/**
 * The "Choose book…" window's choices as the user left them, so that a window closed before
 * sending loses nothing. Written by the picker alone.
 */
import { storageItem } from '../shared/storage';

/** The note, until it goes with a send. */
export const pickerNoteItem = storageItem<string>('local', 'pickerNote', '');
/** Whether "Include a screenshot" is ticked: the next window starts as the last was left. */
export const pickerScreenshotItem = storageItem<boolean>('local', 'pickerScreenshot', false);
