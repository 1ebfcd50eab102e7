/** The user's words, looked up by the browser in the extension's `_locales` (see domain/words.ts). */
import { makeWords, type Words } from '../domain/words';
import browser from './browser';

let words: Words | undefined;
// Made on first use: a module may be loaded before the browser seam is ready (Node tests).
const current = () => (words ??= makeWords((key, substitutions) => browser.i18n.getMessage(key, substitutions), browser.i18n.getUILanguage()));

// defineProperties, not Object.assign, which would read `locale` (and so build the words) right away.
export const t: Words = Object.defineProperties(((...args: Parameters<Words>) => current()(...args)) as Words, {
  plural: { value: (...args: Parameters<Words['plural']>) => current().plural(...args) },
  locale: { get: () => current().locale },
});

/** Stands in a text for an element a page puts there (see `slotted`); a private-use character no message has. */
export const SLOT = '\u{E000}';

/** The text around each SLOT, with `filler` in its place: `slotted(t(…, SLOT), <strong>…</strong>)`. */
export function slotted<T>(text: string, filler: T): (string | T)[] {
  return text.split(SLOT).flatMap((piece, i) => (i === 0 ? [piece] : [filler, piece]));
}
