// The 4-8-4-1 tanh/tanh/sigmoid Punzi-net against PyTorch float64 autograd
// (test/fixtures/vectors/mlp_grads.json, from ../shared/vectors): output, weighted BCE, Punzi loss and all parameter gradients,
// in float64 (TypeScript kernels) and float32 (`kernels`, native when built).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  MLP, Rng, Incidence, tensor, binaryCrossEntropy, csrSum, add, mul, div, sqrt, mean, Tensor, type DType,
} from '../../src/core/index.js';

interface Vectors {
  params: Record<string, number[][] | number[]>;
  X: number[][]; y: number[]; w: number[]; hypothesis: number[]; output: number[];
  bce: number; bce_grads: Record<string, number[][] | number[]>;
  punzi: number; punzi_grads: Record<string, number[][] | number[]>;
}
const V = JSON.parse(readFileSync(new URL('../fixtures/vectors/mlp_grads.json', import.meta.url), 'utf8')) as Vectors;
const flat = (a: number[][] | number[]): number[] => (a as unknown[]).flat() as number[];

function build(dtype: DType): MLP {
  const net = new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], new Rng(1), { dtype });
  const state = new Map<string, Tensor>();
  for (const [name, p] of net.namedParameters()) state.set(name, tensor(flat(V.params[name]), p.shape, { dtype }));
  net.loadStateDict(state);
  return net;
}

/**
 * σ_min as the vector file computes it: (b²/2 + a√B + (b/2)√(b² + 4a√B + 4B)) / (ε·L) — Punzi's
 * formula (arXiv:physics/0308063, eq. 7 form). NB: ../shared/anchors/torch_punzi_bench.py uses the
 * a²/8 + 9b²/13 constant instead; with that constant the loss here would be 7.8876, not 7.5879.
 */
function sigmaMin(eff: Tensor, B: Tensor, a = 3, b = 1.28155, L = 50): Tensor {
  const sB = sqrt(B);
  const inner = add(add(mul(sB, 4 * a), mul(B, 4)), b * b);
  const num = add(add(mul(sB, a), mul(sqrt(inner), b / 2)), (b * b) / 2);
  return div(div(num, eff), L);
}

function close(actual: ArrayLike<number>, expected: number[], rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(1e-3, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= rtol * scale, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

for (const dtype of ['float64', 'float32'] as const) {
  const rtol = dtype === 'float64' ? 1e-10 : 2e-5;
  test(`mlp_grads.json: output, weighted BCE and its gradients (${dtype})`, () => {
    const net = build(dtype);
    const x = tensor(V.X, undefined, { dtype });
    const out = net.forward(x);
    close(out.data, V.output, rtol, 'output');
    const loss = binaryCrossEntropy(out, tensor(V.y, undefined, { dtype }), tensor(V.w, undefined, { dtype }));
    close([loss.item()], [V.bce], rtol, 'bce');
    loss.backward();
    for (const [name, p] of net.namedParameters()) close(p.grad!, flat(V.bce_grads[name]), rtol, `bce grad ${name}`);
  });

  test(`mlp_grads.json: Punzi loss over a CSR incidence and its gradients (${dtype})`, () => {
    const net = build(dtype);
    const out = net.forward(tensor(V.X, undefined, { dtype }));
    const nH = Math.max(...V.hypothesis) + 1;
    // ε_h = Σ_{y=1, h} out / 20;  B_h = 10 · Σ_{y=0, h} w·out
    const sig = Incidence.fromAssignment(V.hypothesis.map((h, i) => (V.y[i] === 1 ? h : -1)), nH);
    const bkg = Incidence.fromAssignment(V.hypothesis.map((h, i) => (V.y[i] === 0 ? h : -1)), nH, V.w);
    const eff = div(csrSum(out, sig), 20);
    const B = mul(csrSum(out, bkg), 10);
    const loss = mean(sigmaMin(eff, B));
    close([loss.item()], [V.punzi], rtol, 'punzi');
    loss.backward();
    for (const [name, p] of net.namedParameters()) close(p.grad!, flat(V.punzi_grads[name]), rtol, `punzi grad ${name}`);
  });
}

for (const dtype of ['float64', 'float32'] as const) {
  const rtol = dtype === 'float64' ? 1e-10 : 2e-5;
  test(`mlp_grads.json through the fused kernels: bceStep and forwardRows + Punzi (${dtype})`, () => {
    const net = build(dtype);
    const x = tensor(V.X, undefined, { dtype });
    const y = tensor(V.y, undefined, { dtype }).data, w = tensor(V.w, undefined, { dtype }).data;
    const out = dtype === 'float64' ? new Float64Array(64) : new Float32Array(64);
    const loss = net.bceStep(x, y, w, null, 64, out);
    close([loss], [V.bce], rtol, 'fused bce');
    close(out, V.output, rtol, 'fused output');
    for (const [name, p] of net.namedParameters()) close(p.grad!, flat(V.bce_grads[name]), rtol, `fused bce grad ${name}`);
    net.zeroGrad();
    // rows in reverse order: the incidence must then index batch positions
    const rows = Int32Array.from({ length: 64 }, (_, i) => 63 - i);
    const hyp = [...rows].map((r) => V.hypothesis[r]), yy = [...rows].map((r) => V.y[r]), ww = [...rows].map((r) => V.w[r]);
    const o = net.forwardRows(x, rows);
    const nH = Math.max(...V.hypothesis) + 1;
    const eff = div(csrSum(o, Incidence.fromAssignment(hyp.map((h, i) => (yy[i] === 1 ? h : -1)), nH)), 20);
    const B = mul(csrSum(o, Incidence.fromAssignment(hyp.map((h, i) => (yy[i] === 0 ? h : -1)), nH, ww)), 10);
    const punzi = mean(sigmaMin(eff, B));
    close([punzi.item()], [V.punzi], rtol, 'fused punzi');
    punzi.backward();
    for (const [name, p] of net.namedParameters()) close(p.grad!, flat(V.punzi_grads[name]), rtol, `fused punzi grad ${name}`);
  });
}
