/** The layering the folder tree promises, checked on the source text. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/**
 * Every module a surface loads, from its entry: imports, re-exports and dynamic imports, not those
 * of types only (which leave nothing in the build). Paths relative to src/; packages by name.
 */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    if (!path.startsWith('.') && !path.includes('/src/') && !/\.tsx?$/.test(path)) return;
    const text = readFileSync(join(SRC, path), 'utf8');
    const loaded = [
      ...[...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1]!),
      ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((match) => match[1]!),
      ...[...text.matchAll(/\bimport\('([^']+)'\)/g)].map((match) => match[1]!),
    ];
    for (const source of loaded) {
      if (!source.startsWith('.')) {
        seen.add(source);
        continue;
      }
      const base = resolve(SRC, dirname(path), source);
      const file = ['', '.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((candidate) => existsSync(candidate) && /\.(tsx?|css)$/.test(candidate));
      if (file?.endsWith('.css')) continue;
      if (file) visit(relative(SRC, file));
    }
  };
  visit(entry);
  return seen;
}

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

  it('keeps the pages to the code they run: no API client, no reply checking, no worker code', () => {
    for (const entry of [join('popup', 'main.tsx'), join('options', 'main.tsx'), join('welcome', 'main.tsx')]) {
      const loaded = [...loadedBy(entry)];
      expect(loaded.length).toBeGreaterThan(10);
      const offenders = loaded.filter(
        (path) => path === 'valibot' || path.startsWith('background') || (path.startsWith('api') && !['api/constants.ts', 'api/dbi.ts'].includes(path)),
      );
      expect(offenders, entry).toEqual([]);
    }
    // The check sees what it must: the worker's own graph has all of it.
    expect([...loadedBy(join('background', 'main.ts'))]).toEqual(expect.arrayContaining(['valibot', 'api/transport.ts', 'api/client.ts']));
  });

  it('gives the session keys to the worker only: no page reads them', () => {
    const pages = files.filter(({ path }) => /^(popup|options|welcome|picker)/.test(path));
    expect(pages.filter(({ text }) => /\bauthItem\b/.test(text)).map((file) => file.path)).toEqual([]);
  });
});
