/** The layering the folder tree promises, checked on the source text. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(SRC, path), text: readFileSync(path, 'utf8') };
    });
}

const files = sources(SRC);
const importsOf = (text: string) => [...text.matchAll(/from\s+'([^']+)'/g)].map((match) => match[1]!);

describe('source layout', () => {
  it('reaches the browser through the one seam module only', () => {
    const offenders = files.filter(
      ({ path, text }) => path !== join('shared', 'browser.ts') && (importsOf(text).includes('webextension-polyfill') || /\bchrome\.[a-z]/.test(text)),
    );
    expect(offenders.map((file) => file.path)).toEqual([]);
  });

  it('keeps the API client and the domain free of browser code', () => {
    const layered = files.filter(({ path }) => path.startsWith('api') || path.startsWith('domain'));
    expect(layered.length).toBeGreaterThan(5);
    const offenders = layered.filter(({ text }) => importsOf(text).some((source) => /shared|background|popup|options|preact|polyfill/.test(source)));
    expect(offenders.map((file) => file.path)).toEqual([]);
  });

  it('registers the worker listeners synchronously, at the top level', () => {
    const main = files.find(({ path }) => path === join('background', 'main.ts'))!.text;
    expect(main).not.toMatch(/\bawait\b|\.then\(/);
    expect(main.match(/addListener\(/g)?.length).toBeGreaterThanOrEqual(7);
  });
});
