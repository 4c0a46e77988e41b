// The TypeScript kernels against naive reference loops and central finite differences (float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { tsKernels as K, mlpLayout, mlpParamCount, type Activation, type FloatArray } from '../../src/core/kernels/index.js';
import { actScalar, erf } from '../../src/core/kernels/activations.js';
import { maxRelDiff, randArray } from './kernels-util.js';

const ACTS: Activation[] = ['identity', 'tanh', 'sigmoid', 'relu', 'leaky_relu', 'gelu', 'mish'];

test('erf matches known values to 1e-14', () => {
  const known: [number, number][] = [[0, 0], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3.5, 0.9999992569016276], [-1.5, -0.9661051464753108]];
  for (const [x, e] of known) assert.ok(Math.abs(erf(x) - e) < 1e-14, `erf(${x}) = ${erf(x)}`);
});

test('gemm: all four transpose cases, alpha/beta, against a naive triple loop', () => {
  const rng = new Rng(1);
  for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [8, 1, 4], [1, 9, 2]]) {
    for (const tA of [false, true]) for (const tB of [false, true]) {
      const a = randArray(rng, m * k, true), b = randArray(rng, k * n, true), c = randArray(rng, m * n, true);
      const expect = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        expect[i * n + j] = 0.5 * s + 2 * c[i * n + j];
      }
      K.gemm(tA, tB, m, n, k, 0.5, a, b, 2, c);
      assert.ok(maxRelDiff(c, expect) < 1e-12, `gemm ${tA} ${tB} ${m}x${n}x${k}`);
    }
  }
});

test('denseForward equals act(x·Wᵀ + b) by naive loops, every activation', () => {
  const rng = new Rng(2);
  for (const act of ACTS) {
    const n = 5, nIn = 3, nOut = 4;
    const x = randArray(rng, n * nIn, true, 2), w = randArray(rng, nOut * nIn, true), b = randArray(rng, nOut, true), y = new Float64Array(n * nOut);
    K.denseForward(x, w, b, y, n, nIn, nOut, act);
    for (let i = 0; i < n; i++) for (let o = 0; o < nOut; o++) {
      let s = b[o];
      for (let q = 0; q < nIn; q++) s += x[i * nIn + q] * w[o * nIn + q];
      assert.ok(Math.abs(y[i * nOut + o] - actScalar(act, s)) < 1e-14, act);
    }
  }
});

/** central finite difference of f() with respect to arr[i] */
function fd(arr: FloatArray, i: number, f: () => number, h = 1e-6): number {
  const v = arr[i];
  arr[i] = v + h; const up = f();
  arr[i] = v - h; const dn = f();
  arr[i] = v;
  return (up - dn) / (2 * h);
}

test('denseBackward equals finite differences of Σ dy·y for x, W, b (float64), every activation', () => {
  const rng = new Rng(3);
  for (const act of ACTS) for (const [n, nIn, nOut] of [[1, 1, 1], [3, 4, 2], [2, 1, 5]]) {
    const x = randArray(rng, n * nIn, true, 2), w = randArray(rng, nOut * nIn, true), b = randArray(rng, nOut, true), dy = randArray(rng, n * nOut, true);
    const y = new Float64Array(n * nOut);
    const f = (): number => { K.denseForward(x, w, b, y, n, nIn, nOut, act); let s = 0; for (let i = 0; i < y.length; i++) s += y[i] * dy[i]; return s; };
    f();
    const dx = new Float64Array(n * nIn), dw = new Float64Array(nOut * nIn).fill(0.25), db = new Float64Array(nOut).fill(0.5);
    K.denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, b);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(dx[i] - fd(x, i, f)) < 1e-6, `${act} dx`);
    for (let i = 0; i < w.length; i++) assert.ok(Math.abs(dw[i] - 0.25 - fd(w, i, f)) < 1e-6, `${act} dW accumulates`);
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(db[i] - 0.5 - fd(b, i, f)) < 1e-6, `${act} db accumulates`);
  }
  const z = new Float64Array(1);
  assert.throws(() => K.denseBackward(z, z, z, z, null, z, null, 1, 1, 1, 'gelu'), /bias/);
});

test('activateBackward equals finite differences, every activation', () => {
  const rng = new Rng(4);
  for (const act of ACTS) {
    const x = randArray(rng, 9, true, 3), y = new Float64Array(9), dy = randArray(rng, 9, true), dx = new Float64Array(9).fill(1);
    K.activate(act, x, y);
    K.activateBackward(act, x, y, dy, dx);
    for (let i = 0; i < 9; i++) {
      if (act.includes('relu') && Math.abs(x[i]) < 1e-5) continue;
      const g = (actScalar(act, x[i] + 1e-6) - actScalar(act, x[i] - 1e-6)) / 2e-6;
      assert.ok(Math.abs(dx[i] - 1 - dy[i] * g) < 1e-7, `${act} at ${x[i]}`);
    }
  }
});

