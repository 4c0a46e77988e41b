// Builds the C++ kernels in native/ with node-gyp at install time. Without a compiler the package
// still installs and works on the TypeScript kernels, only slower; one line says so.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (!existsSync('native/binding.gyp')) process.exit(0);
const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.warn('fomlab: node-gyp not found; using the TypeScript kernels (slower)');
  process.exit(0);
}
// Offline machines: use the headers installed beside node (e.g. /usr/include/node) instead of downloading them, unless
// npm already passes a nodedir (npm install does, from .npmrc).
const args = [gyp, 'rebuild', '--directory', 'native'];
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
if (r.status !== 0) {
  const why = (r.stderr?.toString() ?? '').split('\n').filter((l) => /error/i.test(l))[0] ?? `exit ${r.status}`;
  console.warn(`fomlab: native kernels not built (${why.trim()}); using the TypeScript kernels (slower)`);
}
process.exit(0);
