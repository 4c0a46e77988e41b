import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/index.js';
import { processEventWeights, processOmegas, processWeightedOptionsSchema, type ProcessWeightedOptions } from '../../src/losses/process-weighted.js';
import { lossModule, type LossBatch } from '../../src/losses/registry.js';

// two background processes: 1 (σ = 100 fb, N = 10⁴) and 2 (σ = 4 fb, N = 100); L = 50 fb⁻¹
const facts = { 1: { crossSection: 100, nGenerated: 1e4 }, 2: { crossSection: 4, nGenerated: 100 } };
const opts = (o: Partial<ProcessWeightedOptions>): ProcessWeightedOptions => processWeightedOptionsSchema.parse(o);
const omegas = (o: Partial<ProcessWeightedOptions>): number[] => [...processOmegas(facts, 50, opts(o)).entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w);
const close = (a: number[], b: number[], tol = 1e-12): boolean => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= tol * Math.max(1, Math.abs(b[i])));

test('process weights ω = ω1·ω2 (thesis eqs. 6.1–6.2) and √(σL/N) (eq. 5.2), by hand', () => {
  assert.ok(close(omegas({ count: 'inverse', crossSection: 'linear' }), [100 / 1e4, 4 / 100])); // σ/N: the luminosity weight / L
  assert.ok(close(omegas({ count: 'inverse', crossSection: 'root' }), [10 / 1e4, 2 / 100])); // √σ/N
  assert.ok(close(omegas({ count: 'root', crossSection: 'none', n: 4 }), [0.1, 100 ** -0.25])); // N^(−1/4)
  assert.ok(close(omegas({ count: 'inverseLog', crossSection: 'log' }), [Math.log(100) / Math.log(1e4), Math.log(4) / Math.log(100)])); // 0.5, 0.30103
  assert.ok(close(omegas({ count: 'none', crossSection: 'rank' }), [1, 0.5])); // U(σ): 4 fb is the lower of two
  assert.ok(close(omegas({ sqrtLumi: true }), [Math.SQRT1_2, Math.SQRT2])); // √(100·50/10⁴), √(4·50/100)
  assert.throws(() => processOmegas({ 7: { crossSection: 0.5, nGenerated: 10 } }, 50, opts({ crossSection: 'log' })), /data\.processes\.7: process weight ω = .* is not > 0.*ln σ needs σ > 1 fb/);
  // a signal process (σ_ref = 1 fb: ln σ = 0) gets no ω and is not ranked in U(σ): the background's ω as without it
  const withSignal = { ...facts, 0: { crossSection: 1, nGenerated: 5000, signal: true } };
  assert.deepEqual([...processOmegas(withSignal, 50, opts({ count: 'inverseLog', crossSection: 'log' })).keys()].sort(), [1, 2]);
  assert.ok(close([...processOmegas(withSignal, 50, opts({ count: 'none', crossSection: 'rank' })).entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w), [1, 0.5]));
});

test('process-weighted BCE: background weighted by ω of its process, signal balanced to the background sum', () => {
  const labels = Float32Array.of(1, 0, 0, 1, 0), lumiW = Float32Array.of(2, 0.5, 9, 6, 0.5), category = Int32Array.of(0, 1, 2, 0, 1);
  const o = opts({ count: 'inverse', crossSection: 'root' }); // ω1 = 1e-3, ω2 = 0.02
  const w = processEventWeights(labels, lumiW, category, processOmegas(facts, 50, o), true);
  // background: 1e-3, 0.02, 1e-3 (sum 0.022); signal 2, 6 scaled by 0.022/8
  assert.ok(close(Array.from(w), [2 * 0.022 / 8, 1e-3, 0.02, 6 * 0.022 / 8, 1e-3], 1e-6));
  const p = [0.7, 0.4, 0.1, 0.9, 0.2];
  const batch: LossBatch = {
    rows: null, scale: 1, split: { labels, weights: lumiW, balancedWeights: lumiW },
    labels: () => labels, mass: () => lumiW, weights: () => lumiW, incidence: () => { throw new Error('unused'); },
    processes: () => ({ category, facts, lumi: 50 }),
  };
  const ctx = { sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const }, epoch: 0, epochs: 1 };
  const got = lossModule('process-weighted')!.value(tensor(p, [5], { dtype: 'float64' }), batch, o, ctx).item();
  // Σ w ℓ / Σ w, ℓ = −ln p (signal), −ln(1 − p) (background)
  const l = p.map((q, i) => (labels[i] ? -Math.log(q) : -Math.log(1 - q)));
  const want = l.reduce((s, x, i) => s + w[i] * x, 0) / w.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(got - want) < 1e-6 * want, `${got} vs ${want}`);
  assert.throws(() => lossModule('process-weighted')!.value(tensor(p, [5], { dtype: 'float64' }), { ...batch, processes: () => null }, o, ctx), /needs data\.processes/);
});