test('segmentSum, csrSum and csrSumBackward against naive sums', () => {
  const values = new Float64Array([1, 2, 3, 4, 5]), seg = new Int32Array([0, 2, 2, 1, 0]), out = new Float64Array(3).fill(1);
  K.segmentSum(values, seg, out);
  assert.deepEqual(Array.from(out), [7, 5, 6]);
  // hypotheses 0: events {0, 2}, 1: {}, 2: {1, 2, 4} (overlapping windows)
  const offsets = new Int32Array([0, 2, 2, 5]), events = new Int32Array([0, 2, 1, 2, 4]), coef = new Float64Array([1, 2, 0.5, 1, 3]);
  const o = new Float64Array(3);
  K.csrSum(offsets, events, coef, values, o);
  assert.deepEqual(Array.from(o), [1 + 6, 0, 1 + 3 + 15]);
  K.csrSum(offsets, events, null, values, o);
  assert.deepEqual(Array.from(o), [4, 0, 10]);
  const dv = new Float64Array(5);
  K.csrSumBackward(offsets, events, coef, new Float64Array([1, 10, 2]), dv);
  assert.deepEqual(Array.from(dv), [1, 1, 2 + 2, 0, 6]);
});

test('mlpForward/mlpBackward/mlpBce equal finite differences of the composed dense layers (float64)', () => {
  const rng = new Rng(5);
  const net = { sizes: [3, 5, 2, 1], acts: ['tanh', 'gelu', 'sigmoid'] as Activation[] };
  const np = mlpParamCount(net), N = 7;
  const params = randArray(rng, np, true), x = randArray(rng, N * 3, true, 2);
  const rows = new Int32Array([6, 0, 3, 3, 1]), n = rows.length;
  const target = new Float64Array(N).map((_, i) => i % 2), weight = new Float64Array(N).map((_, i) => 0.5 + i);
  const out = new Float64Array(n);
  const loss = (): number => { const g = new Float64Array(np); return K.mlpBce(net, params, x, rows, n, target, weight, g, out); };
  const grads = new Float64Array(np);
  const L = K.mlpBce(net, params, x, rows, n, target, weight, grads, out);
  let ref = 0, ws = 0;
  for (let i = 0; i < n; i++) { const r = rows[i], p = out[i]; ref -= weight[r] * (target[r] * Math.log(p) + (1 - target[r]) * Math.log(1 - p)); ws += weight[r]; }
  assert.ok(Math.abs(L - ref / ws) < 1e-12);
  for (let i = 0; i < np; i++) assert.ok(Math.abs(grads[i] - fd(params, i, loss)) < 1e-6, `bce grad ${i}`);
  const dOut = randArray(rng, n, true), g2 = new Float64Array(np);
  const lin = (): number => { K.mlpForward(net, params, x, rows, n, out); let s = 0; for (let i = 0; i < n; i++) s += out[i] * dOut[i]; return s; };
  K.mlpBackward(net, params, x, rows, n, dOut, g2);
  for (let i = 0; i < np; i++) assert.ok(Math.abs(g2[i] - fd(params, i, lin)) < 1e-6, `backward grad ${i}`);
});

test('sgdStep and adamStep follow the PyTorch rules for two steps (by hand)', () => {
  const p = new Float64Array([1, -2]), g = new Float64Array([0.5, 1]), vel = new Float64Array(2);
  K.sgdStep(p, g, vel, { lr: 0.1, momentum: 0.9, weightDecay: 0.01, firstStep: true });
  // d = g + 0.01·p = [0.51, 0.98]; v = d; p −= 0.1·v
  assert.ok(maxRelDiff(p, [1 - 0.051, -2 - 0.098]) < 1e-15);
  K.sgdStep(p, g, vel, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
  const d2 = [0.5 + 0.01 * 0.949, 1 + 0.01 * -2.098], v2 = [0.9 * 0.51 + d2[0], 0.9 * 0.98 + d2[1]];
  assert.ok(maxRelDiff(p, [0.949 - 0.1 * v2[0], -2.098 - 0.1 * v2[1]]) < 1e-15);
  const q = new Float64Array([1]), m = new Float64Array(1), v = new Float64Array(1);
  K.adamStep(q, new Float64Array([0.2]), m, v, 1, { lr: 0.01 });
  // step 1: m̂ = g, v̂ = g² → p −= lr·g/(|g| + eps)
  assert.ok(Math.abs(q[0] - (1 - 0.01 * 0.2 / (0.2 + 1e-8))) < 1e-15);
  K.adamStep(q, new Float64Array([-0.4]), m, v, 2, { lr: 0.01 });
  const m2 = 0.9 * 0.02 + 0.1 * -0.4, v2b = 0.999 * 0.001 * 0.04 + 0.001 * 0.16;
  const expect = q[0] === q[0] ? (1 - 0.01 * 0.2 / (0.2 + 1e-8)) - 0.01 / (1 - 0.81) * m2 / (Math.sqrt(v2b) / Math.sqrt(1 - 0.999 ** 2) + 1e-8) : 0;
  assert.ok(Math.abs(q[0] - expect) < 1e-15);
});

test('gatherRows copies the selected rows', () => {
  const src = new Float64Array([0, 1, 10, 11, 20, 21]), out = new Float64Array(6);
  K.gatherRows(src, 2, new Int32Array([2, 0, 2]), out);
  assert.deepEqual(Array.from(out), [20, 21, 0, 1, 20, 21]);
});

test('mlpLayout: PyTorch order W0, b0, W1, b1 in the flat buffer', () => {
  const net = { sizes: [4, 8, 1], acts: ['tanh', 'sigmoid'] as Activation[] };
  assert.deepEqual(mlpLayout(net), [{ weightOffset: 0, biasOffset: 32, nIn: 4, nOut: 8 }, { weightOffset: 40, biasOffset: 48, nIn: 8, nOut: 1 }]);
  assert.equal(mlpParamCount(net), 49);
});
