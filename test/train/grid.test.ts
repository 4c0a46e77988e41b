// Grid search (training.grid): stratified k-fold splits, fold subsets that keep ε and B whole-sample
// estimates, the cartesian grid, the validation figure on a hand-counted case, and a grid that must
// pick the one point a hand-made problem rewards (XOR needs depth 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldRows, stratifiedFolds, subsetSplit } from '../../src/train/folds.js';
import { gridPoints, gridSearch, validationScore } from '../../src/train/grid.js';
import { Rng } from '../../src/core/rng.js';
import { bceWeights } from '../../src/losses/bce.js';
import { modelSchema, stageSchema } from '../../src/config/training.js';
import type { SplitArrays } from '../../src/train/trainer.js';
import type { PunziRows } from '../../src/train/punzi-data.js';

function labelsOf(nSig: number, nBkg: number): Float32Array {
  const l = new Float32Array(nSig + nBkg);
  // interleaved, so that a fold split by position alone would not be stratified by accident
  for (let i = 0, s = 0; i < l.length; i++) if (s < nSig && i % 3 === 0) { l[i] = 1; s++; }
  return l;
}

test('stratified folds: every event in exactly one validation fold, classes balanced to ±1, same seed same folds', () => {
  const labels = labelsOf(103, 211);
  const k = 5;
  const fold = stratifiedFolds(labels, k, 7);
  const nSig = labels.reduce((a, b) => a + b, 0);
  const seen = new Uint8Array(labels.length);
  for (let f = 0; f < k; f++) {
    const rows = foldRows(fold, f, true);
    const rest = foldRows(fold, f, false);
    assert.equal(rows.length + rest.length, labels.length);
    for (const i of rows) seen[i]++;
    const sig = rows.reduce((a, i) => a + labels[i], 0);
    // 103 signal over 5 folds: 20 or 21; 211 background: 42 or 43
    assert.ok(sig === Math.floor(nSig / k) || sig === Math.ceil(nSig / k), `fold ${f}: ${sig} signal`);
    const bkg = rows.length - sig;
    assert.ok(bkg === 42 || bkg === 43, `fold ${f}: ${bkg} background`);
  }
  assert.ok(seen.every((c) => c === 1), 'each event validated exactly once');
  assert.deepEqual(stratifiedFolds(labels, k, 7), fold);
  assert.notDeepEqual(stratifiedFolds(labels, k, 8), fold);
  assert.throws(() => stratifiedFolds(labels, 1, 7), /folds: expected a whole number ≥ 2/);
  assert.throws(() => stratifiedFolds(labelsOf(2, 50), 3, 7), /3 folds but only 2 signal events/);
});

/** A split of n events, 2 features, one hypothesis whose rows are every signal (coef 1/N) and background (coef w) event. */
function split(x: number[][], labels: Float32Array, w = 2): SplitArrays {
  const n = labels.length;
  const weights = new Float32Array(n).fill(w);
  const sig = [...labels.keys()].filter((i) => labels[i] >= 0.5), bkg = [...labels.keys()].filter((i) => labels[i] < 0.5);
  const punzi: PunziRows = {
    nEvents: n, nHypotheses: 1,
    sigOffsets: Int32Array.of(0, sig.length), sigEvents: Int32Array.from(sig), sigCoef: new Float64Array(sig.length).fill(1 / sig.length),
    bkgOffsets: Int32Array.of(0, bkg.length), bkgEvents: Int32Array.from(bkg), bkgCoef: new Float64Array(bkg.length).fill(w),
  };
  return { n, nFeatures: 2, x: Float32Array.from(x.flat()), labels, weights, bceWeights: bceWeights(labels, weights, true), mass: new Float32Array(n), punzi };
}

