// The thesis DNN's pieces (issue 16): AdamW against a PyTorch trajectory, the RegularisedMLP
// (Linear → BatchNorm1d → Mish [→ Dropout]) against PyTorch float64 autograd in train mode
// (outputs, every parameter's gradient, d/dx, running statistics), its eval mode and the
// batch-norm fold of the model file, and dropout's gradient by finite differences.
// Vectors: test/fixtures/vectors/dnn.json, written by make_dnn.py (PyTorch 1.13, float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AdamW, gradcheck, noGrad, RegularisedMLP, Rng, tensor, Tensor } from '../../src/core/index.js';
import { foldBatchNorm } from '../../src/models/mlp.js';
import { forwardSpec } from '../../src/models/spec.js';

interface Vectors {
  adamw: { a: number[]; c: number[]; p0: number[]; defaults: number[][]; thesis: number[][] };
  net: {
    state: Record<string, number[]>; x: number[]; r: number[]; train_out: number[]; grads: Record<string, number[]>;
    x_grad: number[]; running_after: Record<string, number[]>; eval_out: number[];
  };
}
const V = JSON.parse(readFileSync(new URL('../fixtures/vectors/dnn.json', import.meta.url), 'utf8')) as Vectors;

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

for (const [name, opts] of [['defaults', {}], ['thesis', { lr: 1e-2, weightDecay: 1e-4 }]] as const) {
  test(`AdamW (${name}) follows PyTorch's 30-step trajectory to 1e-12`, () => {
    const { a, c, p0 } = V.adamw;
    const p = tensor(p0, undefined, { dtype: 'float64', requiresGrad: true });
    const opt = new AdamW([p], opts);
    V.adamw[name].forEach((want, step) => {
      opt.zeroGrad();
      // ∂/∂p of Σ a(p − c)² + sin p, as the script's autograd
      p.grad = Float64Array.from(p.data, (v, j) => 2 * a[j] * (v - c[j]) + Math.cos(v));
      opt.step();
      assert.ok(worstDiff(p.data, want) <= 1e-12, `step ${step + 1}: ${[...p.data]} vs ${want}`);
    });
  });
}

/** The 3-5-4-1 Mish net with batch norm of the vectors, in float64. */
function vectorNet(): RegularisedMLP {
  const net = new RegularisedMLP([3, 5, 4, 1], 'mish', { dropout: 0, batchNorm: true }, new Rng(1)).toDtype('float64');
  const state = net.stateDict();
  for (const [k, v] of Object.entries(V.net.state)) state.get(k)!.data.set(v);
  return net;
}

test('RegularisedMLP (BatchNorm, Mish) in train mode: outputs, gradients and running statistics as PyTorch (1e-12)', () => {
  const net = vectorNet();
  assert.deepEqual(net.namedParameters().map(([k]) => k), ['0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias', '4.weight', '4.bias', '6.weight', '6.bias']);
  assert.deepEqual(net.namedBuffers().map(([k]) => k), ['1.running_mean', '1.running_var', '4.running_mean', '4.running_var']);
  const x = tensor(V.net.x, [8, 3], { dtype: 'float64', requiresGrad: true });
  net.train(true);
  const p = net.forward(x);
  assert.ok(worstDiff(p.data, V.net.train_out) <= 1e-12);
  p.backward(Float64Array.from(V.net.r));
  for (const [k, t] of net.namedParameters()) assert.ok(worstDiff(t.grad!, V.net.grads[k]) <= 1e-12, `gradient of ${k}`);
  assert.ok(worstDiff(x.grad!, V.net.x_grad) <= 1e-12, 'gradient of x');
  const buffers = new Map(net.namedBuffers());
  for (const [k, v] of Object.entries(V.net.running_after)) assert.ok(worstDiff(buffers.get(k)!.data, v) <= 1e-12, k);
  // eval mode: the running statistics (updated by that one forward, momentum 0.1)
  net.eval();
  assert.ok(worstDiff(noGrad(() => net.forward(x)).data, V.net.eval_out) <= 1e-12);
});

test('the model file folds batch norm into the Linear layers: forwardSpec scores as PyTorch eval mode (float32, 1e-6)', () => {
  const net = vectorNet();
  net.train(true);
  noGrad(() => net.forward(tensor(V.net.x, [8, 3], { dtype: 'float64' }))); // one batch updates the running statistics
  const spec = foldBatchNorm(net, ['a', 'b', 'c']);
  assert.deepEqual(spec.layers.map((l) => l.activation), ['mish', 'mish', 'sigmoid']);
  const got = forwardSpec(spec, Float32Array.from(V.net.x), 8);
  assert.ok(worstDiff(got, V.net.eval_out) <= 1e-6, `${[...got]} vs ${V.net.eval_out}`);
});

test('dropout + batch norm + Mish: gradients by finite differences (same masks), masks seeded, eval is dropout-free', () => {
  const rng = new Rng(7);
  const net = new RegularisedMLP([3, 6, 4, 1], 'mish', { dropout: 0.3, batchNorm: true }, rng).toDtype('float64');
  assert.deepEqual(net.namedParameters().map(([k]) => k).filter((k) => k.endsWith('weight')), ['0.weight', '1.weight', '4.weight', '5.weight', '8.weight']);
  const x = tensor(Array.from({ length: 30 }, (_, i) => Math.sin(1.3 * i) + 0.1 * i), [10, 3], { dtype: 'float64', requiresGrad: true });
  net.train(true);
  const start = rng.getState();
  // each evaluation draws the same masks: the rng is reset before the forward
  const fn = (xx: Tensor): Tensor => { rng.setState(start); return net.forward(xx); };
  const r = gradcheck(fn, [x, ...net.parameters()], { atol: 1e-6, rtol: 1e-5 });
  assert.ok(r.worst <= 1, r.where);
  // some units dropped, and not all: the train output differs from eval
  rng.setState(start);
  const a = noGrad(() => net.forward(x)).data;
  rng.setState(start);
  assert.deepEqual([...noGrad(() => net.forward(x)).data], [...a], 'same rng state, same masks');
  net.eval();
  const e = noGrad(() => net.forward(x)).data;
  assert.ok(worstDiff(a, e) > 1e-3, 'dropout and batch statistics change the train-mode output');
  assert.deepEqual([...noGrad(() => net.forward(x)).data], [...e], 'eval mode is deterministic');
});
