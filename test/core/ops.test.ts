// Every op's backward against central finite differences (float64, TypeScript kernels), on
// random shapes drawn from a seeded Rng.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng, Tensor, rand, gradcheck, add, sub, mul, div, neg, exp, log, sqrt, pow, clamp, abs, tanh, sigmoid, relu, leakyRelu, gelu, mish,
  sum, mean, softmax, logSoftmax, binaryCrossEntropy, matmul, linear, reshape, permute, transpose, concat, stack, slice, indexSelect,
  gather, csrSum, segmentSum, scatterAdd, Incidence, noGrad, tensor,
} from '../../src/core/index.js';

const rng = new Rng(2024);
const dim = (lo = 1, hi = 5): number => lo + rng.int(hi - lo + 1);
const T = (shape: number[], lo = -2, hi = 2): Tensor => rand(rng, shape, lo, hi, { dtype: 'float64', requiresGrad: true });

test('add/sub/mul/div with broadcasting (and numbers)', () => {
  for (let rep = 0; rep < 3; rep++) {
    const a = dim(), b = dim(), c = dim();
    const shapes: Array<[number[], number[]]> = [[[a, b], [a, b]], [[a, b, c], [c]], [[a, 1, c], [b, 1]], [[a, b], [1]], [[], [a, b]]];
    for (const [sa, sb] of shapes) {
      gradcheck(add, [T(sa), T(sb)]);
      gradcheck(sub, [T(sa), T(sb)]);
      gradcheck(mul, [T(sa), T(sb)]);
      gradcheck(div, [T(sa), T(sb, 0.5, 2)]);
    }
  }
  gradcheck((x) => div(3, sub(2, mul(x, 0.5))), [T([dim(), dim()])]);
  assert.deepEqual(add(tensor([[1], [2]]), tensor([10, 20, 30])).toArray(), [11, 21, 31, 12, 22, 32]);
});

test('unary maths and activations', () => {
  const s = [dim(), dim()];
  for (const f of [neg, exp, tanh, sigmoid, gelu, mish, (x: Tensor) => pow(x, 3), (x: Tensor) => clamp(x, -0.5, 0.7)]) gradcheck(f, [T(s)]);
  for (const f of [log, sqrt, (x: Tensor) => pow(x, -1.5)]) gradcheck(f, [T(s, 0.2, 3)]);
  // kinked functions away from the kink
  const away = (): Tensor => { const t = T(s); for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]) < 0.05) t.data[i] = 0.3; return t; };
  for (const f of [abs, relu, (x: Tensor) => leakyRelu(x), (x: Tensor) => leakyRelu(x, 0.2)]) gradcheck(f, [away()]);
});

test('sum/mean over all and per axis, softmax, log-softmax', () => {
  const x = [dim(2), dim(2), dim(2)];
  gradcheck((t) => sum(t), [T(x)]);
  gradcheck((t) => mean(t), [T(x)]);
  for (const ax of [0, 1, 2, -1]) {
    gradcheck((t) => sum(t, ax), [T(x)]);
    gradcheck((t) => mean(t, ax, true), [T(x)]);
    gradcheck((t) => softmax(t, ax), [T(x)]);
    gradcheck((t) => logSoftmax(t, ax), [T(x)]);
  }
  const sm = noGrad(() => softmax(tensor([[1, 2, 3]], undefined, { dtype: 'float64' })));
  const e = [1, 2, 3].map(Math.exp), z = e[0] + e[1] + e[2];
  sm.toArray().forEach((v, i) => assert.ok(Math.abs(v - e[i] / z) < 1e-15));
});

test('weighted binary cross-entropy', () => {
  const n = dim(3, 9);
  const y = tensor(Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0)), undefined, { dtype: 'float64' });
  const w = rand(rng, [n], 0.5, 2, { dtype: 'float64' });
  gradcheck((p) => binaryCrossEntropy(p, y, w), [T([n], 0.05, 0.95)]);
  gradcheck((p) => binaryCrossEntropy(p, y, null, 'sum'), [T([n], 0.05, 0.95)]);
});

