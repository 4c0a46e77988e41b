// FOM-aware boosting: the soft σ_min's gradient with respect to the raw scores against central finite
// differences, the objective's hessian (|g|, positive) and scaling, and that boosting on it lowers the soft σ_min.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { boost } from '../../src/models/gbdt/boost.js';
import { margins } from '../../src/models/gbdt/forest.js';
import { softAsimovLoss, softSigmaMinLoss, softSigmaMinObjective, type HypothesisRows, type SoftSigmaMinParams } from '../../src/models/gbdt/fom.js';
import { rows } from './gbdt-rows.js';

for (const p of [
  { a: 3, b: 1.28155, lumi: 50, form: 'improved', aggregate: 'mean' },
  { a: 5, b: 1.64, lumi: 10, form: 'paper', aggregate: 'logMean' },
] as SoftSigmaMinParams[]) {
  test(`soft σ_min gradient = central finite differences (${p.form}, ${p.aggregate})`, () => {
    const n = 400, r = rows(n), rng = new Rng(2);
    const m = Float32Array.from({ length: n }, () => rng.normal() * 1.5);
    const g = new Float64Array(n);
    const L = softSigmaMinLoss(m, r, p, g);
    assert.ok(L > 0 && Number.isFinite(L));
    // m is float32: step 1/64 keeps m ± δ exact; the loss is smooth on this scale (δ² error ≪ tolerance)
    const delta = 1 / 64;
    for (const i of [0, 1, 2, 4, 8, 57, 123, 399]) {
      const up = Float32Array.from(m), dn = Float32Array.from(m);
      up[i] += delta; dn[i] -= delta;
      const fd = (softSigmaMinLoss(up, r, p) - softSigmaMinLoss(dn, r, p)) / (2 * delta);
      assert.ok(Math.abs(fd - g[i]) <= 1e-4 * Math.abs(g[i]) + 1e-12, `event ${i}: analytic ${g[i]}, finite difference ${fd}`);
    }
    // signal events: raising their score lowers σ_min (g < 0); background: raises it (g > 0)
    assert.ok(g[0] < 0 && g[1] > 0);
    const gg = new Float32Array(n), hh = new Float32Array(n);
    softSigmaMinObjective(r, p)(m, gg, hh);
    let sumH = 0;
    for (let i = 0; i < n; i++) { assert.ok(hh[i] >= 0); assert.ok(Math.abs(hh[i] - Math.abs(gg[i])) <= 1e-6 * hh[i]); sumH += hh[i]; }
    assert.ok(Math.abs(sumH - n / 4) < 1e-3, `Σh = n/4 (${sumH})`);
    assert.ok(Math.abs(gg[57] / gg[123] - g[57] / g[123]) < 1e-5, 'a common positive scale');
  });
}

test('boosting on the soft σ_min lowers it on the training events and generalises to held-out events', () => {
  const n = 4000, r = rows(n), rng = new Rng(3);
  const x = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0) + rng.normal());
  const target = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const p: SoftSigmaMinParams = { a: 3, b: 1.28155, lumi: 50, form: 'improved' };
  const res = boost({ options: { n_estimators: 30, max_depth: 2, learning_rate: 0.3 }, inputNames: ['x'], train: { columns: [x], target, weight: null }, objective: softSigmaMinObjective(r, p) });
  const before = softSigmaMinLoss(new Float32Array(n), r, p), after = softSigmaMinLoss(margins(res.forest, [x], n), r, p);
  assert.ok(after < 0.8 * before, `soft σ_min ${before} → ${after}`);
  const xt = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0) + rng.normal());
  assert.ok(softSigmaMinLoss(margins(res.forest, [xt], n), r, p) < 0.9 * before);
});

test('soft Asimov Z gradient = central finite differences; Z of a hand case', () => {
  const n = 400, r = rows(n), rng = new Rng(4);
  const m = Float32Array.from({ length: n }, () => rng.normal());
  const o = { lumi: 50, signalCrossSection: 2 };
  const g = new Float64Array(n);
  softAsimovLoss(m, r, o, g);
  const delta = 1 / 64;
  for (const i of [0, 1, 2, 4, 8, 57, 123, 399]) {
    const up = Float32Array.from(m), dn = Float32Array.from(m);
    up[i] += delta; dn[i] -= delta;
    const fd = (softAsimovLoss(up, r, o) - softAsimovLoss(dn, r, o)) / (2 * delta);
    assert.ok(Math.abs(fd - g[i]) <= 1e-4 * Math.abs(g[i]) + 1e-12, `event ${i}: analytic ${g[i]}, finite difference ${fd}`);
  }
  assert.ok(g[0] < 0 && g[1] > 0, 'signal up lowers −Z, background up raises it');
  // one hypothesis, all p = ½ (m = 0): ε = ½·Σc^s, B = ½·Σc^b; with Σc^s = 0.04, L σ = 100: S = 2; Σc^b = 8: B = 4;
  // Z = √(2[(6) ln 1.5 − 2]) = 0.9419
  const one: HypothesisRows = { nHypotheses: 1, sigOffsets: Int32Array.of(0, 2), sigEvents: Int32Array.of(0, 1), sigCoef: Float64Array.of(0.02, 0.02), bkgOffsets: Int32Array.of(0, 2), bkgEvents: Int32Array.of(2, 3), bkgCoef: Float64Array.of(3, 5) };
  assert.ok(Math.abs(-softAsimovLoss(new Float32Array(4), one, { lumi: 50, signalCrossSection: 2 }) - Math.sqrt(2 * (6 * Math.log(1.5) - 2))) < 1e-12);
});
