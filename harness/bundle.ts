/**
 * What each surface of the built extension (`dist/`) loads, and what it weighs gzipped: the popup
 * from the files its HTML names, the worker from the manifest's service worker, each following the
 * imports of its JavaScript. Dynamic imports are code loaded after the start, when needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BuiltFile {
  /** Relative to dist/. */
  path: string;
  bytes: number;
  gzipBytes: number;
  /** The source modules it was built from (its source map), relative to the project. */
  sources: string[];
}

export interface Surface {
  /** Loaded when the surface starts. */
  atStart: BuiltFile[];
  /** Loaded later, by a dynamic import. */
  later: BuiltFile[];
}

export const total = (files: readonly BuiltFile[]) => files.reduce((sum, file) => sum + file.gzipBytes, 0);

function builtFile(dist: string, path: string): BuiltFile {
  const content = readFileSync(join(dist, path));
  const map = join(dist, `${path}.map`);
  const sources: string[] = existsSync(map)
    ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources.map((source) =>
        relative(join(dist, '..'), join(dist, dirname(path), source)),
      )
    : [];
  return { path, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, sources };
}

/** The `./x.js` a module imports, statically and dynamically (as minified: any quote, no spaces). */
function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const statics = [...code.matchAll(/(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((match) => match[1]!);
  const dynamics = [...code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((match) => match[1]!);
  return { static: statics, dynamic: dynamics };
}

function follow(dist: string, roots: string[]): Surface {
  const atStart = new Set<string>();
  const later = new Set<string>();
  const visit = (path: string, when: Set<string>) => {
    if (atStart.has(path) || when.has(path)) return;
    when.add(path);
    if (!path.endsWith('.js')) return;
    const found = importsOf(readFileSync(join(dist, path), 'utf8'));
    const resolve = (spec: string) => relative(dist, join(dist, dirname(path), spec));
    for (const spec of found.static) visit(resolve(spec), when);
    for (const spec of found.dynamic) visit(resolve(spec), later);
  };
  for (const root of roots) visit(root, atStart);
  // A CSS file a lazy chunk brings (vite names it in a list beside the import): loaded with it.
  for (const path of later) if (atStart.has(path)) later.delete(path);
  return { atStart: [...atStart].map((path) => builtFile(dist, path)), later: [...later].map((path) => builtFile(dist, path)) };
}

/** The popup: the scripts and style sheets its HTML names, and what they import. */
export function popupFiles(dist: string): Surface {
  const html = readFileSync(join(dist, 'src/popup/index.html'), 'utf8');
  const named = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\/([^"]+)"/g)].map((match) => match[1]!);
  const surface = follow(dist, named);
  // A style sheet of a lazily loaded chunk is named in the code that loads the chunk.
  const code = [...surface.atStart, ...surface.later].map((file) => readFileSync(join(dist, file.path), 'utf8')).join('\n');
  const loaded = new Set([...surface.atStart, ...surface.later].map((file) => file.path));
  const lazyCss = [...new Set([...code.matchAll(/["'`](assets\/[^"'`]+\.css)["'`]/g)].map((match) => match[1]!))].filter((path) => !loaded.has(path));
  return { atStart: surface.atStart, later: [...surface.later, ...lazyCss.map((path) => builtFile(dist, path))] };
}

/** The service worker the manifest names, and what it imports. */
export function workerFiles(dist: string): Surface {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { background: { service_worker: string } };
  return follow(dist, [manifest.background.service_worker]);
}