test('matmul (2-D, batched, shared, transposed) and fused linear with every activation', () => {
  const m = dim(), k = dim(), n = dim(), b = dim(1, 3);
  gradcheck((x: Tensor, y: Tensor) => matmul(x, y), [T([m, k]), T([k, n])]);
  gradcheck((x: Tensor, y: Tensor) => matmul(x, y), [T([b, m, k]), T([b, k, n])]);
  gradcheck((x: Tensor, y: Tensor) => matmul(x, y), [T([b, m, k]), T([k, n])]);
  gradcheck((x: Tensor, y: Tensor) => matmul(x, y), [T([m, k]), T([b, k, n])]);
  for (const transposeA of [false, true]) for (const transposeB of [false, true]) {
    gradcheck((x, y) => matmul(x, y, { transposeA, transposeB }), [T([b, transposeA ? k : m, transposeA ? m : k]), T([b, transposeB ? n : k, transposeB ? k : n])]);
  }
  for (const act of ['identity', 'tanh', 'sigmoid', 'gelu', 'mish'] as const) {
    gradcheck((x, w, bb) => linear(x, w, bb, act), [T([m, k]), T([n, k]), T([n])]);
  }
  gradcheck((x, w) => linear(x, w, null, 'tanh'), [T([b, m, k]), T([n, k])]);
  // x used twice: linear's dx must accumulate
  gradcheck((x, w) => add(linear(x, w, null, 'tanh'), linear(x, w, null, 'sigmoid')), [T([m, k]), T([n, k])]);
});

test('reshape, permute, transpose, concat, stack, slice, indexSelect, gather', () => {
  const a = dim(2), b = dim(2), c = dim(2);
  gradcheck((x) => reshape(x, [-1, a]), [T([b, c, a])]);
  gradcheck((x) => permute(x, [2, 0, 1]), [T([a, b, c])]);
  gradcheck((x) => transpose(x), [T([a, b, c])]);
  gradcheck((x, y) => concat([x, y], 1), [T([a, b, c]), T([a, 2, c])]);
  gradcheck((x, y) => stack([x, y], 1), [T([a, b]), T([a, b])]);
  gradcheck((x) => slice(x, 1, 1, -1), [T([a, b + 2, c])]);
  gradcheck((x) => indexSelect(x, 0, [1, 0, 1, a - 1]), [T([a, b])]);
  gradcheck((x) => indexSelect(x, 1, [0, 0]), [T([a, b, c])]);
  const idx = Int32Array.from({ length: a * 3 * c }, () => rng.int(b));
  gradcheck((x) => gather(x, 1, idx), [T([a, b, c])]);
  assert.deepEqual(permute(tensor([[1, 2, 3], [4, 5, 6]]), [1, 0]).toArray(), [1, 4, 2, 5, 3, 6]);
});

test('segment sum, scatter-add and CSR incidence sum (overlapping windows, coefficients, batch selection)', () => {
  const n = dim(5, 12), H = dim(2, 4);
  const seg = Int32Array.from({ length: n }, () => rng.int(H));
  gradcheck((v) => segmentSum(v, seg, H), [T([n])]);
  gradcheck((base, src) => scatterAdd(base, seg, src), [T([H, 2]), T([n, 2])]);
  // every event in 0–2 hypotheses
  const ev: number[] = [], hy: number[] = [], cf: number[] = [];
  for (let e = 0; e < n; e++) for (let h = 0; h < H; h++) if (rng.uniform() < 0.4) { ev.push(e); hy.push(h); cf.push(rng.range(0.5, 2)); }
  const inc = Incidence.fromPairs(ev, hy, H, n, cf);
  gradcheck((v) => csrSum(v, inc), [T([n])]);
  gradcheck((v) => csrSum(v, Incidence.fromPairs(ev, hy, H, n)), [T([n])]);
  const v = T([n]);
  const full = noGrad(() => csrSum(v, inc)).toArray();
  const expect = new Array<number>(H).fill(0);
  ev.forEach((e, j) => { expect[hy[j]] += v.data[e] * cf[j]; });
  full.forEach((x, h) => assert.ok(Math.abs(x - expect[h]) < 1e-12));
  // a batch of rows [2, 0, 2]: the selected incidence sums the batch as the full one sums its events
  const rows = [2, 0, 2];
  const bv = noGrad(() => indexSelect(v, 0, rows));
  const part = noGrad(() => csrSum(bv, inc.select(rows))).toArray();
  const exp2 = new Array<number>(H).fill(0);
  for (const r of rows) ev.forEach((e, j) => { if (e === r) exp2[hy[j]] += v.data[e] * cf[j]; });
  part.forEach((x, h) => assert.ok(Math.abs(x - exp2[h]) < 1e-12));
});

test('autograd: shared subexpressions accumulate, noGrad records nothing, detach cuts the graph', () => {
  const x = tensor([2], undefined, { dtype: 'float64', requiresGrad: true });
  const y = mul(x, x); // x² → 2x
  const z = add(mul(y, x), y); // x³ + x² → 3x² + 2x = 16
  z.backward();
  assert.equal(x.grad![0], 16);
  const again = add(mul(x, x), 0);
  again.backward(); // accumulates: 16 + 4
  assert.equal(x.grad![0], 20);
  assert.equal(noGrad(() => mul(x, x)).requiresGrad, false);
  assert.equal(mul(x.detach(), 3).requiresGrad, false);
});
