// The event classifier transformer's fused kernel against PyTorch float64 autograd
// (test/fixtures/vectors/transformer_grads.json, written by make_transformer.py: the anchor's network,
// dropout off, fixed random weights, mean BCE): outputs, loss and every parameter gradient, in float64
// (TypeScript twin) and float32 (`kernels`, native when built); gradcheck (central finite differences) of the twin;
// the native kernel against the twin with dropout on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { kernels, tsKernels } from '../../src/core/kernels/index.js';
import { transformerLayout, transformerParamCount, type TransformerShape } from '../../src/core/kernels/transformer-layout.js';
import { transformerBce, transformerForward, transformerBackward } from '../../src/core/kernels/ts-transformer.js';
import { gradcheck, Rng, Tensor } from '../../src/core/index.js';
import { result } from '../../src/core/tensor.js';

interface Case {
  shape: TransformerShape;
  x: number[]; target: number[]; out: number[]; loss: number;
  params: Record<string, number[]>; grads: Record<string, number[]>;
}
const V = JSON.parse(readFileSync(new URL('../fixtures/vectors/transformer_grads.json', import.meta.url), 'utf8')) as { cases: Case[] };

function flatOf(c: Case, what: Record<string, number[]>, Arr: Float64ArrayConstructor | Float32ArrayConstructor): Float64Array | Float32Array {
  const out = new Arr(transformerParamCount(c.shape));
  for (const slot of transformerLayout(c.shape)) {
    const v = what[slot.name];
    assert.equal(v?.length, slot.size, `${slot.name} in the vector file`);
    out.set(v, slot.offset);
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]);
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

for (const [k, c] of V.cases.entries()) {
  const n = c.target.length;
  test(`transformer twin (float64) = PyTorch: outputs, BCE and all gradients, case ${k}`, () => {
    const P = flatOf(c, c.params, Float64Array), G = new Float64Array(P.length), out = new Float64Array(n);
    const loss = transformerBce(c.shape, P, Float64Array.from(c.x), null, n, null, Float64Array.from(c.target), null, G, out);
    assertClose(out, c.out, 1e-12, 1e-10, 'out');
    assertClose([loss], [c.loss], 1e-12, 1e-10, 'loss');
    assertClose(G, flatOf(c, c.grads, Float64Array), 1e-12, 1e-9, 'grads');
  });
  test(`transformer kernels (${kernels.name}, float32) = PyTorch to ~1e-5, case ${k}`, () => {
    const P = flatOf(c, c.params, Float32Array) as Float32Array, G = new Float32Array(P.length), out = new Float32Array(n);
    const loss = kernels.transformerBce(c.shape, P, Float32Array.from(c.x), null, n, null, Float32Array.from(c.target), null, G, out);
    assertClose(out, c.out, 1e-6, 1e-5, 'out');
    assertClose([loss], [c.loss], 1e-6, 1e-5, 'loss');
    assertClose(G, flatOf(c, c.grads, Float64Array), 2e-5, 1e-4, 'grads');
  });
}

test('transformer twin: ∂y/∂θ of every parameter by central finite differences (core/gradcheck.ts, float64, dropout on)', () => {
  const c = V.cases[1], n = c.target.length, drop = { p: 0.3, seed: 77 };
  const P = new Tensor(flatOf(c, c.params, Float64Array), [transformerParamCount(c.shape)], true), x = Float64Array.from(c.x);
  // the kernel pair as one autograd op y(θ); its backward adds into θ's gradient as the model's forwardRows does
  const net = (p: Tensor): Tensor => {
    const y = new Float64Array(n);
    transformerForward(c.shape, p.data, x, null, n, drop, y);
    return result(y, [n], [p], 'transformer', () => (g) => {
      p.grad ??= new Float64Array(p.size);
      transformerBackward(c.shape, p.data, x, null, n, drop, g, p.grad);
    });
  };
  const r = gradcheck(net, [P], { atol: 1e-7, rtol: 1e-5 });
  assert.ok(r.worst <= 1, r.where);
});

test('transformer kernels: native = TypeScript twin with dropout on (rows subset, forward, backward, BCE)', () => {
  const s: TransformerShape = { features: 6, dModel: 16, heads: 4, ffn: 64, embedHidden: 4 };
  const rng = new Rng(3), nAll = 300, rows = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % nAll), n = rows.length;
  const P = Float32Array.from({ length: transformerParamCount(s) }, () => rng.range(-0.5, 0.5));
  const x = Float32Array.from({ length: nAll * s.features }, () => rng.range(-2, 2));
  const target = Float32Array.from({ length: nAll }, () => (rng.uniform() < 0.4 ? 1 : 0)), weight = Float32Array.from({ length: nAll }, () => rng.range(0.5, 2));
  const drop = { p: 0.1, seed: 123456789 };
  const yN = new Float32Array(n), yT = new Float32Array(n);
  kernels.transformerForward(s, P, x, rows, n, drop, yN);
  tsKernels.transformerForward(s, P, x, rows, n, drop, yT);
  assertClose(yN, yT, 1e-6, 1e-5, 'forward');
  const gN = new Float32Array(P.length), gT = new Float32Array(P.length), dOut = Float32Array.from({ length: n }, () => rng.range(-1, 1));
  kernels.transformerBackward(s, P, x, rows, n, drop, dOut, gN);
  tsKernels.transformerBackward(s, P, x, rows, n, drop, dOut, gT);
  const scale = gT.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assertClose(gN, gT, 1e-5 * scale, 1e-4, 'backward');
  gN.fill(0); gT.fill(0);
  const lN = kernels.transformerBce(s, P, x, rows, n, drop, target, weight, gN, null);
  const lT = tsKernels.transformerBce(s, P, x, rows, n, drop, target, weight, gT, null);
  assertClose([lN], [lT], 1e-6, 1e-5, 'bce loss');
  assertClose(gN, gT, 1e-5 * gT.reduce((m, v) => Math.max(m, Math.abs(v)), 0), 1e-4, 'bce grads');
});
