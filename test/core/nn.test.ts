// nn modules: PyTorch parameter names and layouts, default inits, train/eval behaviour, and
// finite-difference checks of whole modules (float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng, Tensor, rand, gradcheck, tensor, zeros, noGrad, Linear, MLP, Sequential, ActivationLayer, LayerNorm, BatchNorm1d, Dropout,
  MultiheadAttention, FeatureEmbedding, kaimingNormal, kaimingUniform, xavierUniform, xavierNormal, calculateGain, softmax,
} from '../../src/core/index.js';

const rng = new Rng(11);
const T = (shape: number[]): Tensor => rand(rng, shape, -1, 1, { dtype: 'float64', requiresGrad: true });

test('parameter names follow torch state_dict keys', () => {
  assert.deepEqual(new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], rng).namedParameters().map(([n, p]) => `${n}:${p.shape}`),
    ['0.weight:8,4', '0.bias:8', '2.weight:4,8', '2.bias:4', '4.weight:1,4', '4.bias:1']);
  const seq = new Sequential(new Linear(3, 5, rng), new ActivationLayer('relu'), new LayerNorm(5), new BatchNorm1d(5));
  assert.deepEqual([...seq.stateDict().keys()], ['0.weight', '0.bias', '2.weight', '2.bias', '3.weight', '3.bias', '3.running_mean', '3.running_var']);
  assert.deepEqual(new MultiheadAttention(8, 2, rng).namedParameters().map(([n]) => n), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
  assert.deepEqual(new FeatureEmbedding(2, [1, 4, 16], ['gelu', 'identity'], rng).namedParameters().map(([n]) => n).slice(0, 5),
    ['nets.0.0.weight', 'nets.0.0.bias', 'nets.0.2.weight', 'nets.0.2.bias', 'nets.1.0.weight']);
  assert.throws(() => new MLP([2, 1], ['tanh'], rng).loadStateDict(new Map([['0.weigth', zeros([1, 2])], ['0.bias', zeros([1])]])), /missing '0.weight'.*did you mean/);
});

test('Linear default init is U(±1/√fan_in) for weight and bias; init functions have the documented spread', () => {
  const l = new Linear(16, 300, rng);
  const bound = 1 / 4;
  assert.ok(l.weight.toArray().every((v) => Math.abs(v) <= bound) && l.bias!.toArray().every((v) => Math.abs(v) <= bound));
  assert.ok(Math.max(...l.weight.toArray()) > 0.9 * bound);
  const std = (t: Tensor): number => Math.sqrt(t.toArray().reduce((s, v) => s + v * v, 0) / t.size);
  const w = zeros([400, 100]);
  assert.ok(Math.abs(std(kaimingNormal(w, rng, { nonlinearity: 'relu' })) - Math.SQRT2 / 10) < 0.005);
  assert.ok(Math.abs(std(kaimingUniform(w, rng, { nonlinearity: 'relu' })) - Math.SQRT2 / 10) < 0.005);
  assert.ok(Math.abs(std(xavierUniform(w, rng)) - Math.sqrt(2 / 500)) < 0.002);
  assert.ok(Math.abs(std(xavierNormal(w, rng, calculateGain('tanh'))) - (5 / 3) * Math.sqrt(2 / 500)) < 0.003);
});

test('MLP: the fused linear path equals the flat-kernel path, and gradients check in float64', () => {
  const net = new MLP([3, 5, 2], ['gelu', 'mish'], new Rng(4)).toDtype('float64');
  const x = rand(rng, [7, 3], -1, 1, { dtype: 'float64' });
  const a = noGrad(() => net.forward(x)).toArray(), b = noGrad(() => net.forwardRows(x)).toArray();
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-12));
  gradcheck((xx) => net.forward(xx), [T([4, 3]), ...net.parameters()]);
  gradcheck(() => net.forwardRows(x, Int32Array.of(6, 1, 1)), [...net.parameters()]);
});

test('LayerNorm and BatchNorm1d modules: gradients, train/eval switch', () => {
  const ln = new LayerNorm(4, { dtype: 'float64' });
  gradcheck((x) => ln.forward(x), [T([3, 4]), ln.weight!, ln.bias!]);
  const bn = new BatchNorm1d(3, { dtype: 'float64' });
  gradcheck((x) => bn.forward(x), [T([5, 3]), bn.weight!, bn.bias!]);
  assert.ok(bn.running_mean!.toArray().some((v) => v !== 0));
  bn.eval();
  const before = bn.running_mean!.toArray();
  gradcheck((x) => bn.forward(x), [T([5, 3]), bn.weight!, bn.bias!]);
  assert.deepEqual(bn.running_mean!.toArray(), before);
  const d = new Dropout(0.5, new Rng(1));
  const x = T([10]);
  assert.notDeepEqual(d.forward(x).toArray(), x.toArray());
  assert.equal(new Sequential(d).eval().forward(x), x);
});

test('MultiheadAttention: single head matches softmax(QKᵀ/√d)V by hand; gradients check', () => {
  const mha = new MultiheadAttention(2, 1, new Rng(3), { dtype: 'float64' });
  // identity projections make Q = K = V = x
  mha.in_proj_weight.data.set([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  mha.in_proj_bias!.data.fill(0);
  mha.out_proj.weight.data.set([1, 0, 0, 1]);
  const x = tensor([[[1, 0], [0, 2]]], undefined, { dtype: 'float64' });
  const y = noGrad(() => mha.forward(x)).toArray();
  // scores x·xᵀ/√d = [[1, 0], [0, 4]]/√2, softmax per row, times V = x
  const scaled = noGrad(() => softmax(tensor([[1 / Math.SQRT2, 0], [0, 4 / Math.SQRT2]], undefined, { dtype: 'float64' }))).toArray();
  const expect = [scaled[0] * 1 + scaled[1] * 0, scaled[0] * 0 + scaled[1] * 2, scaled[2] * 1 + scaled[3] * 0, scaled[2] * 0 + scaled[3] * 2];
  y.forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-12, `${y} vs ${expect}`));
  const m2 = new MultiheadAttention(4, 2, new Rng(8), { dtype: 'float64' });
  for (const p of m2.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.1 * rng.normal(); // non-zero biases
  gradcheck((q) => m2.forward(q), [T([2, 3, 4]), ...m2.parameters()]);
  gradcheck((q, kv) => m2.attend(q, kv, kv), [T([1, 2, 4]), T([1, 3, 4])]);
});

test('FeatureEmbedding: [B, F] → [B, F, E], each feature through its own net', () => {
  const fe = new FeatureEmbedding(3, [1, 4, 5], ['gelu', 'identity'], new Rng(2), { dtype: 'float64' });
  const x = T([2, 3]);
  const y = fe.forward(x);
  assert.deepEqual(y.shape, [2, 3, 5]);
  const alone = noGrad(() => fe.nets[1].forward(tensor([x.data[1]], [1, 1], { dtype: 'float64' }))).toArray();
  alone.forEach((v, e) => assert.ok(Math.abs(v - y.data[(0 * 3 + 1) * 5 + e]) < 1e-12));
  gradcheck((xx) => fe.forward(xx), [T([2, 3]), ...fe.parameters()]);
});
