// The C++ kernels against their TypeScript twins (float32 tolerance) on random shapes; skipped when not built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { keepKernelsSerial, kernels, nativeKernelsOrNull, tsKernels as T, mlpParamCount, type Activation } from '../../src/core/kernels/index.js';
import { maxRelDiff, randArray } from './kernels-util.js';

const N = nativeKernelsOrNull;
const skip = N ? false : process.env.FOMLAB_KERNELS === 'typescript' ? 'FOMLAB_KERNELS=typescript' : 'native kernels not built (node scripts/build-native.mjs)';
const ACTS: Activation[] = ['identity', 'tanh', 'sigmoid', 'relu', 'leaky_relu', 'gelu', 'mish'];
// the last shape is large enough for the addon to split it over threads
const SHAPES = [[1, 1, 1], [1, 4, 8], [7, 3, 1], [33, 1, 5], [300, 15, 64], [517, 8, 4], [2, 64, 3], [5000, 15, 64]];
const TOL = 2e-5;

test('selector: native when built, Float64Array calls routed to the twin', { skip }, () => {
  assert.equal(kernels.name, process.env.FOMLAB_KERNELS === 'typescript' ? 'typescript' : 'native');
  const y = new Float64Array(2);
  N!.denseForward(new Float64Array([0.5, 1]), new Float64Array([2]), null, y, 2, 1, 1, 'identity');
  assert.deepEqual(Array.from(y), [1, 2]);
});

test('native activate/activateBackward agree with the twin (incl. saturation and tiny x)', { skip }, () => {
  const rng = new Rng(10);
  const x = randArray(rng, 300_000, false, 12) as Float32Array; // > 131072: split over threads
  x.set([0, 1e-6, -1e-6, 3e-4, 88, -88, 100, -100]);
  for (const act of ACTS) {
    const yn = new Float32Array(x.length), yt = new Float32Array(x.length);
    N!.activate(act, x, yn); T.activate(act, x, yt);
    assert.ok(maxRelDiff(yn, yt) < TOL, `${act} forward ${maxRelDiff(yn, yt)}`);
    const dy = randArray(rng, x.length) as Float32Array, dn = new Float32Array(x.length).fill(1), dt = new Float32Array(x.length).fill(1);
    N!.activateBackward(act, x, yt, dy, dn); T.activateBackward(act, x, yt, dy, dt);
    assert.ok(maxRelDiff(dn, dt) < TOL, `${act} backward ${maxRelDiff(dn, dt)}`);
  }
});

test('native fast tanh/sigmoid are accurate to ~1e-6 relative over [-30, 30] (PyTorch-like vectorised approximations)', { skip }, () => {
  const x = Float32Array.from({ length: 60001 }, (_, i) => -30 + i * 0.001);
  for (const [act, exact] of [['tanh', Math.tanh], ['sigmoid', (v: number) => 1 / (1 + Math.exp(-v))]] as [Activation, (v: number) => number][]) {
    const y = new Float32Array(x.length);
    N!.activate(act, x, y);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const e = exact(x[i]);
      if (Math.abs(e) > 1e-30) worst = Math.max(worst, Math.abs(y[i] - e) / Math.abs(e));
    }
    assert.ok(worst < 1e-6, `${act}: worst relative error ${worst}`);
  }
});

test('native gemm agrees with the twin, all transposes', { skip }, () => {
  const rng = new Rng(11);
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [64, 33, 17], [400, 300, 60]]) for (const tA of [false, true]) for (const tB of [false, true]) {
    const a = randArray(rng, m * k), b = randArray(rng, k * n), c0 = randArray(rng, m * n);
    const cn = Float32Array.from(c0), ct = Float32Array.from(c0);
    N!.gemm(tA, tB, m, n, k, 0.7, a, b, 0.3, cn); T.gemm(tA, tB, m, n, k, 0.7, a, b, 0.3, ct);
    assert.ok(maxRelDiff(cn, ct) < TOL * Math.sqrt(k), `gemm ${m}x${n}x${k}`);
    N!.gemm(tA, tB, m, n, k, 1, a, b, 0, cn.fill(NaN));
    assert.ok(cn.every(Number.isFinite), 'beta 0 ignores old NaN');
  }
});

