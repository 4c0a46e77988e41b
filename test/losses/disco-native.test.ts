// The C++ DisCo kernel (native/src/disco.cc) against its TypeScript twin on float32 data; skipped when not built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { nativeBinding } from '../../src/core/kernels/native.js';
import { discoFast } from '../../src/core/kernels/disco.js';
import { radixOrder } from '../../src/core/ops/radix.js';
import { discoKernel } from '../../src/losses/disco.js';

const skip = nativeBinding ? false : 'native kernels not built or FOMLAB_KERNELS=typescript';

test('native DisCo value and gradient = the twin (both float64 inside) incl. ties, weights, a given mass order', { skip }, () => {
  const rng = new Rng(21);
  for (const [n, grid] of [[2, 0], [9, 3], [1000, 0], [1000, 20], [60_000, 0], [60_000, 50]]) {
    const x = new Float32Array(n), y = new Float32Array(n), w = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = 100 + 80 * rng.uniform();
      x[i] = 1 / (1 + Math.exp(-(rng.normal() + (y[i] - 140) / 40)));
      if (grid) { x[i] = Math.round(x[i] * grid) / grid; y[i] = Math.round(y[i] / 5) * 5; }
      w[i] = 0.1 + rng.uniform();
    }
    const gn = new Float32Array(n), gt = new Float32Array(n);
    const order = radixOrder(Float64Array.from(y, (m) => m - 140)); // any ascending order of y works
    const a = discoKernel(x, y, w, gn, order), b = discoFast(x, y, w, gt);
    for (const k of ['value', 'vxy', 'vxx', 'vyy'] as const) assert.ok(Math.abs(a[k] - b[k]) <= 1e-12 * Math.abs(b[k]) + 1e-300, `n=${n} grid=${grid} ${k}: ${a[k]} vs ${b[k]}`);
    let scale = 0, diff = 0;
    for (let i = 0; i < n; i++) { scale = Math.max(scale, Math.abs(gt[i])); diff = Math.max(diff, Math.abs(gn[i] - gt[i])); }
    assert.ok(diff <= 1e-6 * scale, `n=${n} grid=${grid}: gradient differs by ${diff} (scale ${scale})`);
    // unweighted path
    assert.ok(Math.abs(discoKernel(x, y, null, null).value - discoFast(x, y, null).value) <= 1e-12 * b.value);
  }
});

test('native DisCo input checks: one clear error, no crash', { skip }, () => {
  const x = new Float32Array([0.1, 0.5, 0.9]), y = new Float32Array([100, 120, 170]);
  assert.throws(() => discoKernel(x, y, new Float32Array([1, -1, 0])), /weights sum to 0/);
  assert.throws(() => discoKernel(x, y, null, null, Int32Array.from([0, 0, 1])), /yOrder is not a permutation/);
  assert.throws(() => discoKernel(x, y, null, new Float32Array(2)), /gradient buffer has 2 entries for 3 events/);
  const g = new Float32Array(3);
  assert.ok(Number.isNaN(discoKernel(new Float32Array([0.1, NaN, 0.3]), y, null, g).value) && g.every(Number.isNaN), 'a NaN output gives NaN, no endless loop');
});
