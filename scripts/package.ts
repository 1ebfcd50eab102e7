/** `npm run package`: the store packages in packages/ (see packaging.ts and the README). */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { packageExtension } from './packaging';

const root = process.cwd();
try {
  const packages = packageExtension(root);
  console.log(`TimeTonic Companion ${packages.version}`);
  for (const path of [packages.chrome, packages.firefox, packages.sources]) {
    console.log(`  ${relative(root, path)}  ${(statSync(path).size / 1024).toFixed(1)} KiB`);
  }
  console.log(`  ${relative(root, packages.listing)}/  the store listing: texts, screenshots, PRIVACY.md`);
} catch (error) {
  console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
