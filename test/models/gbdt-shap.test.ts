// Exact TreeSHAP (Lundberg et al. 2018, Algorithm 2, path-dependent): against brute-force Shapley values over all
// feature subsets of the conditional expectation E[f(x) | x_S] with the node covers (the definition the algorithm
// computes in polynomial time), against XGBoost 1.7's predict(pred_contribs=True) on the imported fixture models,
// and the sum rule Σφ + bias = margin; mean |φ| and XGBoost's mean 'gain' / 'cover' importances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { boost } from '../../src/models/gbdt/boost.js';
import { marginsTs, type Forest, type RawTree } from '../../src/models/gbdt/forest.js';
import { loadXgboostModel } from '../../src/models/gbdt/xgboost.js';
import { meanAbsShap, treeShap } from '../../src/models/gbdt/shap.js';
import { importances, meanImportances } from '../../src/models/gbdt/forest.js';

const dir = new URL('../fixtures/xgboost/', import.meta.url);

/** E[f_t(x) | x_S]: a node on a feature in S follows x; any other splits the expectation by the children's covers. */
function conditional(t: RawTree, x: number[], inS: boolean[], k = 0): number {
  const j = t.feature[k];
  if (j < 0) return t.value[k];
  if (inS[j]) {
    const v = x[j];
    return conditional(t, x, inS, Number.isNaN(v) ? (t.defaultLeft[k] ? t.left[k] : t.right[k]) : v < t.threshold[k] ? t.left[k] : t.right[k]);
  }
  const c = t.cover as Float64Array;
  return (c[t.left[k]] * conditional(t, x, inS, t.left[k]) + c[t.right[k]] * conditional(t, x, inS, t.right[k])) / c[k];
}

/** φ_j = Σ_{S ⊆ F∖{j}} |S|!(M−|S|−1)!/M! (v(S ∪ {j}) − v(S)), v(S) = base + Σ_t E[f_t | x_S]; bias = v(∅). */
function bruteForce(f: Forest, x: number[]): { phi: number[]; bias: number } {
  const M = x.length, fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const v = (mask: number): number => f.trees.reduce((s, t) => s + conditional(t, x, x.map((_, j) => ((mask >> j) & 1) === 1)), f.baseMargin);
  const values = Array.from({ length: 1 << M }, (_, mask) => v(mask));
  const phi = x.map((_, j) => {
    let s = 0;
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> j) & 1) continue;
      let size = 0;
      for (let b = mask; b; b >>= 1) size += b & 1;
      s += ((fact(size) * fact(M - size - 1)) / fact(M)) * (values[mask | (1 << j)] - values[mask]);
    }
    return s;
  });
  return { phi, bias: values[0] };
}

const columnsOf = (rows: number[][], nf: number) => Array.from({ length: nf }, (_, j) => Float32Array.from(rows, (r) => r[j]));

test('TreeSHAP = brute-force Shapley values over all feature subsets (fomlab-grown trees, repeated features, missing values)', () => {
  const rng = new Rng(5), n = 3000, nf = 4;
  const cols = Array.from({ length: nf }, () => new Float32Array(n));
  const target = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nf; j++) cols[j][i] = rng.uniform() < 0.1 ? NaN : rng.normal();
    const z = (cols[0][i] || 0) - (cols[1][i] || 0) ** 2 + (cols[2][i] || 0) * (cols[3][i] || 0);
    target[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const { forest } = boost({ options: { n_estimators: 6, max_depth: 4, learning_rate: 0.3 }, inputNames: ['a', 'b', 'c', 'd'], train: { columns: cols, target, weight: null }, engine: 'typescript' });
  // a path that splits twice on one feature is what UNWIND is for: make sure the test has one
  assert.ok(forest.trees.some((t) => { const seen = (k: number, on: Set<number>): boolean => t.feature[k] >= 0 && (on.has(t.feature[k]) || seen(t.left[k], new Set([...on, t.feature[k]])) || seen(t.right[k], new Set([...on, t.feature[k]]))); return seen(0, new Set()); }));
  const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => cols.map((c) => c[i]));
  rows.push([NaN, NaN, NaN, NaN], [0.1, -2, NaN, 1.5]);
  const a = treeShap(forest, columnsOf(rows, nf), rows.length);
  const m = marginsTs(forest, columnsOf(rows, nf), rows.length);
  rows.forEach((x, i) => {
    const b = bruteForce(forest, x);
    assert.ok(Math.abs(a.bias - b.bias) < 1e-9, `bias ${a.bias} vs ${b.bias}`);
    b.phi.forEach((want, j) => assert.ok(Math.abs(a.phi[i * nf + j] - want) < 1e-9, `row ${i} feature ${j}: ${a.phi[i * nf + j]} vs brute force ${want}`));
    const sum = b.phi.reduce((s, p) => s + p, a.bias);
    assert.ok(Math.abs(sum - m[i]) < 1e-5, `Σφ + bias ${sum} vs margin ${m[i]}`);
  });
});

