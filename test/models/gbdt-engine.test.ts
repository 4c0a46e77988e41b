// The boosted-tree engine: hand-derived splits and leaves, the C++ engine against its TypeScript twin (identical
// cuts, bins and trees), scoring, JSON files and early stopping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { FomlabError } from '../../src/core/errors.js';
import { binColumnsTs, cutsOf } from '../../src/models/gbdt/binning.js';
import { boost, logisticObjective, logLoss, type BoostData, type GbdtOptions } from '../../src/models/gbdt/boost.js';
import { loadForest, margins, marginsTs, saveForest } from '../../src/models/gbdt/forest.js';
import { gbdtNative } from '../../src/models/gbdt/native.js';
import { nativeBinding } from '../../src/core/kernels/native.js';

const hasNative = gbdtNative !== null;
const col = (...v: number[]): Float32Array => Float32Array.from(v);

function oneTree(x: number[], y: number[], options: Partial<GbdtOptions>, engine: 'native' | 'typescript' = 'typescript') {
  const d: BoostData = { columns: [col(...x)], target: col(...y), weight: null };
  return boost({ options: { n_estimators: 1, max_depth: 1, learning_rate: 1, min_child_weight: 0, ...options }, inputNames: ['x'], train: d, engine }).forest.trees[0];
}

for (const engine of ['typescript', 'native'] as const) {
  test(`hand-derived split and leaves (${engine})`, { skip: engine === 'native' && !hasNative }, () => {
    // margin 0 → p = ½: g = p − y = (½, ½, −½, −½), h = ¼ each; λ = 1. Split x < 3: G_L = 1, H_L = ½, G_R = −1, H_R = ½,
    // gain = 1/1.5 + 1/1.5 − 0 = 4/3, leaves −G/(H+λ) = ∓2/3
    let t = oneTree([1, 2, 3, 4], [0, 0, 1, 1], {}, engine);
    assert.deepEqual([...t.feature], [0, -1, -1]);
    assert.equal(t.threshold[0], 3);
    assert.ok(Math.abs(t.gain![0] - 4 / 3) < 1e-12);
    assert.deepEqual([...t.value], [0, Math.fround(-2 / 3), Math.fround(2 / 3)]);
    // α = ½: T(±1) = ±½, gain = 2·¼/1.5 = 1/3, leaves ∓1/3; γ = 0.4 > 1/3 prunes the split: one leaf, G = 0 → 0
    t = oneTree([1, 2, 3, 4], [0, 0, 1, 1], { reg_alpha: 0.5 }, engine);
    assert.ok(Math.abs(t.gain![0] - 1 / 3) < 1e-12);
    assert.deepEqual([...t.value], [0, Math.fround(-1 / 3), Math.fround(1 / 3)]);
    t = oneTree([1, 2, 3, 4], [0, 0, 1, 1], { reg_alpha: 0.5, gamma: 0.4 }, engine);
    assert.deepEqual([...t.feature], [-1]);
    // a missing value with y = 1 (g = −½): missing right gives 1/1.5 + 2.25/1.75 − 0.25/2.25 = 1.8413 > missing left
    // 0.25/1.75 + 1/1.5 − 0.25/2.25 = 0.6984, so NaN goes right; right leaf 1.5/1.75
    t = oneTree([1, 2, 3, 4, NaN], [0, 0, 1, 1, 1], {}, engine);
    assert.equal(t.threshold[0], 3);
    assert.equal(t.defaultLeft[0], 0);
    assert.ok(Math.abs(t.gain![0] - (1 / 1.5 + 2.25 / 1.75 - 0.25 / 2.25)) < 1e-12);
    assert.equal(t.value[2], Math.fround(1.5 / 1.75));
    // y = (0, 1, 1, 1): the best split x < 2 leaves one event left (gain 0.2 + 1.2857 − 0.5 = 0.9857); a minimum node
    // size of 30 % (1.2 events) forces x < 3 (gain 0 + 1/1.5 − 0.5 = 1/6)
    assert.equal(oneTree([1, 2, 3, 4], [0, 1, 1, 1], {}, engine).threshold[0], 2);
    t = oneTree([1, 2, 3, 4], [0, 1, 1, 1], { min_node_fraction: 0.3 }, engine);
    assert.equal(t.threshold[0], 3);
    assert.ok(Math.abs(t.gain![0] - 1 / 6) < 1e-12);
    // min_child_weight 0.6 > H of any 2-event child (0.5): no split
    assert.deepEqual([...oneTree([1, 2, 3, 4], [0, 0, 1, 1], { min_child_weight: 0.6 }, engine).feature], [-1]);
  });
}

