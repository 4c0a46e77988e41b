import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsort, gradcheck, radixOrder, Rng, tensor } from '../../src/core/index.js';
import { ERROR_MEASURES, eventErrors, lovaszExtension, lovaszZLoss, SignificanceDelta } from '../../src/losses/lovasz-z.js';

// Independent Δ_Z of a subset M: 1 − Z_A(S − s_M, b_M + β)/Z_A(S, β), Z_A = √(2((s+b)ln(1+s/b) − s)).
const zA = (s: number, b: number): number => (s > 0 ? Math.sqrt(2 * ((s + b) * Math.log(1 + s / b) - s)) : 0);
function deltaByHand(labels: number[], w: number[], member: boolean[], floor: number): number {
  let S = 0, B = 0, sM = 0, bM = 0;
  labels.forEach((y, i) => {
    if (y) { S += w[i]; if (member[i]) sM += w[i]; } else { B += w[i]; if (member[i]) bM += w[i]; }
  });
  return 1 - zA(S - sM, bM + floor * B) / zA(S, floor * B);
}
const subsets = (n: number): boolean[][] => Array.from({ length: 1 << n }, (_, m) => Array.from({ length: n }, (_, i) => ((m >> i) & 1) === 1));
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

const labels = [1, 0, 1, 0, 0, 1], weights = [0.75, 2, 1.25, 0.5, 3, 0.375], floor = 0.0625; // exact in float32
const y32 = Float32Array.from(labels), w32 = Float32Array.from(weights);

test('Δ_Z: 0 on ∅, 1 on every event, monotone, equal to the hand formula on every subset', () => {
  const delta = new SignificanceDelta(y32, w32, floor);
  const all = subsets(labels.length);
  for (const m of all) assert.ok(Math.abs(delta.of(m) - deltaByHand(labels, weights, m, floor)) < 1e-12);
  assert.equal(delta.of(all[0]), 0);
  assert.ok(Math.abs(delta.of(all[all.length - 1]) - 1) < 1e-12);
  for (const a of all) for (let i = 0; i < labels.length; i++) if (!a[i]) {
    const b = a.slice(); b[i] = true;
    assert.ok(delta.of(b) >= delta.of(a) - 1e-12, 'adding an event to M never lowers Δ');
  }
});

test('Lovász extension: a hand-derived value on two events', () => {
  // signal p = 0.8 (sigmoid error 0.2), background p = 0.3 (error 0.3), unit weights, floor 0.01 (β = 0.01):
  // order (background, signal); Δ({b}) = 1 − Z_A(1, 1.01)/Z_A(1, 0.01) = 1 − 0.8755005726/2.706019853 = 0.6764618812,
  // Δ̄ = 0.3·Δ({b}) + 0.2·(1 − Δ({b})) = 0.2676461881
  const v = lovaszZLoss(tensor([0.8, 0.3], [2], { dtype: 'float64' }), Float32Array.of(1, 0), Float32Array.of(1, 1), { error: 'sigmoid', gamma: 2, significance: 'asimov', floor: 0.01 }).item();
  assert.ok(Math.abs(v - 0.2676461881) < 1e-9, `Δ̄ = ${v}`);
});

test('Lovász extension = brute force: indicator vectors, the permutation that sorts m among all n!, the integral over thresholds', () => {
  const n = labels.length, delta = new SignificanceDelta(y32, w32, floor);
  // Δ̄(1_A) = Δ(A) on every subset A
  for (const a of subsets(n)) {
    const v = lovaszExtension(tensor(a.map((x) => (x ? 1 : 0)), [n], { dtype: 'float64' }), delta).item();
    assert.ok(Math.abs(v - deltaByHand(labels, weights, a, floor)) < 1e-12, `Δ̄(1_A) ${v}`);
  }
  const m = [0.31, 1.7, 0.05, 0.9, 0.62, 1.2];
  const got = lovaszExtension(tensor(m, [n], { dtype: 'float64' }), delta).item();
  // every permutation: the greedy sum Σ_k m_σk (Δ(S_k) − Δ(S_k−1)) of the one listing m in descending order
  let viaPermutation = NaN;
  for (const perm of permutations(n)) {
    if (!perm.every((i, k) => k === 0 || m[perm[k - 1]] >= m[i])) continue;
    const member = new Array<boolean>(n).fill(false);
    let prev = 0, total = 0;
    for (const i of perm) { member[i] = true; const d = deltaByHand(labels, weights, member, floor); total += m[i] * (d - prev); prev = d; }
    viaPermutation = total;
  }
  assert.ok(Math.abs(got - viaPermutation) < 1e-12, `${got} vs ${viaPermutation}`);
  // the definition Δ̄(m) = ∫₀^∞ Δ({i : m_i ≥ t}) dt (midpoint rule on 200 000 steps; Δ of a level set is constant between the m_i)
  const steps = 200_000, top = Math.max(...m), h = top / steps;
  let integral = 0;
  for (let k = 0; k < steps; k++) { const t = (k + 0.5) * h; integral += h * deltaByHand(labels, weights, m.map((x) => x >= t), floor); }
  assert.ok(Math.abs(got - integral) < 1e-4, `${got} vs ∫ ${integral}`);
});

