// fomlab's bin edges and first trees against XGBoost 1.7.4's own (test/fixtures/xgboost/cuts.json, written by
// make_cuts.py with Debian's python3-xgboost). XGBoost does not export its cuts, but its 'hist' split conditions are
// cuts: deep trees on random targets use every one, so the union of their split values per column is the cut list
// (all but the last cut, max + |max| + 1e-5, which no split uses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cutsOf } from '../../src/models/gbdt/binning.js';
import { binTraining, boost } from '../../src/models/gbdt/boost.js';
import { margins, type Forest } from '../../src/models/gbdt/forest.js';

type Tree = Forest['trees'][number];
import { gbdtNative } from '../../src/models/gbdt/native.js';
import { sketchCutsOf } from '../../src/models/gbdt/sketch.js';

interface CutCase { name: string; max_bin: number; columns: number[][]; weight: number[]; split_values: number[][] }
interface XgbTree { left_children: number[]; right_children: number[]; split_indices: number[]; split_conditions: number[]; default_left: number[] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/xgboost/cuts.json', import.meta.url), 'utf8')) as {
  cases: CutCase[];
  trees: { max_bin: number; max_depth: number; eta: number; rounds: number; columns: number[][]; weight: number[]; target: number[]; trees: XgbTree[] };
};

test("sketch cuts are XGBoost's cut values (5000, 300 and 20 000 weighted rows; continuous, tied, 5-valued, skewed columns)", () => {
  let differentFromQuantiles = 0;
  for (const c of fx.cases) {
    const w = Float32Array.from(c.weight);
    c.columns.forEach((values, j) => {
      const x = Float32Array.from(values);
      const cuts = sketchCutsOf(x, w, c.max_bin);
      // (a tied column holds both −0 and +0: one value, as the sketch compares them)
      const xgb = c.split_values[j].map((v) => Math.fround(v) + 0);
      const where = `${c.name} column ${j}`;
      assert.deepEqual([...cuts.subarray(0, -1)].map((v) => v + 0), xgb, where);
      // the last cut: above the maximum by |max| + 1e-5 (XGBoost's MakeCuts)
      const top = x.reduce((a, b) => Math.max(a, b), -Infinity);
      assert.equal(cuts[cuts.length - 1], Math.fround(top + Math.fround(Math.abs(top) + Math.fround(1e-5))), where);
      if (gbdtNative) assert.deepEqual([...gbdtNative.gbdtCuts(x, w, c.max_bin, true)], [...cuts], `${where}: C++ = TypeScript`);
      const q = cutsOf(x, w, c.max_bin);
      if (q.length !== cuts.length || q.some((v, k) => v !== cuts[k])) differentFromQuantiles++;
    });
  }
  // the exact-quantile binning places its edges elsewhere on the continuous columns (hence the option)
  assert.ok(differentFromQuantiles >= 6, `${differentFromQuantiles} columns differ`);
});

/** nodes of a fomlab tree and an XGBoost tree walked together from the roots */
function sameTree(ours: Tree, xgb: XgbTree, where: string): void {
  const walk = (a: number, b: number): void => {
    const leaf = xgb.left_children[b] === -1;
    assert.equal(ours.feature[a] < 0, leaf, `${where} node ${b}: leaf?`);
    if (leaf) {
      // XGBoost's leaf split_condition is η · weight = −η·G/(H + λ)
      assert.ok(Math.abs(ours.value[a] - xgb.split_conditions[b]) < 2e-6, `${where} leaf ${b}: ${ours.value[a]} vs ${xgb.split_conditions[b]}`);
      return;
    }
    assert.equal(ours.feature[a], xgb.split_indices[b], `${where} node ${b}: feature`);
    assert.equal(ours.threshold[a], Math.fround(xgb.split_conditions[b]), `${where} node ${b}: split value`);
    assert.equal(ours.defaultLeft[a], xgb.default_left[b], `${where} node ${b}: missing direction`);
    walk(ours.left[a], xgb.left_children[b]);
    walk(ours.right[a], xgb.right_children[b]);
  };
  walk(0, 0);
}

for (const engine of ['typescript', 'native'] as const) {
  test(`XGBoost's trees grown again: binary:logistic, depth 2, η 0.3, 4 rounds, max_bin 16, weighted 5000 rows (${engine})`, { skip: engine === 'native' && !gbdtNative }, () => {
    const t = fx.trees;
    const train = { columns: t.columns.map((c) => Float32Array.from(c)), target: Float32Array.from(t.target), weight: Float32Array.from(t.weight) };
    // XGBoost 1.7's defaults otherwise: base_score 0.5 (margin 0), λ 1, min_child_weight 1, γ 0
    const r = boost({ options: { n_estimators: t.rounds, max_depth: t.max_depth, learning_rate: t.eta, max_bin: t.max_bin }, inputNames: ['x0', 'x1', 'x2', 'x3'], train, engine });
    assert.equal(r.forest.baseMargin, 0);
    t.trees.forEach((x, k) => sameTree(r.forest.trees[k], x, `tree ${k}`));
  });
}

test('max_bin 256: 256 value bins in a column without NaN (code 255 its top bin, NaN scored right), 255 with NaN', () => {
  const n = 4000;
  // x0 = i (4000 distinct values), signal above 3500: the best split of one depth-1 tree is near x = 3500
  const x0 = Float32Array.from({ length: n }, (_, i) => i), x1 = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i % 13));
  const target = Float32Array.from({ length: n }, (_, i) => (i >= 3500 ? 1 : 0));
  const train = { columns: [x0, x1], target, weight: null };
  for (const engine of gbdtNative ? ['typescript', 'native'] as const : ['typescript'] as const) {
    const r = boost({ options: { n_estimators: 1, max_depth: 1, max_bin: 256 }, inputNames: ['x0', 'x1'], train, engine });
    const t = r.forest.trees[0];
    assert.equal(t.feature[0], 0, engine);
    assert.equal(t.defaultLeft[0], 0, `${engine}: no NaN in training → NaN goes right (XGBoost's default_left false)`);
    // the split sits on the sketch cut nearest to 3500 (bins of ≈ 4000/256 ≈ 16 values)
    assert.ok(Math.abs(t.threshold[0] - 3500) <= 16, `${engine}: ${t.threshold[0]}`);
    assert.ok(margins(r.forest, [Float32Array.of(NaN), Float32Array.of(0)], 1)[0] > 0, `${engine}: NaN scored as the signal side`);
  }
  assert.equal(sketchCutsOf(x0, null, 256).length, 256);
  const B = binTraining(train, 256, 'typescript');
  assert.deepEqual([...B.nBins], [256, 13]);
  assert.equal(B.bins[(n - 1) * 2], 255, 'the top value of x0 is in value bin 255');
  assert.equal(B.bins[0 * 2 + 1], 255, 'x1 = NaN: the missing slot');
});
