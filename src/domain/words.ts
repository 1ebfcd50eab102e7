/**
 * Words in the user's language. The texts live in `public/_locales/<lang>/messages.json`, as the
 * browser's i18n reads them; this is the typed way to ask for one, and for the plural form that
 * suits a count (the browser has none). Pure: pages and the worker build their `Words` on the
 * browser's lookup (shared/i18n.ts), tests on the messages file itself.
 */
import type english from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof english;
/** `unread` for the keys `unread_one` and `unread_other`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_one` ? Base : never) : never;

export type Substitution = string | number;

export interface Words {
  /** The text of `key`, `$1`… replaced by `substitutions` (numbers written the user's way). */
  (key: MessageKey, ...substitutions: Substitution[]): string;
  /** The form of `key` that suits `count` (`key_one`, `key_other`); `$1` is the count. */
  plural(key: PluralKey, count: number, ...substitutions: Substitution[]): string;
  /** The user's language, for dates and numbers. */
  readonly locale: string;
}

export function makeWords(lookup: (key: string, substitutions: string[]) => string, locale: string): Words {
  const numbers = new Intl.NumberFormat(locale);
  const plurals = new Intl.PluralRules(locale);
  const written = (values: Substitution[]) => values.map((value) => (typeof value === 'number' ? numbers.format(value) : value));
  const words = ((key: MessageKey, ...substitutions: Substitution[]) => lookup(key, written(substitutions))) as Words;
  return Object.assign(words, {
    locale,
    plural(key: PluralKey, count: number, ...substitutions: Substitution[]) {
      const values = written([count, ...substitutions]);
      // A language may have forms the messages leave out (French "many"): "other" stands in.
      return lookup(`${key}_${plurals.select(count)}`, values) || lookup(`${key}_other`, values);
    },
  });
}

export type MessageTable = Record<string, { message: string }>;

/** Words read from a messages file the way the browser reads it: `$1`…`$9`, `$$` for a dollar. */
export function wordsFromTable(table: MessageTable, locale: string): Words {
  return makeWords(
    (key, substitutions) =>
      (table[key]?.message ?? '').replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? ''))),
    locale,
  );
}