test('weighted quantile cuts: hand case and the sampled path (> 2^18 rows), C++ = TypeScript', () => {
  // 4 distinct values, 2 bins: W = 4, the cut is the first value with weight ≥ 2 below it (3); the last cut is
  // max + (|max| + 1e-5) as XGBoost's
  assert.deepEqual([...cutsOf(col(4, 1, 3, 2), null, 2)], [3, Math.fround(8 + 1e-5)]);
  // weights 3, 1, 1, 1 (|−1| counts as 1): the weight below value 2 is already 3 ≥ 3 → cut at 2
  assert.deepEqual([...cutsOf(col(1, 2, 3, 4), col(3, -1, 1, 1), 2)], [2, Math.fround(8 + 1e-5)]);
  // ≤ maxBin distinct values: every value its own bin
  assert.deepEqual([...binColumnsTs([col(5, 7, NaN, 6, 100)], [cutsOf(col(5, 7, NaN, 6), null, 255)], 5)], [0, 2, 255, 1, 2]);
  const rng = new Rng(5), n = 300_000;
  const x = Float32Array.from({ length: n }, () => (rng.uniform() < 0.05 ? NaN : rng.normal()));
  const w = Float32Array.from({ length: n }, () => rng.range(-0.5, 2));
  const c = cutsOf(x, w, 64);
  for (let k = 1; k < c.length; k++) assert.ok(c[k] > c[k - 1]);
  assert.ok(c.length <= 64 && c.length >= 60, `${c.length} cuts`);
  // each bin holds ≈ 1/64 of |w| (sampling of 2^18 rows: within 20 %)
  const bins = binColumnsTs([x], [c], n), per = new Float64Array(c.length);
  let W = 0;
  for (let i = 0; i < n; i++) if (bins[i] !== 255) { per[bins[i]] += Math.abs(w[i]); W += Math.abs(w[i]); }
  for (let b = 0; b + 1 < c.length; b++) assert.ok(Math.abs(per[b] / W - 1 / 64) < 0.2 / 64 + 1e-3, `bin ${b}: ${per[b] / W}`);
  if (hasNative) {
    assert.deepEqual([...gbdtNative!.gbdtCuts(x, w, 64, false)], [...c]);
    const nb = new Uint8Array(n);
    gbdtNative!.gbdtBin([x], [c], n, nb);
    assert.deepEqual(nb, bins);
  }
});

function randomData(seed: number, n: number, nf: number, missing: number, negative: number): BoostData {
  const rng = new Rng(seed);
  const columns = Array.from({ length: nf }, () => new Float32Array(n));
  const target = new Float32Array(n), weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nf; j++) columns[j][i] = j === nf - 1 ? Math.floor(rng.uniform() * 5) : rng.normal();
    const logit = columns[0][i] - 0.5 * columns[1][i] ** 2 + 0.8 * columns[2][i] * columns[nf - 1][i];
    target[i] = rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    weight[i] = rng.uniform() < negative ? -0.3 : rng.range(0.2, 2);
    for (let j = 0; j < nf; j++) if (rng.uniform() < missing) columns[j][i] = NaN;
  }
  return { columns, target, weight };
}

const SETTINGS: Array<Partial<GbdtOptions>> = [
  { n_estimators: 8, max_depth: 4, learning_rate: 0.3 },
  { n_estimators: 6, max_depth: 0, grow_policy: 'lossguide', max_leaves: 9, reg_alpha: 0.3, gamma: 0.05 },
  { n_estimators: 6, max_depth: 3, subsample: 0.7, colsample_bytree: 0.5, min_node_fraction: 0.025, reg_lambda: 0.4, max_bin: 32, seed: 7 },
  // the C++ engine's byte-per-row positions up to their limit (depth 8: 128 growing nodes in the last level), and
  // its row-index partition beyond it (depth 9)
  { n_estimators: 1, max_depth: 8, learning_rate: 0.5, min_child_weight: 0 },
  { n_estimators: 1, max_depth: 9, learning_rate: 0.5, min_child_weight: 0, binning: 'quantile' },
];

test('C++ engine grows the same trees as the TypeScript twin (missing values, negative weights, subsampling)', { skip: !hasNative }, () => {
  // 70 000 rows: the histograms are summed in 3 parts (32 768 rows each), in both engines
  const d = randomData(3, 70_000, 5, 0.1, 0.05);
  for (const options of SETTINGS) {
    const objective = logisticObjective(d, 1, 'typescript');  // same g, h bits for both
    const run = (engine: 'native' | 'typescript') => boost({ options, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, objective, engine }).forest;
    const a = run('native'), b = run('typescript');
    assert.equal(a.trees.length, b.trees.length);
    a.trees.forEach((t, k) => {
      for (const key of ['feature', 'threshold', 'left', 'right', 'defaultLeft', 'value', 'gain', 'cover'] as const)
        assert.deepEqual(t[key], b.trees[k][key], `${JSON.stringify(options)} tree ${k} ${key}`);
    });
    assert.ok(a.trees.some((t) => t.feature.length > 7), 'trees grew');
  }
  // the native logistic gradient agrees with the TypeScript one (std::exp and Math.exp: float32 rounding apart)
  const m = Float32Array.from(d.target, (_, i) => Math.sin(i)), g1 = new Float32Array(d.target.length), h1 = new Float32Array(d.target.length);
  const g2 = new Float32Array(d.target.length), h2 = new Float32Array(d.target.length);
  logisticObjective(d, 2, 'native')(m, g1, h1);
  logisticObjective(d, 2, 'typescript')(m, g2, h2);
  for (let i = 0; i < m.length; i++) assert.ok(Math.abs(g1[i] - g2[i]) <= 1e-6 * Math.abs(g2[i]) + 1e-12 && Math.abs(h1[i] - h2[i]) <= 1e-6 * Math.abs(h2[i]) + 1e-12);
});

