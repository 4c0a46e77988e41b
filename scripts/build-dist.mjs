// Compiles src/ into dist/ (ES modules + .d.ts) with the project's own TypeScript: run at install
// (after the native build) and by scripts/run-tests.mjs before the tests, so that the library
// loads in plain Node and bin/fomlab.mjs starts fast. Incremental (dist/.tsbuildinfo); with
// --if-stale it does nothing when dist/ is newer than every source file.
import { closeSync, mkdirSync, openSync, utimesSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { distState, root, stampPath } from './dist-state.mjs';
import { bundleWorkers } from './bundle-workers.mjs';

if (process.argv.includes('--if-stale') && distState() === 'fresh') process.exit(0);
const started = new Date();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
// tsc exits 0 (clean) or 2 (type errors, JavaScript still written); anything else wrote nothing
if (r.status !== 0 && r.status !== 2) {
  console.error(`fomlab: the build of dist/ failed (tsc exit ${r.status})\n${r.stdout}${r.stderr}`);
  process.exit(1);
}
if (r.status === 2) console.error(`fomlab: dist/ built, with type errors (npx tsc --noEmit -p . lists them):\n${r.stdout.split('\n').slice(0, 5).join('\n')}`);
try {
  await bundleWorkers(root); // after tsc, before the stamp: a bundle is used only when not older than the stamp
} catch (e) {
  console.error(`fomlab: the pool workers' bundle was not built (workers load the modules): ${e.message}`);
}
mkdirSync(dirname(stampPath), { recursive: true });
closeSync(openSync(stampPath, 'w'));
utimesSync(stampPath, started, started);
