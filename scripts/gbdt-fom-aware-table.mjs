// Per-mass σ_min on the test split (each mass's cut chosen on the validation split) of two runs:
// logistic boosting (examples/gbdt-fom-aware/logistic.yaml) against FOM-aware boosting (fom-aware.yaml).
// Usage: node scripts/gbdt-fom-aware-table.mjs runs/fomaware/logistic runs/fomaware/fom-aware  → a Markdown table
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [logisticDir, fomDir] = process.argv.slice(2);
if (!logisticDir || !fomDir) {
  console.error('usage: node scripts/gbdt-fom-aware-table.mjs LOGISTIC_RUN FOM_AWARE_RUN');
  process.exit(2);
}
const read = (dir) => {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const method = s.methods[s.methods.length - 1].name;
  return new Map(s.masses.map((m) => [m.mass, { heldOut: m.heldOut, r: m.results[method] }]));
};
const a = read(logisticDir), b = read(fomDir);
const masses = [...a.keys()].filter((m) => b.has(m)).sort((x, y) => x - y);
const fmt = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Number(v.toPrecision(4)).toString());
const lines = ['| m [GeV] | trained | σ_min logistic [fb] | σ_min FOM-aware [fb] | ratio FOM-aware / logistic |', '|---|---|---|---|---|'];
let wins = 0, n = 0, logSum = 0;
const tally = { trained: [0, 0], held: [0, 0] };
for (const m of masses) {
  const x = a.get(m).r.sigmaMinValidationCut, y = b.get(m).r.sigmaMinValidationCut;
  const ok = Number.isFinite(x) && Number.isFinite(y) && x > 0;
  if (ok) {
    n++; logSum += Math.log(y / x);
    if (y < x) wins++;
    const t = tally[a.get(m).heldOut ? 'held' : 'trained'];
    t[1]++; if (y < x) t[0]++;
  }
  lines.push(`| ${m.toFixed(1)} | ${a.get(m).heldOut ? 'held out' : 'yes'} | ${fmt(x)} | ${fmt(y)} | ${ok ? (y / x).toFixed(3) : '–'} |`);
}
console.log(lines.join('\n'));
console.log(`\nFOM-aware lower at ${wins} of ${n} masses (trained ${tally.trained[0]}/${tally.trained[1]}, held out ${tally.held[0]}/${tally.held[1]}); geometric-mean ratio ${Math.exp(logSum / Math.max(n, 1)).toFixed(3)}.`);