test('a fold subset keeps ε and B whole-sample estimates: coefficients divided by the kept fraction of each class', () => {
  const labels = labelsOf(30, 60);
  const s = split(Array.from({ length: 90 }, (_, i) => [i, -i]), labels);
  const fold = stratifiedFolds(labels, 3, 1);
  const sub = subsetSplit(s, foldRows(fold, 0, true));
  assert.equal(sub.n, 30);
  // every signal event selected: ε = Σ coef = 1 in the subset as in the whole split; B = Σ w / q = 60 · 2
  assert.ok(Math.abs(sub.punzi.sigCoef.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(sub.punzi.bkgCoef.reduce((a, b) => a + b, 0) - 120) < 1e-9);
  // rows point at the subset's own events, with their features
  const e = sub.punzi.sigEvents[0];
  assert.equal(sub.labels[e], 1);
  const orig = foldRows(fold, 0, true)[e];
  assert.deepEqual([...sub.x.subarray(2 * e, 2 * e + 2)], [orig, -orig]);
});

test('gridPoints: the cartesian product, first key slowest', () => {
  assert.deepEqual(gridPoints({ max_depth: [5, 6], n_estimators: [4, 5, 6] }).map((p) => `${p.max_depth}/${p.n_estimators}`), ['5/4', '5/5', '5/6', '6/4', '6/5', '6/6']);
  assert.equal(gridPoints({ a: [1, 2, 3, 4, 5], b: [1, 2, 3] }).length, 15);
});

test('validation figure: the Punzi FOM ε/(a/2 + √B) at the best cut, counted by hand', () => {
  // events: p = 0.9 (s), 0.8 (b), 0.7 (s), 0.1 (b); N_gen = 2, background weight 4 each.
  // cuts: ≥0.9: ε 0.5, B 0 → 0.5/1.5 = 0.3333; ≥0.8: 0.5/(1.5+2) = 0.1429; ≥0.7: 1/3.5 = 0.2857; ≥0.1: 1/(1.5+√8) = 0.2310
  const labels = Float32Array.of(1, 0, 1, 0);
  const s = split([[0, 0], [0, 0], [0, 0], [0, 0]], labels, 4);
  const figure = { name: 'punziFom' as const, params: { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const, halfA: 1.5 } };
  const v = validationScore({ kind: 'figure', figure }, Float32Array.of(0.9, 0.8, 0.7, 0.1), s);
  assert.ok(Math.abs(v - 1 / 3) < 1e-6, `${v}`);
  // AUC: pairs (s,b) ordered right: (0.9>0.8), (0.9>0.1), (0.7>0.1), wrong: (0.7<0.8) → 3/4
  assert.ok(Math.abs(validationScore({ kind: 'auc' }, Float32Array.of(0.9, 0.8, 0.7, 0.1), s) - 0.75) < 1e-12);
});

test('grid search picks the point a hand-made problem rewards: XOR needs trees of depth 2', () => {
  // signal where sign(x0) ≠ sign(x1): no single split separates it (depth-1 stumps stay near AUC 0.5)
  const rng = new Rng(5);
  const n = 1200, x: number[][] = [], labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.uniform() * 2 - 1, b = rng.uniform() * 2 - 1;
    x.push([a, b]);
    labels[i] = a * b < 0 ? 1 : 0;
  }
  const s = split(x, labels);
  const model = modelSchema.parse({ kind: 'gbdt', n_estimators: 20, max_depth: 1, learning_rate: 0.3 });
  const stages = [stageSchema.parse({ name: 'bce', loss: 'bce', lr: 1, epochs: 1 })];
  const run = () => gridSearch({
    train: s, validation: s, model, stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' },
    grid: { params: { max_depth: [1, 2], n_estimators: [20] }, cv: { folds: 3 }, select: 'auc' }, selection: { kind: 'auc' }, seed: 2,
  });
  const { record, model: chosen } = run();
  assert.equal(record.points.length, 2);
  assert.equal(record.chosen, 1);
  assert.equal(chosen.max_depth, 2);
  const [stump, deep] = record.points;
  assert.equal(stump.folds.length, 3);
  assert.ok(stump.mean! < 0.7, `depth 1: AUC ${stump.mean}`);
  assert.ok(deep.mean! > 0.95, `depth 2: AUC ${deep.mean}`);
  // the std is the sample standard deviation of the three folds
  const f = deep.folds.map(Number), m = (f[0] + f[1] + f[2]) / 3;
  assert.ok(Math.abs(deep.std! - Math.sqrt(f.reduce((a, v) => a + (v - m) ** 2, 0) / 2)) < 1e-12);
  assert.deepEqual(run().record, record, 'same seed, same table');
});
