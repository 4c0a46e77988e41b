import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { tensor } from '../../src/core/index.js';
import { discoFast } from '../../src/core/kernels/disco.js';
import { radixOrder } from '../../src/core/ops/radix.js';
import { distanceCorrelation } from '../../src/evaluate/disco.js';
import { discoTerm } from '../../src/losses/disco.js';

// independent references: test/fixtures/vectors/disco.json (NumPy float64, the public DisCo
// reference's distance_corr) and src/evaluate/disco.ts (the O(n²) double-centred matrices)
const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/disco.json', import.meta.url), 'utf8')) as {
  x: number[]; y: number[]; weights: number[]; disco_power1: number; disco_unweighted: number;
};

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300), `${what}: ${a} vs ${b}`);
}

const quadratic = (x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | null): number =>
  distanceCorrelation(Float64Array.from(x), Float64Array.from(y), w ? Float64Array.from(w) : null, { maxEvents: 1e9 }).value;

/** a random weighted set; `grid` > 0 rounds x and y to it (many ties) */
function randomSet(rng: Rng, n: number, grid: number, negative: boolean): { x: Float64Array; y: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), y = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = 100 + 80 * rng.uniform();
    x[i] = 1 / (1 + Math.exp(-(rng.normal() + (m - 140) / 30))); // output correlated with the mass
    y[i] = m;
    if (grid > 0) { x[i] = Math.round(x[i] * grid) / grid; y[i] = 100 + Math.round((m - 100) / 80 * grid) * (80 / grid); }
    w[i] = negative && rng.uniform() < 0.1 ? -0.3 * rng.uniform() : 0.2 + rng.uniform();
  }
  return { x, y, w };
}

test('disco.json: the O(n log n) weighted and unweighted DisCo equal the NumPy reference to 1e-9', () => {
  close(discoFast(v.x, v.y, v.weights).value, v.disco_power1, 1e-9, 'weighted');
  close(discoFast(v.x, v.y, null).value, v.disco_unweighted, 1e-9, 'unweighted');
  // x ↔ y symmetric, weight scale irrelevant, translation and scale of either variable irrelevant
  close(discoFast(v.y, v.x, v.weights).value, v.disco_power1, 1e-9, 'swapped');
  close(discoFast(v.x, v.y, v.weights.map((q) => 7 * q)).value, v.disco_power1, 1e-9, 'scaled weights');
  close(discoFast(v.x.map((q) => 3 * q - 50), v.y.map((q) => q / 1000 + 9), v.weights).value, v.disco_power1, 1e-9, 'affine');
});

test('DisCo fast = O(n²) definition on random weighted sets, continuous and with ties, to 1e-9', () => {
  const rng = new Rng(13);
  for (const n of [2, 3, 17, 256, 1500]) {
    for (const grid of [0, 5, 40]) {
      for (const negative of [false, true]) {
        const s = randomSet(rng, n, grid, negative);
        let sum = 0;
        for (const q of s.w) sum += q;
        if (!(sum > 0)) continue;
        const ref = quadratic(s.x, s.y, s.w);
        const fast = discoFast(s.x, s.y, s.w).value;
        assert.ok(Math.abs(fast - ref) <= 1e-9 * Math.max(Math.abs(ref), 1e-6), `n=${n} grid=${grid} negative=${negative}: ${fast} vs ${ref}`);
      }
    }
  }
  // x with all values equal but one, and exact-duplicate events
  const x = [0.5, 0.5, 0.5, 0.9, 0.5, 0.5], y = [101, 150, 150, 170, 101, 120], w = [1, 2, 0.5, 1, 1, 3];
  close(discoFast(x, y, w).value, quadratic(x, y, w), 1e-9, 'tied output');
  // constant output: no dependence, 0 and a zero gradient (not NaN)
  const g = new Float64Array(4);
  assert.equal(discoFast([0.3, 0.3, 0.3, 0.3], [1, 2, 3, 4], null, g).value, 0);
  assert.deepEqual(Array.from(g), [0, 0, 0, 0]);
  // a NaN output (a diverged net) or mass: NaN value and gradient, returned (equal-value groups never end on NaN)
  for (const [xn, yn] of [[[0.1, NaN, 0.3], [1, 2, 3]], [[0.1, 0.2, 0.3], [1, Infinity, 3]]]) {
    const gn = new Float64Array(3);
    assert.ok(Number.isNaN(discoFast(xn, yn, null, gn).value));
    assert.ok(gn.every(Number.isNaN));
  }
});

