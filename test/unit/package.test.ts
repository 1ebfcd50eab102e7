/**
 * `npm run package`: the zips hold a build (or the sources) with manifest.json at the root, the
 * version of package.json, and no source maps. Builds both browsers, so it takes a few seconds.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageExtension, releaseVersion, type Packages } from '../../scripts/packaging';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let outDir: string;
let packages: Packages;
const entries = async (path: string) => unzipSync(new Uint8Array(await readFile(path)));
const manifestOf = (zip: Record<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(zip['manifest.json'])) as Record<string, unknown>;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'ttc-packages-'));
  packages = packageExtension(ROOT, outDir);
}, 120_000);
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('the store packages', () => {
  it('are named after the version of package.json', () => {
    expect(packages.version).toBe(VERSION);
    expect(packages.chrome).toBe(join(outDir, `timetonic-companion-${VERSION}-chrome.zip`));
    expect(packages.firefox).toBe(join(outDir, `timetonic-companion-${VERSION}-firefox.zip`));
    expect(packages.sources).toBe(join(outDir, `timetonic-companion-${VERSION}-sources.zip`));
  });

  it.each(['chrome', 'firefox'] as const)('%s: the build, its manifest at the root with that version, no source maps', async (browser) => {
    const zip = await entries(packages[browser]);
    const names = Object.keys(zip);
    expect(manifestOf(zip).version).toBe(VERSION);
    expect(names).toContain('service-worker-loader.js');
    expect(names).toContain('src/options/index.html');
    expect(names.filter((name) => name.endsWith('.map'))).toEqual([]);
    const scripts = names.filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(5);
    expect(scripts.filter((name) => new TextDecoder().decode(zip[name]).includes('sourceMappingURL'))).toEqual([]);
    // Chrome flags a key it does not know; addons.mozilla.org needs the add-on id.
    expect('browser_specific_settings' in manifestOf(zip)).toBe(browser === 'firefox');
  });

  it('sources: what rebuilds the extension, with a build note, and nothing built or installed', async () => {
    const zip = await entries(packages.sources);
    const names = Object.keys(zip);
    for (const needed of ['package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'src/background/main.ts', 'public/icons/icon-128.png']) {
      expect(names).toContain(needed);
    }
    expect(manifestOf(zip).version).toBe(VERSION);
    expect(new TextDecoder().decode(zip['BUILD.md'])).toContain('npx vite build --mode firefox --sourcemap false');
    expect(names.filter((name) => /^(node_modules|dist|dist-firefox|packages)\//.test(name) || name.endsWith('.map'))).toEqual([]);
  });

  it('listing: the texts and screenshots of store/ and the privacy text, beside the zips', async () => {
    expect(packages.listing).toBe(join(outDir, `timetonic-companion-${VERSION}-listing`));
    for (const file of ['en/summary.txt', 'fr/description.txt', 'en/permissions.md', 'screenshots/fr/4-right-click.png']) {
      expect(await readFile(join(packages.listing, file))).toEqual(await readFile(join(ROOT, 'store', file)));
    }
    expect(await readFile(join(packages.listing, 'PRIVACY.md'), 'utf8')).toContain('No analytics');
  });
});

describe('a release version', () => {
  it('must be the same in manifest.json and package.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ttc-versions-'));
    try {
      await writeFile(join(dir, 'package.json'), JSON.stringify({ version: '1.2.0' }));
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: '1.1.0' }));
      expect(() => releaseVersion(dir)).toThrow('manifest.json has version 1.1.0 but package.json has 1.2.0: give both the same version');
      expect(() => packageExtension(dir, join(dir, 'packages'))).toThrow('manifest.json has version 1.1.0');
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: '1.2.0' }));
      expect(releaseVersion(dir)).toBe('1.2.0');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
