// TMVA-style AdaBoost (booster: adaboost): two boosting rounds on 10 events derived by hand, that it learns a toy
// set, and the config's TMVA defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { adaBoost, ADABOOST_DEFAULTS } from '../../src/models/gbdt/adaboost.js';
import { marginsTs } from '../../src/models/gbdt/forest.js';
import { parseConfig } from '../../src/config/load.js';

test('AdaBoost by hand: 10 events, stumps with 8 equidistant cuts, β = ½', () => {
  // x = 0…9 (cuts 1…8 between min 0 and max 9), signal at x = 2, 5, 6, 8, 9.
  // Tree 1 (Gini W·p(1−p) summed over the children): cut 5 → 0.8 + 0.8 = 1.6, the least (cut 6: 1.333 + 0.75,
  //   cut 3: 0.667 + 1.714, …); it misclassifies x = 2 and x = 7: err = 2/10, α = ½·ln(0.8/0.2) = ln 2,
  //   their weights × e^α = 2, then all × 10/12: 5/3 for x = 2, 7, 5/6 for the others (Σs = Σb = 5).
  // Tree 2: parent 5·5/10 = 2.5; cut 2 → 0 + 5·(10/3)/(25/3) = 2.0 and cut 8 → 2.0 + 0 tie (the first is kept),
  //   every other cut ≥ 2.22; x ≥ 2 is signal (purity 5/(25/3) > ½), misclassifying x = 3, 4, 7:
  //   err = (5/6 + 5/6 + 5/3)/10 = 1/3, α = ½·ln 2.
  const x = Float32Array.from({ length: 10 }, (_, i) => i);
  const y = Float32Array.from([0, 0, 1, 0, 0, 1, 1, 0, 1, 1]);
  const r = adaBoost({ columns: [x], target: y, weight: null }, ['x'], { n_estimators: 2, max_depth: 1, min_node_fraction: 0, n_cuts: 8, ada_beta: 0.5 });
  assert.equal(r.forest.trees.length, 2);
  assert.ok(Math.abs(r.errors[0] - 0.2) < 1e-12 && Math.abs(r.errors[1] - 1 / 3) < 1e-12, `errors ${r.errors}`);
  assert.ok(Math.abs(r.alphas[0] - Math.LN2) < 1e-12 && Math.abs(r.alphas[1] - Math.LN2 / 2) < 1e-12, `alphas ${r.alphas}`);
  assert.deepEqual([r.forest.trees[0].threshold[0], r.forest.trees[1].threshold[0]], [5, 2]);
  // stored leaves 2α·h: margin = 2F = 2(α1 h1 + α2 h2)
  const m = marginsTs(r.forest, [x], 10);
  const h1 = [-1, -1, -1, -1, -1, 1, 1, 1, 1, 1], h2 = [-1, -1, 1, 1, 1, 1, 1, 1, 1, 1];
  for (let i = 0; i < 10; i++) assert.ok(Math.abs(m[i] - 2 * (Math.LN2 * h1[i] + (Math.LN2 / 2) * h2[i])) < 1e-6, `event ${i}: ${m[i]}`);
});

test('AdaBoost learns a toy set: held-out AUC near the Bayes limit, training error falls; MinNodeSize is respected', () => {
  const make = (seed: number, n: number) => {
    const rng = new Rng(seed);
    const target = Float32Array.from({ length: n }, (_, i) => i % 2);
    const a = Float32Array.from(target, (t) => (t ? 1 : -1) * 0.7 + rng.normal()), b = Float32Array.from(target, (t) => (t ? 0.5 : 0) + rng.normal());
    return { columns: [a, b], target, weight: null };
  };
  const train = make(1, 3000), test = make(2, 3000);
  const r = adaBoost(train, ['a', 'b'], { ...ADABOOST_DEFAULTS, n_estimators: 60 });
  const m = marginsTs(r.forest, test.columns, 3000);
  // AUC by pairs of a signal and a background event (ties ½); Bayes: the score a·1.4 + b·0.5 (Gaussians, unit widths)
  const auc = (s: ArrayLike<number>) => {
    let wins = 0, pairs = 0;
    for (let i = 1; i < 3000; i += 2) for (let j = 0; j < 3000; j += 6) { pairs++; wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0; }
    return wins / pairs;
  };
  const bayes = auc(Float32Array.from({ length: 3000 }, (_, i) => 1.4 * test.columns[0][i] + 0.5 * test.columns[1][i]));
  const ours = auc(m);
  assert.ok(ours > bayes - 0.02 && ours > 0.8, `AUC ${ours}, Bayes ${bayes}`);
  assert.ok(r.errors[0] < 0.35 && r.errors.every((e) => e < 0.5), `errors ${r.errors.slice(0, 5)}`);
  for (const t of r.forest.trees) t.feature.forEach((f, k) => { if (f < 0) assert.ok((t.cover as Float64Array)[k] > 0); });
  // every leaf of the first tree (unboosted weights = counts) holds ≥ 2.5 % of 3000 events
  const t0 = r.forest.trees[0];
  t0.feature.forEach((f, k) => { if (f < 0) assert.ok((t0.cover as Float64Array)[k] >= 75, `leaf ${k} holds ${(t0.cover as Float64Array)[k]}`); });
});

test('booster: adaboost takes TMVA\'s defaults (NTrees 850, MaxDepth 3, MinNodeSize 2.5 %, nCuts 20, β ½) unless set', () => {
  const parse = (model: string) => parseConfig(`data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\nmodel: ${model}\n`, 'c.yaml').model as Record<string, unknown>;
  const m = parse('{kind: gbdt, booster: adaboost}');
  assert.deepEqual([m.n_estimators, m.max_depth, m.min_node_fraction, m.n_cuts, m.ada_beta], [850, 3, 0.025, 20, 0.5]);
  const m2 = parse('{kind: gbdt, booster: adaboost, n_estimators: 400, max_depth: 2, ada_beta: 0.3}');
  assert.deepEqual([m2.n_estimators, m2.max_depth, m2.ada_beta], [400, 2, 0.3]);
  assert.equal(parse('{kind: gbdt}').n_estimators, 100);
});
