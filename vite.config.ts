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
    // Pages the manifest does not name: the book picker of a right-click send.
    rollupOptions: { input: { picker: 'src/picker/index.html' } },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
});
