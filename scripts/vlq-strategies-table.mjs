// The table of docs/mass-strategies.md from the runs of the study's strategies on the default VLQ data:
//   node scripts/vlq-strategies-table.mjs runs/vlq   (reads RUN_DIR/run-<name>/summary.json and RUN_DIR/<name>.time)
// Per strategy: AUC (test, signal of the mass vs background, both in its ±2σ window) and the Asimov Z and
// σ_min at the cut chosen on VALIDATION, judged on TEST, at 1, 2, 4, 6 TeV; geometric means of Z over the
// trained and the held-out masses; the training's CPU time (user + sys of /usr/bin/time).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'runs/vlq';
const NAMES = ['munn', 'mubdt', 'wnn', 'wbdt', 'pnn', 'pnn-b', 'pnn-x', 'pnn-affine', 'mubdt-m1', 'mubdt-m6'];
const SHOW = [1000, 2000, 4000, 6000];
const f = (v, d = 3) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(d));
const gmean = (a) => (a.length ? Math.exp(a.reduce((s, v) => s + Math.log(v), 0) / a.length) : null);
const rows = [];
for (const n of NAMES) {
  const file = join(dir, `run-${n}`, 'summary.json');
  if (!existsSync(file)) { rows.push(`| ${n} | not run |`); continue; }
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const method = s.methods[0].name;
  const auc = new Map(s.judgements.methods[0].perMass.map((p) => [p.mass, p.auc]));
  const at = (m) => s.masses.find((x) => x.mass === m);
  const cells = SHOW.map((m) => { const x = at(m); return x ? `${f(auc.get(m))} / ${f(x.results[method].figureValidationCut, 2)} / ${f(x.results[method].sigmaMinValidationCut, 3)}` : '·'; });
  const z = (held) => gmean(s.masses.filter((x) => x.heldOut === held).map((x) => x.results[method].figureValidationCut).filter((v) => v != null && v > 0));
  const t = existsSync(join(dir, `${n}.time`)) ? readFileSync(join(dir, `${n}.time`), 'utf8').match(/wall ([\d.]+) s user ([\d.]+) s sys ([\d.]+)/) : null;
  const cpu = t ? `${(+t[2] + +t[3]).toFixed(0)} s (wall ${(+t[1]).toFixed(0)} s)` : '–';
  rows.push(`| ${n} | ${cells.join(' | ')} | ${f(z(false), 2)} | ${f(z(true), 2)} | ${cpu} |`);
}
console.log('| strategy | 1 TeV: AUC / Z / σ_min (fb) | 2 TeV | 4 TeV | 6 TeV | Z, trained masses (geo. mean) | Z, held-out masses | training CPU (whole `train`) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