test('TreeSHAP = XGBoost pred_contribs on the imported models (4 models × 40 rows), and brute force on them', () => {
  const shap = JSON.parse(readFileSync(new URL('shap.json', dir), 'utf8')) as Record<string, { contribs: number[][] }>;
  for (const [name, e] of Object.entries(shap)) {
    const f = loadXgboostModel(new URL(`${name}.model.json`, dir).pathname);
    const ex = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as { rows: Array<Array<number | null>>; margin: number[] };
    const rows = ex.rows.slice(0, 40).map((r) => r.map((v) => (v === null ? NaN : v)));
    const a = treeShap(f, columnsOf(rows, 5), rows.length);
    rows.forEach((x, i) => {
      const want = e.contribs[i];
      // XGBoost sums in float32: 1e-5 relative to the row's largest attribution
      const scale = Math.max(...want.map(Math.abs));
      for (let j = 0; j < 5; j++) assert.ok(Math.abs(a.phi[i * 5 + j] - want[j]) <= 2e-6 * scale + 1e-6, `${name} row ${i} x${j}: ${a.phi[i * 5 + j]} vs xgboost ${want[j]}`);
      assert.ok(Math.abs(a.bias - want[5]) <= 1e-5 * Math.max(1, Math.abs(want[5])), `${name} bias ${a.bias} vs ${want[5]}`);
      assert.ok(Math.abs(want.reduce((s, v) => s + v, 0) - ex.margin[i]) < 1e-4, 'xgboost: Σ contribs = margin');
      if (i < 3) {
        const b = bruteForce(f, x);
        b.phi.forEach((p, j) => assert.ok(Math.abs(a.phi[i * 5 + j] - p) < 1e-9, `${name} row ${i}: brute force`));
      }
    });
  }
});

test('importances: mean |φ|, and XGBoost get_score gain / cover (mean per split) on the imported models', () => {
  const shap = JSON.parse(readFileSync(new URL('shap.json', dir), 'utf8')) as Record<string, { contribs: number[][]; gain: Record<string, number>; cover: Record<string, number> }>;
  for (const [name, e] of Object.entries(shap)) {
    const f = loadXgboostModel(new URL(`${name}.model.json`, dir).pathname);
    const mean = meanImportances(importances(f));
    f.inputNames.forEach((feature, j) => {
      for (const key of ['gain', 'cover'] as const) {
        const want = e[key][feature] ?? 0;
        assert.ok(Math.abs(mean[key][j] - want) <= 1e-5 * Math.abs(want), `${name} ${feature} ${key}: ${mean[key][j]} vs ${want}`);
      }
    });
    // mean |φ| of the 40 rows from XGBoost's own contributions
    const ex = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as { rows: Array<Array<number | null>> };
    const rows = ex.rows.slice(0, 40).map((r) => r.map((v) => (v === null ? NaN : v)));
    const ours = meanAbsShap(treeShap(f, columnsOf(rows, 5), 40), 40);
    for (let j = 0; j < 5; j++) {
      const want = e.contribs.reduce((s, r) => s + Math.abs(r[j]), 0) / 40;
      assert.ok(Math.abs(ours[j] - want) <= 1e-5 * Math.max(want, 1e-3), `${name} mean |φ_${j}| ${ours[j]} vs ${want}`);
    }
  }
});
