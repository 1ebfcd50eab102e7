// `npm start`: installs the packages if this is a fresh clone, then runs the demo (scripts/demo.ts).
// Plain JavaScript so that it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

if (!existsSync(join(root, 'node_modules', '.bin', 'tsx'))) {
  console.log('Installing packages (npm ci)…');
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const demo = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'demo.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(demo.status ?? 1);
