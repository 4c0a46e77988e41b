// The thesis' loss comparison (VLQ thesis table 6.2) on fomlab's built-in data: the thesis DNN of
// examples/thesis-dnn.yaml trained with BCE, the process-weighted BCE (ω = √σ_i/N_i) and the
// sigmoid-Lovász Z loss, over seeds; prints R10 %, max Z and the working-point Z (src/evaluate/zcurve.ts,
// test split, all hypotheses pooled) per run and as mean ± spread, as a Markdown table.
// Usage: node scripts/thesis-losses.mjs DATA_DIR OUT_DIR [--epochs N] [--seeds 1,2,3]
//   DATA_DIR holds events.parquet and resolution.txt of `fomlab simulate ... --resolution`.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const [dataDir, outDir, ...rest] = process.argv.slice(2);
if (!dataDir || !outDir) { console.error('usage: node scripts/thesis-losses.mjs DATA_DIR OUT_DIR [--epochs N] [--seeds 1,2,3]'); process.exit(2); }
const opt = (name, dflt) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : dflt; };
const epochs = Number(opt('--epochs', '20')), seeds = opt('--seeds', '1,2,3').split(',').map(Number);
const LOSSES = {
  bce: '{name: dnn, loss: bce',
  'process-weighted √σ/N': '{name: dnn, loss: process-weighted, count: inverse, crossSection: root',
  'sigmoid-Lovász': '{name: dnn, loss: lovasz-z, error: sigmoid',
};
const base = readFileSync(new URL('../examples/thesis-dnn.yaml', import.meta.url), 'utf8').replaceAll('../runs/thesis/', `${resolve(dataDir)}/`);
mkdirSync(outDir, { recursive: true });
const rows = [];
for (const [label, stageHead] of Object.entries(LOSSES)) {
  for (const seed of seeds) {
    const tag = `${label.split(' ')[0]}-s${seed}`.replace(/[^A-Za-z0-9-]/g, '');
    const run = resolve(outDir, tag);
    if (!existsSync(join(run, 'summary.json'))) {
      const cfg = base.replace(/seed: 1\n  ensemble/, `seed: ${seed}\n  ensemble`).replace(/\{name: dnn, loss: process-weighted, count: inverse, crossSection: root/, stageHead).replace(/epochs: \d+, earlyStopping: \d+/, `epochs: ${epochs}`);
      const file = resolve(outDir, `${tag}.yaml`);
      writeFileSync(file, cfg);
      const r = spawnSync(process.execPath, [new URL('../bin/fomlab.mjs', import.meta.url).pathname, 'train', file, '--out', run], { stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
    const z = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')).judgements.methods[0].zCurve;
    const wp = Object.fromEntries(z.workingPoints.map((w) => [w.threshold, w.z]));
    rows.push({ label, seed, r10: z.r10, maxZ: z.maxZ, at: z.thresholdAtMax, z05: wp[0.5], z08: wp[0.8], area: z.area });
  }
}
const f = (v, d = 3) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
console.log(`\n| loss | seed | R10 % | max Z | threshold at max | Z(0.5) | Z(0.8) | area |\n|---|---|---|---|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.label} | ${r.seed} | ${f(r.r10)} | ${f(r.maxZ)} | ${f(r.at, 2)} | ${f(r.z05)} | ${f(r.z08)} | ${f(r.area, 4)} |`);
const ms = (xs) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(xs.length - 1, 1)); return `${f(m)} ± ${f(s)}`; };
console.log(`\n| loss | R10 % | max Z | Z(0.5) | Z(0.8) |\n|---|---|---|---|---|`);
for (const label of Object.keys(LOSSES)) {
  const rs = rows.filter((r) => r.label === label);
  console.log(`| ${label} | ${ms(rs.map((r) => r.r10))} | ${ms(rs.map((r) => r.maxZ))} | ${ms(rs.map((r) => r.z05 ?? 0))} | ${ms(rs.map((r) => r.z08 ?? 0))} |`);
}
