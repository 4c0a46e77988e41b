// Runs every test/**/*.test.ts with Node's own test runner (through tsx), so its summary is printed.
// Usage: node scripts/run-tests.mjs [substring filter ...]
// The tests import the TypeScript sources; dist/ is rebuilt first when src/ changed since the last
// build (incremental, a few seconds), so that the tests of the compiled package (plain-Node import,
// bin/fomlab.mjs) also run the current sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const build = spawnSync(process.execPath, ['scripts/build-dist.mjs', '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
