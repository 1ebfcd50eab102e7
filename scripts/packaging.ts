/**
 * The packages the stores take: the Chrome and the Firefox build, each zipped from a clean build
 * without source maps, and the sources addons.mozilla.org asks for to rebuild the Firefox one; beside
 * them, the listing (texts, screenshots, privacy) the stores' forms ask for.
 * `npm run package` (package.ts) runs it; a unit test checks what it writes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** What the sources zip holds of the project's files: what `npm ci` and the build read. */
const SOURCE_PATHS = ['src/', 'public/', 'package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'scripts/privacy-page.ts', 'PRIVACY.md', 'tsconfig.json', 'README.md'];

export interface Packages {
  version: string;
  chrome: string;
  firefox: string;
  sources: string;
  /** What the stores' forms ask for: the listing texts and screenshots of store/, and PRIVACY.md. */
  listing: string;
}

/** Copies store/ (listing texts, screenshots) and PRIVACY.md into `dir`, afresh. */
function copyListing(root: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'store'), dir, { recursive: true });
  cpSync(join(root, 'PRIVACY.md'), join(dir, 'PRIVACY.md'));
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };

/** package.json's version, which the manifest must carry: the stores read the manifest's. */
export function releaseVersion(root: string): string {
  const version = readJson(join(root, 'package.json')).version;
  const manifestVersion = readJson(join(root, 'manifest.json')).version;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  if (manifestVersion !== version) {
    throw new Error(`manifest.json has version ${String(manifestVersion)} but package.json has ${version}: give both the same version`);
  }
  return version;
}

function git(root: string, args: string[]): string {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${root}: the sources zip needs a git checkout\n${run.stderr}`);
  return run.stdout;
}

/** The tracked files, and new ones not ignored yet: a zip built from a work tree must hold what the build read. */
function sourceFiles(root: string): string[] {
  return git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SOURCE_PATHS])
    .split('\0')
    .filter((path) => path && existsSync(join(root, path)))
    .sort();
}

/** `vite build` (Chrome, dist/) or `vite build --mode firefox` (dist-firefox/), without source maps. */
function build(root: string, browser: 'chrome' | 'firefox'): string {
  const vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [vite, 'build', '--sourcemap', 'false', ...(browser === 'firefox' ? ['--mode', 'firefox'] : [])];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`vite build for ${browser} failed`);
  return join(root, browser === 'firefox' ? 'dist-firefox' : 'dist');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

function writeZip(path: string, files: Iterable<[name: string, bytes: Uint8Array]>): void {
  const zippable: Zippable = {};
  // PNGs are compressed already.
  for (const [name, bytes] of files) zippable[name] = [bytes, { level: name.endsWith('.png') ? 0 : 9 }];
  writeFileSync(path, zipSync(zippable));
}

function zipBuild(dir: string, version: string, path: string): void {
  const built = readJson(join(dir, 'manifest.json')).version;
  if (built !== version) throw new Error(`${join(dir, 'manifest.json')} has version ${String(built)}, not ${version}`);
  const maps = filesUnder(dir).filter((name) => name.endsWith('.map'));
  if (maps.length > 0) throw new Error(`the build in ${dir} has source maps: ${maps.join(', ')}`);
  writeZip(path, filesUnder(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

function buildNote(version: string): string {
  return `# Building TimeTonic Companion ${version}

Needs Node.js 20.19 or later and npm, which installs the packages package-lock.json names.
In this folder:

    npm ci
    npx vite build --mode firefox --sourcemap false

writes the Firefox package to dist-firefox/: the files of timetonic-companion-${version}-firefox.zip.
\`npx vite build --sourcemap false\` writes the Chrome one to dist/. README.md tells more.
`;
}

/** Builds both packages from clean and writes the three zips to `outDir`, and the listing beside them. */
export function packageExtension(root: string, outDir = join(root, 'packages')): Packages {
  const version = releaseVersion(root);
  const sources = sourceFiles(root);
  const changed = git(root, ['status', '--porcelain', '--', ...SOURCE_PATHS]).trimEnd();
  if (changed) console.warn(`Uncommitted changes go into the sources zip as they are:\n${changed}`);

  mkdirSync(outDir, { recursive: true });
  const name = (kind: string) => join(outDir, `timetonic-companion-${version}-${kind}.zip`);
  const packages: Packages = {
    version,
    chrome: name('chrome'),
    firefox: name('firefox'),
    sources: name('sources'),
    listing: join(outDir, `timetonic-companion-${version}-listing`),
  };
  zipBuild(build(root, 'chrome'), version, packages.chrome);
  zipBuild(build(root, 'firefox'), version, packages.firefox);
  const encoder = new TextEncoder();
  writeZip(packages.sources, [
    ...sources.map((path): [string, Uint8Array] => [path, readFileSync(join(root, path))]),
    ['BUILD.md', encoder.encode(buildNote(version))],
  ]);
  copyListing(root, packages.listing);
  return packages;
}