test('DisCo gradient ∂R/∂x = central finite differences (weighted, ties in the mass, and in the output away from the probed events)', () => {
  const rng = new Rng(5);
  const s = randomSet(rng, 120, 0, false);
  for (let i = 0; i < 120; i++) s.y[i] = 100 + Math.round((s.y[i] - 100) / 8) * 8; // tied masses
  for (let i = 60; i < 120; i++) s.x[i] = Math.round(s.x[i] * 4) / 4; // tied outputs in the second half
  const g = new Float64Array(120);
  const R = discoFast(s.x, s.y, s.w, g).value;
  close(R, quadratic(s.x, s.y, s.w), 1e-9, 'value');
  const h = 1e-6;
  let checked = 0;
  for (let k = 0; k < 120; k++) {
    if (k >= 60 && s.x.some((q, j) => j !== k && q === s.x[k])) continue; // |·| has a kink at a tie
    const a = s.x.slice(), b = s.x.slice();
    a[k] += h; b[k] -= h;
    const fd = (quadratic(a, s.y, s.w) - quadratic(b, s.y, s.w)) / (2 * h);
    assert.ok(Math.abs(fd - g[k]) <= 1e-6 * Math.abs(R) + 1e-5 * Math.abs(fd), `k=${k}: ${g[k]} vs ${fd}`);
    checked++;
  }
  assert.equal(checked, 60); // the 60 untied outputs (the rounded half is all tied)
  // the gradient is invariant to the weights' scale and its sum over events is 0 (translation invariance)
  let total = 0;
  for (const q of g) total += q;
  assert.ok(Math.abs(total) < 1e-10, `Σ∂R/∂x = ${total}`);
});

test('discoTerm: a scalar tensor whose backward is the kernel gradient; the mass order may be passed in', () => {
  const rng = new Rng(8);
  const s = randomSet(rng, 300, 0, false);
  const p = tensor(s.x, [300], { dtype: 'float64', requiresGrad: true });
  const L = discoTerm(p, s.y, s.w);
  L.backward();
  const g = new Float64Array(300);
  const R = discoFast(s.x, s.y, s.w, g).value;
  assert.equal(L.data[0], R);
  assert.deepEqual(Array.from(p.grad ?? []), Array.from(g));
  const again = discoTerm(tensor(s.x, [300], { dtype: 'float64' }), s.y, s.w, radixOrder(Float64Array.from(s.y)));
  assert.equal(again.data[0], R);
  assert.throws(() => discoTerm(p, s.y.subarray(1), s.w), /DisCo: output has 300 events, mass 299/);
  assert.throws(() => discoFast([1, 2], [1, 2], [1, -1]), /weights sum to 0/);
  assert.throws(() => discoFast([1, 2, 3], [1, 2, 3], null, null, Int32Array.from([0, 0, 1])), /yOrder is not a permutation/);
});

test('radixOrder: stable ascending order of float64 values incl. negatives, ±0 and values equal in float32', () => {
  const vals = Float64Array.from([3, -1, 0, -0, 1 + 1e-12, 1, -1e300, 1e300, 1, -2.5, 1 + 2e-12]);
  const o = Array.from(radixOrder(vals));
  const ref = Array.from(vals.keys()).sort((i, j) => vals[i] - vals[j] || i - j);
  assert.deepEqual(o.map((i) => vals[i] + 0), ref.map((i) => vals[i] + 0)); // +0: −0 and 0 are one value
  assert.deepEqual(o.filter((i) => vals[i] === 1), [5, 8]);
});
