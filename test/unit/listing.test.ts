/**
 * What the stores are given beside the packages (store/): the listing in English and French within
 * the stores' limits, a justification for every permission the manifest asks for, and the
 * screenshots at the size Chrome's store takes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { pngSize, SCREENSHOT_SIZE, SCREENSHOTS } from '../../scripts/screenshot-list';

const STORE = join(import.meta.dirname, '../../store');
const LANGUAGES = ['en', 'fr'] as const;
const read = (path: string) => readFileSync(join(STORE, path), 'utf8');

describe.each(LANGUAGES)('the %s listing', (lang) => {
  it('has a summary of at most 132 characters, on one line', () => {
    const summary = read(`${lang}/summary.txt`).trimEnd();
    expect(summary.length).toBeGreaterThan(40);
    expect([...summary].length).toBeLessThanOrEqual(132);
    expect(summary).not.toContain('\n');
  });

  it('has a description', () => {
    expect(read(`${lang}/description.txt`).length).toBeGreaterThan(500);
  });

  it('justifies every permission the manifest asks for, and its hosts', () => {
    const headings = [...read(`${lang}/permissions.md`).matchAll(/^### (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(expect.arrayContaining([...manifest.permissions]));
    expect(headings.length).toBe(manifest.permissions.length + 2);
  });

  it.each(SCREENSHOTS)(`has the screenshot %s at 1280×800`, (name) => {
    const path = join(STORE, 'screenshots', lang, `${name}.png`);
    expect(existsSync(path), path).toBe(true);
    expect(pngSize(readFileSync(path))).toEqual(SCREENSHOT_SIZE);
  });
});

it('has no screenshot the list does not name', () => {
  for (const lang of LANGUAGES) {
    expect(readdirSync(join(STORE, 'screenshots', lang)).sort()).toEqual(SCREENSHOTS.map((name) => `${name}.png`).sort());
  }
});