test('native denseForward/denseBackward agree with the twin on random shapes, every activation', { skip }, () => {
  const rng = new Rng(12);
  for (const act of ACTS) for (const [n, nIn, nOut] of SHAPES) {
    const x = randArray(rng, n * nIn, false, 2), w = randArray(rng, nOut * nIn, false, 1 / Math.sqrt(nIn)), b = randArray(rng, nOut);
    const yn = new Float32Array(n * nOut), yt = new Float32Array(n * nOut);
    N!.denseForward(x, w, b, yn, n, nIn, nOut, act); T.denseForward(x, w, b, yt, n, nIn, nOut, act);
    assert.ok(maxRelDiff(yn, yt) < TOL, `${act} forward ${n}x${nIn}x${nOut}: ${maxRelDiff(yn, yt)}`);
    const dy = randArray(rng, n * nOut);
    const g = () => ({ dx: new Float32Array(n * nIn), dw: new Float32Array(nOut * nIn).fill(1), db: new Float32Array(nOut).fill(1) });
    const gn = g(), gt = g();
    N!.denseBackward(x, w, yt, dy, gn.dx, gn.dw, gn.db, n, nIn, nOut, act, b);
    T.denseBackward(x, w, yt, dy, gt.dx, gt.dw, gt.db, n, nIn, nOut, act, b);
    const tol = TOL * Math.sqrt(n);
    assert.ok(maxRelDiff(gn.dx, gt.dx) < TOL, `${act} dx ${n}x${nIn}x${nOut}`);
    assert.ok(maxRelDiff(gn.dw, gt.dw) < tol, `${act} dW ${n}x${nIn}x${nOut}: ${maxRelDiff(gn.dw, gt.dw)}`);
    assert.ok(maxRelDiff(gn.db, gt.db) < tol, `${act} db ${n}x${nIn}x${nOut}`);
    // no parameter gradient wanted (dW and db null, as for integrated gradients through constant weights): the same dx
    const dxOnlyN = new Float32Array(n * nIn), dxOnlyT = new Float32Array(n * nIn);
    N!.denseBackward(x, w, yt, dy, dxOnlyN, null, null, n, nIn, nOut, act, b);
    T.denseBackward(x, w, yt, dy, dxOnlyT, null, null, n, nIn, nOut, act, b);
    assert.deepEqual(dxOnlyN, gn.dx, `${act} dx without dW ${n}x${nIn}x${nOut}`);
    assert.deepEqual(dxOnlyT, gt.dx);
  }
});

test('native segmentSum/csrSum/csrSumBackward agree with the twin; bad arguments throw', { skip }, async () => {
  const rng = new Rng(13);
  const n = 1001, H = 44;
  const v = randArray(rng, n) as Float32Array, seg = Int32Array.from({ length: n }, () => rng.int(H));
  const on = new Float32Array(H), ot = new Float32Array(H);
  N!.segmentSum(v, seg, on); T.segmentSum(v, seg, ot);
  assert.ok(maxRelDiff(on, ot) < 1e-5);
  const offsets = new Int32Array(H + 1), events: number[] = [];
  for (let h = 0; h < H; h++) { for (let j = 0; j < 40; j++) events.push(rng.int(n)); offsets[h + 1] = events.length; }
  const ev = Int32Array.from(events), coef = randArray(rng, ev.length) as Float32Array;
  for (const c of [coef, null]) {
    N!.csrSum(offsets, ev, c, v, on); T.csrSum(offsets, ev, c, v, ot);
    assert.ok(maxRelDiff(on, ot) < 1e-5);
    const dn = new Float32Array(n), dt = new Float32Array(n), dOut = randArray(rng, H);
    N!.csrSumBackward(offsets, ev, c, dOut, dn); T.csrSumBackward(offsets, ev, c, dOut, dt);
    assert.ok(maxRelDiff(dn, dt) < 1e-5);
  }
  assert.throws(() => N!.csrSum(offsets, ev, null, v.subarray(0, 5), on), /range/);
  assert.throws(() => N!.csrSum(Int32Array.of(0, 3, 1), ev, null, v, on), /non-decreasing/);
  const raw = (await import('../../src/core/kernels/native.js')).nativeBinding!;
  assert.throws(() => raw.segmentSum(new Float64Array(3) as unknown as Float32Array, new Int32Array(3), on), /Float32Array expected/);
});

