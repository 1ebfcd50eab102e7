import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };
import { privacyPage } from './scripts/privacy-page';

// Chrome flags a key it does not know ("Unrecognized manifest key" under the extension's Errors),
// so its build leaves Firefox's out. Firefox knows Chrome's `minimum_chrome_version` and ignores it.
const { browser_specific_settings: _firefoxOnly, ...chromeManifest } = manifest;

export default defineConfig(({ mode }) => {
  // `vite build --mode firefox` builds the Firefox package into dist-firefox/; any other mode, Chrome's.
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [
      privacyPage(),
      crx({
        // A JSON import types `data_collection_permissions` as plain strings; the plugin wants its literals.
        manifest: (browser === 'firefox' ? manifest : chromeManifest) as ManifestV3Export,
        browser,
      }),
    ],
    // Preact's automatic JSX runtime, as tsconfig.json declares it.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: browser === 'firefox' ? 'dist-firefox' : 'dist',
      emptyOutDir: true,
      target: browser === 'firefox' ? 'firefox142' : 'chrome120',
      // Readable stack traces in the extension's own devtools.
      sourcemap: true,
      // Both browsers support module preloading: no polyfill for it.
      modulePreload: { polyfill: false },
      rolldownOptions: {
        // Pages the manifest does not name: the book picker of a right-click send, the welcome tab.
        input: { picker: 'src/picker/index.html', welcome: 'src/welcome/index.html' },
        output: {
          codeSplitting: {
            // Split by which page or chunk uses which part, these would make many small files, which
            // compress worse: Preact with signals in one file, and the small modules the pages
            // share (with the worker too) in another.
            groups: [
              { name: 'preact', test: /node_modules[\\/](preact|@preact)[\\/]/ },
              { name: 'shared', test: /[\\/]src[\\/](shared[\\/](browser|storage|state|settings|messages|i18n|draft)|domain[\\/](books|find|messages|outbox-view|status|words)|api[\\/]constants)\.ts$/ },
            ],
          },
        },
      },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
