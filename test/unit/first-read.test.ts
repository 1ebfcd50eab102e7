/** The popup's storage read started before its modules load asks for what its first frame reads. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/shared/browser', () => ({ default: {} }));
const { FIRST_PAINT_ITEMS } = await import('../../src/popup/first-paint');

describe('public/popup/first-read.js', () => {
  it('reads the keys of FIRST_PAINT_ITEMS from storage.local', () => {
    const script = readFileSync(new URL('../../public/popup/first-read.js', import.meta.url), 'utf8');
    const keys = /storage\.local\.get\((\[[^\]]*\])\)/.exec(script)?.[1];
    expect(JSON.parse(keys!.replaceAll("'", '"'))).toEqual(FIRST_PAINT_ITEMS.map((item) => item.key));
  });

  it('is named by the popup before its modules', () => {
    const html = readFileSync(new URL('../../src/popup/index.html', import.meta.url), 'utf8');
    expect(html.indexOf('<script src="/popup/first-read.js"></script>')).toBeGreaterThan(-1);
    expect(html.indexOf('/popup/first-read.js')).toBeLessThan(html.indexOf('type="module"'));
  });
});