test('native fused MLP (forward, backward, BCE), gatherRows and optimiser steps agree with the twin', { skip }, () => {
  const rng = new Rng(14);
  for (const [sizes, acts] of [[[4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid']], [[15, 64, 64, 1], ['relu', 'gelu', 'sigmoid']], [[1, 3, 1], ['mish', 'sigmoid']]] as [number[], Activation[]][]) {
    const net = { sizes, acts }, np = mlpParamCount(net), E = 3000;
    const params = randArray(rng, np, false, 0.5) as Float32Array, x = randArray(rng, E * sizes[0], false, 2) as Float32Array;
    const target = Float32Array.from({ length: E }, () => (rng.uniform() < 0.3 ? 1 : 0)), weight = Float32Array.from({ length: E }, () => rng.range(0.5, 2));
    for (const [rows, n] of [[null, 1], [null, 2500], [Int32Array.from({ length: 777 }, () => rng.int(E)), 777]] as [Int32Array | null, number][]) {
      const on = new Float32Array(n), ot = new Float32Array(n), gn = new Float32Array(np), gt = new Float32Array(np);
      const ln = N!.mlpBce(net, params, x, rows, n, target, weight, gn, on), lt = T.mlpBce(net, params, x, rows, n, target, weight, gt, ot);
      assert.ok(Math.abs(ln - lt) < 1e-5 * (1 + lt), `${sizes} bce loss ${ln} ${lt}`);
      assert.ok(maxRelDiff(on, ot) < TOL, `${sizes} out`);
      assert.ok(maxRelDiff(gn, gt) < 1e-4, `${sizes} bce grads ${maxRelDiff(gn, gt)}`);
      const dOut = randArray(rng, n) as Float32Array;
      gn.fill(0); gt.fill(0);
      N!.mlpBackward(net, params, x, rows, n, dOut, gn); T.mlpBackward(net, params, x, rows, n, dOut, gt);
      assert.ok(maxRelDiff(gn, gt) < 1e-4 * Math.sqrt(n), `${sizes} backward grads ${maxRelDiff(gn, gt)}`);
      N!.mlpForward(net, params, x, rows, n, on); T.mlpForward(net, params, x, rows, n, ot);
      assert.ok(maxRelDiff(on, ot) < TOL);
    }
  }
  const src = randArray(rng, 50 * 3) as Float32Array, rows = Int32Array.from({ length: 40 }, () => rng.int(50));
  for (const rowLen of [1, 3]) {
    const gn = new Float32Array(40 * rowLen), gt = new Float32Array(40 * rowLen);
    N!.gatherRows(src, rowLen, rows, gn); T.gatherRows(src, rowLen, rows, gt);
    assert.deepEqual(gn, gt);
  }
  assert.throws(() => N!.gatherRows(src, 3, Int32Array.of(50), new Float32Array(3)), /range/);
  const p0 = randArray(rng, 100) as Float32Array, g = randArray(rng, 100) as Float32Array;
  const pn = Float32Array.from(p0), pt = Float32Array.from(p0), vn = new Float32Array(100), vt = new Float32Array(100), mn = new Float32Array(100), mt = new Float32Array(100);
  for (let s = 1; s <= 3; s++) {
    N!.sgdStep(pn, g, vn, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01, firstStep: s === 1 });
    T.sgdStep(pt, g, vt, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01, firstStep: s === 1 });
  }
  assert.ok(maxRelDiff(pn, pt) < 1e-6);
  for (let s = 1; s <= 3; s++) {
    N!.adamStep(pn, g, mn, vn.fill(0), s, { lr: 1e-3, weightDecay: 0.01, decoupled: true });
    T.adamStep(pt, g, mt, vt.fill(0), s, { lr: 1e-3, weightDecay: 0.01, decoupled: true });
  }
  assert.ok(maxRelDiff(pn, pt) < 1e-6);
});

test('serial mode (ensembles): the pool splits work into the same parts, so the numbers are bit-identical', { skip }, () => {
  const rng = new Rng(21);
  const net = { sizes: [15, 64, 64, 1], acts: ['relu', 'gelu', 'sigmoid'] as Activation[] }, np = mlpParamCount(net), E = 20000;
  const params = randArray(rng, np, false, 0.5) as Float32Array, x = randArray(rng, E * 15, false, 2) as Float32Array;
  const target = Float32Array.from({ length: E }, () => (rng.uniform() < 0.3 ? 1 : 0));
  const run = (): [number, Float32Array, Float32Array] => {
    const g = new Float32Array(np), out = new Float32Array(E);
    const loss = N!.mlpBce(net, params, x, null, E, target, null, g, out);
    return [loss, g, out];
  };
  const pooled = run();
  keepKernelsSerial(true);
  try {
    const serial = run();
    assert.equal(serial[0], pooled[0]);
    assert.deepEqual(serial[1], pooled[1]);
    assert.deepEqual(serial[2], pooled[2]);
  } finally {
    keepKernelsSerial(false);
  }
});
