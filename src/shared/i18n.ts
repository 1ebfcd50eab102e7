/** The user's words, looked up by the browser in the extension's `_locales` (see domain/words.ts). */
import { makeWords, type Words } from '../domain/words';
import browser from './browser';

let words: Words | undefined;
// Made on first use: a module may be loaded before the browser seam is ready (Node tests).
const current = () => (words ??= makeWords((key, substitutions) => browser.i18n.getMessage(key, substitutions), browser.i18n.getUILanguage()));

export const t: Words = Object.assign((...args: Parameters<Words>) => current()(...args), {
  plural: (...args: Parameters<Words['plural']>) => current().plural(...args),
  get locale() {
    return current().locale;
  },
});