test('Lovász-Z loss: gradient with respect to the outputs matches finite differences for each error measure and Δ_ζ', () => {
  const p0 = [0.9, 0.2, 0.6, 0.35, 0.55, 0.08];
  for (const error of ERROR_MEASURES) for (const significance of ['asimov', 'simple'] as const) {
    const p = tensor(p0, [6], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck((q) => lovaszZLoss(q, y32, w32, { error, gamma: 2, significance, floor }), [p], { eps: 1e-7, atol: 1e-7, rtol: 1e-5 });
    assert.ok(r.worst <= 1, `${error}/${significance}: worst ${r.worst} at ${r.where}`);
  }
  // the error measures at one event (signal, p = 0.8): hinge 1 − ln 4 < 0 → 0; sigmoid 0.2; CE −ln 0.8; focal 0.2²·(−ln 0.8)
  const e = (measure: (typeof ERROR_MEASURES)[number], p: number, y: number): number => eventErrors(tensor([p], [1], { dtype: 'float64' }), Float32Array.of(y), measure, 2).item();
  assert.equal(e('hinge', 0.8, 1), 0);
  assert.ok(Math.abs(e('hinge', 0.6, 0) - (1 - Math.log(0.4 / 0.6))) < 1e-12); // background p = 0.6: margin ln(0.4/0.6)
  assert.ok(Math.abs(e('sigmoid', 0.8, 1) - 0.2) < 1e-12);
  assert.ok(Math.abs(e('cross-entropy', 0.8, 1) + Math.log(0.8)) < 1e-12);
  assert.ok(Math.abs(e('focal', 0.8, 1) + 0.04 * Math.log(0.8)) < 1e-12);
});

test('Δ_Z does not depend on the weights\' scale (luminosity, batch share)', () => {
  const p = tensor([0.9, 0.2, 0.6, 0.35, 0.55, 0.08], [6], { dtype: 'float64' });
  const o = { error: 'cross-entropy' as const, gamma: 2, significance: 'asimov' as const, floor };
  const a = lovaszZLoss(p, y32, w32, o).item(), b = lovaszZLoss(p, y32, Float32Array.from(weights, (w) => 250 * w), o).item();
  assert.ok(Math.abs(a - b) < 1e-6 * Math.abs(a), `${a} vs ${b}`); // float32 weights: 1e-7 rounding
});

test('the radix sort of the errors gives argsort\'s stable descending order (ties, ±0, negatives, float32 and float64)', () => {
  const rng = new Rng(5);
  const cases: number[][] = [[], [3], [0, -0, 0, 1, -1, 1, 0], [2.5, -1e300, 1e-310, -1e-310, Infinity, -Infinity, 0, 2.5]];
  cases.push(Array.from({ length: 5000 }, () => Math.round(rng.uniform() * 50) / 7 - 3)); // many ties
  cases.push(Array.from(new Float32Array(20000).map(() => rng.normal() * 1e3))); // float32 values (low word 0: skipped passes)
  cases.push(Array.from({ length: 20000 }, () => rng.uniform() * 1e-3 + 1)); // float64, common high bits
  for (const c of cases) {
    const want = argsort(tensor(c.length ? c : [0], [Math.max(1, c.length)], { dtype: 'float64' }), -1, true).subarray(0, c.length);
    assert.deepEqual(Array.from(radixOrder(c, true)), Array.from(want), `case of ${c.length}`);
  }
});
