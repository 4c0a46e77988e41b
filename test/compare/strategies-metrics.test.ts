// The mass-strategies comparison's figures (compare/strategies-metrics.ts) on hand-made saved splits,
// each number derived by hand in the comments; and the strategies: section's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backgroundShapes, efficiencyAtRejection, heldOutOverNeighbours, windowRoc } from '../../src/compare/strategies-metrics.js';
import { planStrategies } from '../../src/compare/strategies-config.js';
import type { SavedSplit } from '../../src/train/test-scores.js';
import { runCli } from '../cli-run.js';

/** a saved split from rows [score, label, weight, mass] and per hypothesis its signal and background rows */
function split(rows: Array<[number, number, number, number]>, masses: number[], sig: number[][], bkg: number[][]): SavedSplit {
  const part = (r: number[][]) => ({ offsets: Int32Array.from([0, ...r.map((_, h) => r.slice(0, h + 1).flat().length)]), events: Int32Array.from(r.flat()) });
  return {
    info: { rows: rows.length, fraction: 1, hypotheses: masses.map((mass) => ({ mass, nGenerated: 10 })) },
    scores: Float32Array.from(rows, (r) => r[0]), labels: Float32Array.from(rows, (r) => r[1]), weights: Float32Array.from(rows, (r) => r[2]),
    mass: Float32Array.from(rows, (r) => r[3]), genMass: Float32Array.from(rows, (r) => (r[1] ? masses[0] : NaN)), signal: part(sig), background: part(bkg),
  };
}

test('window ROC: AUC and signal efficiency at background rejection 0.99 by hand', () => {
  // signal 0.9 (w 1), 0.8 (w 1), 0.3 (w 2); background 0.85, 0.5, 0.2 (w 1 each), 0.1 (w 97): Σ w_b = 100
  const s = split([[0.9, 1, 1, 1000], [0.8, 1, 1, 1000], [0.3, 1, 2, 1000], [0.85, 0, 1, 1000], [0.5, 0, 1, 1000], [0.2, 0, 1, 1000], [0.1, 0, 97, 1000]], [1000], [[0, 1, 2]], [[3, 4, 5, 6]]);
  const roc = windowRoc(s, 0)!;
  // pairs: 0.9 beats all 100, 0.8 beats 99, 0.3 (w 2) beats 98 → (100 + 99 + 196) / (4 · 100)
  assert.ok(Math.abs(roc.auc - 395 / 400) < 1e-12, `AUC ${roc.auc}`);
  // ≤ 1 % of the background (weight 1): the threshold 0.8 keeps background 0.85 only, signal 0.9 and 0.8 → 2 / 4
  assert.equal(efficiencyAtRejection(roc, 0.99), 0.5);
  // ≤ 3 %: down to 0.3 keeps background 0.85, 0.5 (2 %) — 0.2 would make 3 %, also allowed → all signal
  assert.equal(efficiencyAtRejection(roc, 0.97), 1);
  assert.equal(windowRoc(split([[0.5, 0, 1, 1000]], [1000], [[]], [[0]]), 0), null, 'no signal in the window: no ROC');
});

