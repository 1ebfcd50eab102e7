/**
 * What the built extension's surfaces load (dist/, built before the browser tests): each only the
 * code it runs, within its size budget, gzipped as loaded.
 */
import { describe, expect, it } from 'vitest';
import { popupFiles, total, workerFiles } from '../../harness/bundle';
import { DIST } from '../../harness/extension';

const KIB = 1024;
const popup = popupFiles(DIST);
const worker = workerFiles(DIST);
const sourcesOf = (files: typeof popup.atStart) => files.flatMap((file) => file.sources);

describe('the build', () => {
  it('gives the popup no API client, no reply checking and no worker code', () => {
    const sources = sourcesOf([...popup.atStart, ...popup.later]);
    expect(sources).toEqual(expect.arrayContaining(['node_modules/preact/dist/preact.mjs', 'src/popup/BookList.tsx', 'src/popup/BookView.tsx']));
    expect(sources.filter((source) => /valibot|src\/api\/(client|transport|schemas|errors)|src\/(background|welcome)\//.test(source))).toEqual([]);
  });

  it('gives the worker what it runs, and no page code', () => {
    const sources = sourcesOf(worker.atStart);
    expect(sources).toEqual(expect.arrayContaining(['node_modules/valibot/dist/index.mjs', 'src/background/book-messages.ts']));
    expect(sources.filter((source) => /preact|src\/(popup|options|welcome)\//.test(source))).toEqual([]);
  });

  it('loads the book view, the sign-in form and the list of sends only when they are needed', () => {
    expect(sourcesOf(popup.atStart).filter((source) => /BookView|book-model|SignInForm|Sends|api\/dbi/.test(source))).toEqual([]);
    const later = popup.later.map((file) => file.path);
    for (const part of ['BookView', 'book-model', 'SignInForm', 'Sends']) expect(later.some((path) => path.includes(part)), part).toBe(true);
  });

  // Preact with signals (8.1 KiB) and webextension-polyfill (2.9 KiB) come with every page. The popup's
  // first frame also draws the live state, Mark as read and the quick-send box that takes files; the
  // worker holds the message socket, the table saves, the files of a send, Undo and the sweep of
  // file bytes no send names, and a module service worker cannot load code later (no import() there).
  it('keeps each surface within its size budget: the popup as it opens under 22 KiB, the worker under 34 KiB', () => {
    expect(total(popup.atStart)).toBeLessThan(22 * KIB);
    expect(total(worker.atStart)).toBeLessThan(34 * KIB);
  });
});
