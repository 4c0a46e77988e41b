// Finite-difference checks (float64) for sort/cumsum/pairwise, normalisation and dropout, and
// numbers for batch norm's running statistics (PyTorch semantics) and dropout determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng, Tensor, rand, gradcheck, tensor, noGrad, sort, argsort, cumsum, pairwiseAbsDiff, layerNorm, batchNorm, dropout, mul, zeros, ones,
} from '../../src/core/index.js';

const rng = new Rng(77);
const dim = (lo = 2, hi = 5): number => lo + rng.int(hi - lo + 1);
const T = (shape: number[], lo = -2, hi = 2): Tensor => rand(rng, shape, lo, hi, { dtype: 'float64', requiresGrad: true });

test('argsort/sort (ascending, descending, per axis) and the gather backward', () => {
  const x = tensor([[3, 1, 2], [0, 5, 4]]);
  assert.deepEqual([...argsort(x)], [1, 2, 0, 0, 2, 1]);
  assert.deepEqual([...argsort(x, 1, true)], [0, 2, 1, 1, 2, 0]);
  assert.deepEqual([...argsort(x, 0)], [1, 0, 0, 0, 1, 1]);
  assert.deepEqual(sort(x, -1, true).values.toArray(), [3, 2, 1, 5, 4, 0]);
  assert.deepEqual([...argsort(tensor([1, 1, 0, 1]))], [2, 0, 1, 3]); // stable
  const s = [dim(), dim()];
  gradcheck((t) => sort(t).values, [T(s)]);
  gradcheck((t) => sort(t, 0, true).values, [T(s)]);
});

test('cumsum forward/reverse along each axis', () => {
  assert.deepEqual(cumsum(tensor([[1, 2, 3], [4, 5, 6]])).toArray(), [1, 3, 6, 4, 9, 15]);
  assert.deepEqual(cumsum(tensor([[1, 2, 3], [4, 5, 6]]), 0).toArray(), [1, 2, 3, 5, 7, 9]);
  assert.deepEqual(cumsum(tensor([1, 2, 3]), 0, true).toArray(), [6, 5, 3]);
  const s = [dim(), dim(), dim()];
  for (const ax of [0, 1, 2]) {
    gradcheck((t) => cumsum(t, ax), [T(s)]);
    gradcheck((t) => cumsum(t, ax, true), [T(s)]);
  }
});

test('pairwise absolute differences', () => {
  assert.deepEqual(pairwiseAbsDiff(tensor([1, 4, 2])).toArray(), [0, 3, 1, 3, 0, 2, 1, 2, 0]);
  gradcheck(pairwiseAbsDiff, [T([dim(3, 7)])]);
  gradcheck(pairwiseAbsDiff, [T([dim(3, 7), 1])]);
});

test('layer norm with and without affine', () => {
  const s = [dim(), dim(), dim()];
  gradcheck((x) => layerNorm(x, s[2]), [T(s)]);
  gradcheck((x, w, b) => layerNorm(x, s[2], w, b), [T(s), T([s[2]]), T([s[2]])]);
  gradcheck((x, w, b) => layerNorm(x, s[1] * s[2], w, b), [T(s), T([s[1], s[2]]), T([s[1], s[2]])]);
  const y = noGrad(() => layerNorm(tensor([[1, 2, 3]], undefined, { dtype: 'float64' }), 3, null, null, 0));
  y.toArray().forEach((v, i) => assert.ok(Math.abs(v - [-1, 0, 1][i] * Math.sqrt(1.5)) < 1e-12));
});

test('batch norm: train/eval gradients, [N, C] and [N, C, L]', () => {
  for (const shape of [[dim(3, 6), dim()], [dim(2, 4), dim(), dim()]]) {
    const C = shape[1];
    gradcheck((x, w, b) => batchNorm(x, { weight: w, bias: b, training: true }), [T(shape), T([C]), T([C])]);
    const rm = rand(rng, [C], -1, 1, { dtype: 'float64' }), rv = rand(rng, [C], 0.5, 2, { dtype: 'float64' });
    gradcheck((x, w, b) => batchNorm(x, { runningMean: rm, runningVar: rv, weight: w, bias: b, training: false }), [T(shape), T([C]), T([C])]);
  }
});

test('batch norm running statistics as PyTorch (momentum 0.1, unbiased running variance)', () => {
  const x = tensor([[1, 10], [3, 10], [5, 16]], undefined, { dtype: 'float64' });
  const rm = zeros([2], { dtype: 'float64' }), rv = ones([2], { dtype: 'float64' });
  const y = batchNorm(x, { runningMean: rm, runningVar: rv, training: true, eps: 0 });
  // channel 0: mean 3, biased var 8/3, unbiased 4; channel 1: mean 12, biased var 8, unbiased 12
  assert.deepEqual(rm.toArray().map((v) => +v.toFixed(12)), [0.3, 1.2]);
  assert.deepEqual(rv.toArray().map((v) => +v.toFixed(12)), [0.9 + 0.4, 0.9 + 1.2]);
  assert.ok(Math.abs(y.data[0] + 2 / Math.sqrt(8 / 3)) < 1e-12);
  const e = batchNorm(x, { runningMean: rm, runningVar: rv, training: false, eps: 0 });
  assert.ok(Math.abs(e.data[0] - (1 - 0.3) / Math.sqrt(1.3)) < 1e-12);
});

test('dropout: seeded mask, 1/(1−p) scaling, identity in eval, gradient through the mask', () => {
  const x = ones([1000]);
  const a = dropout(x, 0.3, new Rng(5)), b = dropout(x, 0.3, new Rng(5));
  assert.deepEqual(a.toArray(), b.toArray());
  const kept = a.toArray().filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6));
  assert.ok(Math.abs(kept.length / 1000 - 0.7) < 0.05);
  assert.equal(dropout(x, 0.3, new Rng(5), false), x);
  const t = T([dim(), dim()]);
  gradcheck((u) => mul(dropout(u, 0.4, new Rng(9)), 2), [t]);
});