test('background shape: each event once (nearest hypothesis), threshold at 40 % of the weight, total-variation distance by hand', () => {
  // background at m_rec 900, 1100, 1400 (in both windows; nearest 1000), 1900, 2100; scores 0.9, 0.1, 0.5, 0.8, 0.2
  const s = split([[0.9, 0, 1, 900], [0.1, 0, 1, 1100], [0.5, 0, 1, 1400], [0.8, 0, 1, 1900], [0.2, 0, 1, 2100]], [1000, 2000], [[], []], [[0, 1, 2], [2, 3, 4]]);
  const r = backgroundShapes(s, [0.4], [800, 2200], 2);
  assert.deepEqual(r.edges, [800, 1500, 2200]);
  assert.deepEqual(r.all, [0.6, 0.4]); // 900, 1100, 1400 | 1900, 2100 — the 1400 event counted once
  const [x] = r.shapes; // 40 % of 5: the two highest, 0.9 (900) and 0.8 (1900)
  assert.equal(x.threshold, Math.fround(0.8));
  assert.deepEqual(x.passing, [0.5, 0.5]);
  assert.ok(Math.abs(x.distance - 0.1) < 1e-12, `distance ${x.distance}`); // ½ (|0.5 − 0.6| + |0.5 − 0.4|)
  assert.deepEqual(r.perMass, [], 'no validation split: no mass-dependent threshold');

  // the mass-dependent threshold, set on a validation split: window 1000 has background scores 0.7, 0.3,
  // 0.6, 0.2 (w 1 each) → keeping ≤ 50 %: the two highest, threshold 0.6; window 2000 has 0.9 (w 1) and
  // 0.4 (w 3) → ≤ 50 % of 4 keeps 0.9 only, threshold 0.9. On the test events above (nearest window):
  // 900 (0.9 ≥ 0.6), 1100 (0.1), 1400 (0.5 < 0.6) | 1900 (0.8 < 0.9), 2100 (0.2) → only 900 passes:
  // passing [1, 0] against all [0.6, 0.4] → distance ½ (0.4 + 0.4) = 0.4; the global 50 % threshold
  // (0.5: 0.9, 0.8, 0.5 of 5 is 60 % > 50 % → 0.9, 0.8) gives [0.5, 0.5] as above
  const v = split([[0.7, 0, 1, 950], [0.3, 0, 1, 1050], [0.6, 0, 1, 1200], [0.2, 0, 1, 1450], [0.9, 0, 1, 1800], [0.4, 0, 3, 2200]], [1000, 2000], [[], []], [[0, 1, 2, 3], [4, 5]]);
  const withValidation = backgroundShapes(s, [0.5], [800, 2200], 2, v);
  assert.deepEqual(withValidation.shapes[0].passing, [0.5, 0.5]);
  assert.deepEqual(withValidation.perMass[0].passing, [1, 0]);
  assert.ok(Math.abs(withValidation.perMass[0].distance - 0.4) < 1e-12, `per-mass distance ${withValidation.perMass[0].distance}`);
});

test('interpolation: held-out mass over its trained neighbours, geometric mean', () => {
  // 3 / √(2·8) = 0.75 and 4 / √(8·4) = 0.70711 → √(0.75 · 0.70711)
  assert.ok(Math.abs(heldOutOverNeighbours([2, 3, 8, 4, 4], [false, true, false, true, false])! - Math.sqrt(0.75 * (4 / Math.sqrt(32)))) < 1e-12);
  assert.equal(heldOutOverNeighbours([2, 3, null], [false, true, false]), null, 'a missing neighbour: no ratio');
});

test('strategies: errors name the file and the method; a method\'s keys replace the file\'s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-strategies-config-'));
  const base = `data:
  files: [vlq.parquet]
  columns: {features: [a, b], label: label, mass: m, genMass: gen_mass, weight: weight}
search: {hypotheses: {masses: [1000, 2000]}, window: {halfWidth: 50}}
training: {stages: [{loss: bce, optimizer: adam, lr: 0.001, epochs: 3}]}
`;
  try {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, `${base}strategies:\n  seeds: [1, 2]\n  methods:\n    - {name: A, data: {selection: "x != 1", columns: {features: [a]}}, parameterised: {background: random}}\n    - {name: B, model: {kind: gbdt}, seeds: [1]}\n`);
    const p = planStrategies(file);
    const a = p.methods[0].config(2);
    assert.deepEqual([a.data.columns.features, a.data.selection, a.data.columns.label, a.training?.seed, a.parameterised?.background], [['a'], 'x != 1', 'label', 2, 'random']);
    assert.deepEqual(p.methods.map((m) => m.seeds), [[1, 2], [1]]);
    writeFileSync(file, `${base}strategies:\n  methods:\n    - {name: A}\n    - {name: A}\n`);
    assert.throws(() => planStrategies(file), /c\.yaml: strategies\.methods\[1\]\.name: 'A' is used twice/);
    writeFileSync(file, `${base}strategies:\n  methods:\n    - {name: A, model: {kind: nonsense}}\n`);
    assert.throws(() => planStrategies(file), /strategies method 'A'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare: --jobs on a strategies: config is an error naming the file and the option, not silently ignored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-strategies-jobs-'));
  try {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'data: {files: [vlq.parquet]}\nstrategies:\n  methods:\n    - {name: A}\n');
    const r = await runCli(['compare', file, '--jobs', '2', '--out', join(dir, 'out')]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /c\.yaml has a strategies: section.*--jobs belongs to a compare: section's cells/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
