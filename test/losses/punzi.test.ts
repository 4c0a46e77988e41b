import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gradcheck, Incidence, MLP, Rng, tensor, reshape, type DType } from '../../src/core/index.js';
import { punziLoss, sharpen, sharpnessAt, softSigmaMin } from '../../src/losses/punzi.js';
import { weightedBce, bceWeights } from '../../src/losses/bce.js';
import { sigmaMin, sigmaMinOf } from '../../src/physics/fom.js';

// PyTorch float64 autograd reference (see its `about`): eff_h = Σ_{y=1,h} out / 20,
// B_h = 10 · Σ_{y=0,h} w·out, σ_min of paper eq. 9 with a=3, b=1.28155, L=50, mean over h.
interface Ref {
  params: Record<string, number[][] | number[]>;
  X: number[][]; y: number[]; w: number[]; hypothesis: number[];
  output: number[]; bce: number; bce_grads: Record<string, number[][] | number[]>;
  punzi: number; punzi_grads: Record<string, number[][] | number[]>;
}
const ref = JSON.parse(readFileSync(new URL('../fixtures/vectors/mlp_grads.json', import.meta.url), 'utf8')) as Ref;
const n = ref.y.length;
const H = Math.max(...ref.hypothesis) + 1;

function net(dtype: DType): MLP {
  const m = new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], new Rng(0));
  const state: Record<string, ReturnType<typeof tensor>> = {};
  for (const [k, v] of Object.entries(ref.params)) {
    const flat = (v as Array<number | number[]>).flat() as number[];
    const shape = Array.isArray(v[0]) ? [v.length, (v[0] as number[]).length] : [v.length];
    state[k] = tensor(flat, shape, { dtype });
  }
  if (dtype === 'float64') for (const p of m.parameters()) p.data = Float64Array.from(p.data);
  m.loadStateDict(state);
  return m;
}

function incidence(): { signal: Incidence; background: Incidence } {
  const sig: number[] = [], sigH: number[] = [], bkg: number[] = [], bkgH: number[] = [], bkgC: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ref.y[i] === 1) { sig.push(i); sigH.push(ref.hypothesis[i]); }
    else { bkg.push(i); bkgH.push(ref.hypothesis[i]); bkgC.push(10 * ref.w[i]); }
  }
  return {
    signal: Incidence.fromPairs(sig, sigH, H, n, sig.map(() => 1 / 20)),
    background: Incidence.fromPairs(bkg, bkgH, H, n, bkgC),
  };
}

function relClose(got: ArrayLike<number>, want: number[], tol: number, what: string): void {
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(Math.abs(want[i]), 1e-3);
    assert.ok(Math.abs(got[i] - want[i]) / scale < tol, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

for (const [dtype, tol] of [['float64', 1e-9], ['float32', 2e-4]] as const) {
  test(`Punzi loss and its gradients match PyTorch (${dtype})`, () => {
    const m = net(dtype);
    const x = tensor(ref.X.flat(), [n, 4], { dtype });
    const p = reshape(m.forward(x), [n]);
    relClose(p.data, ref.output, tol, 'output');
    const loss = punziLoss(p, incidence(), { a: 3, b: 1.28155, lumi: 50, form: 'paper' });
    relClose([loss.item()], [ref.punzi], tol, 'punzi');
    loss.backward();
    for (const [name, t] of m.namedParameters()) relClose(t.grad!, (ref.punzi_grads[name] as Array<number | number[]>).flat() as number[], tol * 10, `d punzi / d ${name}`);
  });

  test(`weighted BCE and its gradients match PyTorch (${dtype})`, () => {
    const m = net(dtype);
    const p = reshape(m.forward(tensor(ref.X.flat(), [n, 4], { dtype })), [n]);
    const loss = weightedBce(p, Float32Array.from(ref.y), bceWeights(Float32Array.from(ref.y), Float32Array.from(ref.w), false));
    relClose([loss.item()], [ref.bce], dtype === 'float64' ? 1e-6 : tol, 'bce'); // weights pass through float32
    loss.backward();
    for (const [name, t] of m.namedParameters()) relClose(t.grad!, (ref.bce_grads[name] as Array<number | number[]>).flat() as number[], dtype === 'float64' ? 1e-5 : tol * 10, `d bce / d ${name}`);
  });
}

test('softSigmaMin equals the physics σ_min of the hard counts when p is 0/1', () => {
  // 3 events: signal (h0), two background in h0 with weights 2 and 3; p = 1 for all.
  const p = tensor([1, 1, 1], [3], { dtype: 'float64' });
  const inc = {
    signal: Incidence.fromPairs([0], [0], 1, 3, [1 / 4]), // N_gen = 4 → ε = 0.25
    background: Incidence.fromPairs([1, 2], [0, 0], 1, 3, [2, 3]), // B = 5
  };
  const s = softSigmaMin(p, inc, { a: 3, b: 1.28155, lumi: 50, form: 'paper' });
  assert.ok(Math.abs(s.item() - sigmaMin(0.25, 5, { a: 3, b: 1.28155, lumi: 50 })) < 1e-12);
});

test('balanced BCE weights give equal signal and background sums', () => {
  const w = bceWeights(Float32Array.from([1, 0, 0, 0]), Float32Array.from([1, 2, 3, -1]), true);
  assert.deepEqual([...w], [5, 2, 3, 0]); // negative weight → 0; signal scaled by (2+3)/1
});

test('sharpness: p_k = σ(k·logit p), identity at k = 1, hard counts as k grows; annealed geometrically', () => {
  const ps = [0.02, 0.3, 0.5, 0.7, 0.98];
  const p = tensor(ps, [5], { dtype: 'float64' });
  assert.equal(sharpen(p, 1), p);
  const s4 = sharpen(p, 4).data;
  ps.forEach((q, i) => assert.ok(Math.abs(s4[i] - 1 / (1 + Math.exp(-4 * Math.log(q / (1 - q))))) < 1e-12));
  const s50 = sharpen(p, 50).data;
  assert.deepEqual([...s50].map((v) => Math.round(v * 1e6) / 1e6), [0, 0, 0.5, 1, 1]);
  const g = gradcheck((x) => sharpen(x, 3), [tensor([0.1, 0.45, 0.6, 0.9], [4], { dtype: 'float64', requiresGrad: true })]);
  assert.ok(g.worst <= 1, JSON.stringify(g));
  // the loss with a steep selection tends to σ_min of the counts above p = 0.5
  const inc = { signal: Incidence.fromPairs([0, 1], [0, 0], 1, 5, [0.5, 0.5]), background: Incidence.fromPairs([2, 3, 4], [0, 0, 0], 1, 5, [1, 1, 1]) };
  const q = tensor([0.9, 0.3, 0.2, 0.1, 0.6], [5], { dtype: 'float64' });
  const o = { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const };
  const hard = sigmaMinOf('improved', 0.5, 1, o);
  assert.ok(Math.abs(softSigmaMin(q, inc, { ...o, sharpness: 60 }).item() / hard - 1) < 1e-6);
  assert.ok(Math.abs(softSigmaMin(q, inc, o).item() / hard - 1) > 0.05);
  assert.equal(sharpnessAt(3, 7, 10), 3);
  assert.equal(sharpnessAt({ from: 1, to: 16 }, 0, 5), 1);
  assert.ok(Math.abs(sharpnessAt({ from: 1, to: 16 }, 2, 5) - 4) < 1e-12);
  assert.equal(sharpnessAt({ from: 1, to: 16 }, 4, 5), 16);
});
