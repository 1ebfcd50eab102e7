/**
 * The messages files and the code agree: every key the code asks for is in both languages, no
 * language keeps a key nothing asks for, and French fills the same `$n` places as English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { badgeFor } from '../../src/domain/badge';
import type { BookSummary } from '../../src/domain/books';
import { quietSummary, weekdayName } from '../../src/domain/quiet-hours';
import { wordsFromTable } from '../../src/domain/words';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const table = (lang: string) => JSON.parse(read(`public/_locales/${lang}/messages.json`)) as Record<string, { message: string }>;
const LOCALES = { en: table('en'), fr: table('fr') };

const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((path) => /\.tsx?$/.test(path))
  .map((path) => read(join('src', path)));

/** Keys asked for as `t('key'`, `t.plural('base'` (its `_one` and `_other`) and `__MSG_key__` in the manifest. */
function usedKeys(): Set<string> {
  const used = new Set<string>();
  for (const text of sources) {
    for (const [, key] of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(key!);
    for (const [, base] of text.matchAll(/\bt\.plural\(\s*'([^']+)'/g)) used.add(`${base}_one`).add(`${base}_other`);
  }
  for (const [, key] of read('manifest.json').matchAll(/__MSG_(\w+)__/g)) used.add(key!);
  return used;
}

const places = (message: string) => [...new Set(message.match(/\$[1-9]/g))].sort();

describe('messages', () => {
  const used = usedKeys();

  it('finds the keys the code uses', () => {
    // A scan that matched nothing would pass every check below.
    expect(used).toContain('extensionName');
    expect(used).toContain('unread_one');
  });

  it.each(Object.entries(LOCALES))('%s has every key the code uses, and none it does not', (_, messages) => {
    const keys = new Set(Object.keys(messages));
    expect([...used].filter((key) => !keys.has(key))).toEqual([]);
    expect([...keys].filter((key) => !used.has(key))).toEqual([]);
  });

  it('French fills the same places as English', () => {
    const differ = Object.entries(LOCALES.en)
      .filter(([key, { message }]) => LOCALES.fr[key] && places(LOCALES.fr[key].message).join() !== places(message).join())
      .map(([key]) => key);
    expect(differ).toEqual([]);
  });
});

describe('French words', () => {
  const french = wordsFromTable(LOCALES.fr, 'fr');
  const book = (nbNotRead: number) => ({ b_o: 'alice', b_c: `b${nbNotRead}`, title: 'Ventes', nbNotRead, accepted: true, archived: false }) as BookSummary;
  const held = (count: number, books = 1) => Array.from({ length: books }, (_, i) => ({ book: { b_o: 'alice', b_c: `b${i}` }, title: 'Ventes', count }));

  it('count the French way: singular for one, plural from two', () => {
    expect([0, 1, 2, 1234].map((unread) => badgeFor(french, { state: 'ok' }, unread ? [book(unread)] : [], new Set()).title)).toEqual([
      'TimeTonic : aucun message non lu',
      'TimeTonic : 1 message non lu',
      'TimeTonic : 2 messages non lus',
      // French groups thousands with a narrow no-break space.
      'TimeTonic : 1\u202f234 messages non lus',
    ]);
    expect(quietSummary(french, held(1))?.title).toBe('1 nouveau message dans 1 classeur pendant les heures de silence');
    expect(quietSummary(french, held(2, 2))?.title).toBe('4 nouveaux messages dans 2 classeurs pendant les heures de silence');
  });

  it('count unread messages and waiting sends in the popup', () => {
    expect([1, 2].map((count) => french.plural('popupUnread', count))).toEqual(['1 non lu', '2 non lus']);
    expect([1, 2].map((count) => french.plural('popupWaiting', count))).toEqual(['1 en attente', '2 en attente']);
    expect(french.plural('popupNoMatchArchived', 2, 'vente')).toBe('Aucun classeur ne correspond à « vente » ; 2 classeurs archivés, si.');
  });

  it('name the days in the language asked for', () => {
    expect([weekdayName(1, 'fr'), weekdayName(0, 'fr'), weekdayName(0, 'en')]).toEqual(['Lundi', 'Dimanche', 'Sunday']);
  });
});
