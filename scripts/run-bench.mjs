// `npm run bench`: runs every bench/*.bench.ts in turn; each prints JSON lines
// {"what", "events", "seconds", ...} (plus "anchor_seconds" and "ratio" where ../shared/anchors has the same work).
// Usage: node scripts/run-bench.mjs [substring filter ...]
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
if (!existsSync(new URL('../../shared/anchors', import.meta.url)))
  console.error('bench: ../shared/anchors not found beside the project: the lines carry no PyTorch/XGBoost anchor (no anchor_seconds, ratio)');
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${f} failed with exit code ${r.status}`);
  }
}
process.exit(failed ? 1 : 0);
