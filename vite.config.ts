import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
  plugins: [crx({ manifest })],
  // Preact's automatic JSX runtime, as tsconfig.json declares it.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    // Readable stack traces in the extension's own devtools.
    sourcemap: true,
    // Chromium supports module preloading: no polyfill for it.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Split by which page or chunk uses which part, these would make many small files, which
          // compress worse: Preact with signals in one file, and the small modules the pages
          // share (with the worker too) in another.
          groups: [
            { name: 'preact', test: /node_modules[\\/](preact|@preact)[\\/]/ },
            { name: 'shared', test: /[\\/]src[\\/](shared[\\/](browser|storage|state|settings|messages)|domain[\\/](books|messages|outbox-view|status)|api[\\/]constants)\.ts$/ },
          ],
        },
      },
    },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