test('C++ engine without row counts in its histograms (all h > 0): the TypeScript twin\'s trees, and the same on one thread', { skip: !hasNative }, () => {
  // positive weights: every h > 0, so the depth-wise C++ grower sums {g, h} only and counts the routed rows for the
  // choice of the child whose histogram is built; missing values decide their direction on H > 0. The training
  // margins are the grower's own (added in its last pass over the rows): the next rounds' gradients use them.
  const d = randomData(5, 70_000, 5, 0.1, 0);
  const objective = logisticObjective(d, 1, 'typescript');
  for (const options of [{ n_estimators: 8, max_depth: 3, learning_rate: 0.3 }, { n_estimators: 2, max_depth: 8, learning_rate: 0.5, min_child_weight: 0.5 }]) {
    const run = (engine: 'native' | 'typescript') => boost({ options, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, objective, engine }).forest;
    const a = run('native'), b = run('typescript');
    const pool = nativeBinding as NonNullable<typeof nativeBinding>;
    pool.setSerial(true);
    let serial;
    try { serial = run('native'); } finally { pool.setSerial(false); }
    assert.equal(a.trees.length, b.trees.length);
    a.trees.forEach((t, k) => {
      for (const key of ['feature', 'threshold', 'left', 'right', 'defaultLeft', 'value', 'gain', 'cover'] as const) {
        assert.deepEqual(t[key], b.trees[k][key], `${JSON.stringify(options)} tree ${k} ${key}`);
        assert.deepEqual(t[key], serial.trees[k][key], `one thread: ${JSON.stringify(options)} tree ${k} ${key}`);
      }
    });
    assert.ok(a.trees.some((t) => t.defaultLeft.some((x, j) => t.feature[j] >= 0 && x === 1)), 'some missing values go left');
    assert.ok(a.trees[a.trees.length - 1].feature.length > 7, 'trees grew');
  }
});

test('scoring: C++ = TypeScript on raw values with NaN; the binned margin matches the raw-value margin; JSON round trip', () => {
  const d = randomData(4, 6000, 5, 0.1, 0);
  const r = boost({ options: { n_estimators: 10, max_depth: 5 }, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, engine: 'typescript' });
  const t = randomData(9, 3000, 5, 0.15, 0);
  const ref = marginsTs(r.forest, t.columns, 3000);
  assert.deepEqual(margins(r.forest, t.columns, 3000), ref);
  // training rows: the sum of tree outputs from raw values equals the booster's own (binned) running score
  const ll = logLoss(d)(marginsTs(r.forest, d.columns, 6000));
  const r2 = boost({ options: { n_estimators: 10, max_depth: 5 }, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, valid: d, engine: 'typescript' });
  assert.equal(r2.history[9], ll);
  const dir = mkdtempSync(join(tmpdir(), 'gbdt-'));
  try {
    saveForest(r.forest, join(dir, 'm.json'));
    assert.deepEqual(marginsTs(loadForest(join(dir, 'm.json')), t.columns, 3000), ref);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'fomlab.gbdt/1', inputNames: ['a'], baseMargin: 0, trees: [{ feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [1, -1, -1], defaultLeft: [1, 1, 1], value: [0, 1, 2] }] }));
    assert.throws(() => loadForest(bad), (e: unknown) => e instanceof FomlabError && /bad\.json: trees\[0\] node 0: child 1 must be a later node/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('early stopping keeps the best validation round; same seed, same trees', () => {
  const d = randomData(5, 3000, 5, 0, 0), v = randomData(6, 3000, 5, 0, 0);
  const opts: Partial<GbdtOptions> = { n_estimators: 200, max_depth: 8, learning_rate: 0.5, min_child_weight: 0, subsample: 0.8, early_stopping_rounds: 5, seed: 3 };
  const r = boost({ options: opts, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, valid: v, engine: 'typescript' });
  const best = r.history.indexOf(Math.min(...r.history));
  assert.equal(r.rounds, best + 1);
  assert.equal(r.history.length, best + 1 + 5, 'stopped 5 rounds after the best');
  assert.ok(r.rounds < 50, `overfitting deep trees stop early (${r.rounds})`);
  assert.equal(r.forest.trees.length, r.rounds);
  assert.ok(Math.abs(logLoss(v)(marginsTs(r.forest, v.columns, 3000)) - r.history[best]) < 1e-12);
  const again = boost({ options: opts, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, valid: v, engine: 'typescript' });
  assert.deepEqual(again.forest, r.forest);
  const other = boost({ options: { ...opts, seed: 4 }, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d, valid: v, engine: 'typescript' });
  assert.notDeepEqual(other.forest.trees[0].threshold, r.forest.trees[0].threshold);
  assert.throws(() => boost({ options: { max_bin: 300 }, inputNames: ['a', 'b', 'c', 'd', 'e'], train: d }), /model\.max_bin: must be an integer in 2…256/);
});
