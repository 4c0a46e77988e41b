import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { binaryCrossEntropy, gradcheck, reshape, Rng, tensor, Tensor } from '../../src/core/index.js';
import { AffinePNN, affinePnn, affineSpecOf, savedAffine } from '../../src/models/affine-pnn.js';
import { forwardAffine, scoreAffineAtMasses, type AffineSpec } from '../../src/models/affine-spec.js';
import { modelFromJson } from '../../src/models/registry.js';

const V = JSON.parse(readFileSync(new URL('../fixtures/vectors/affine_pnn.json', import.meta.url), 'utf8')) as {
  hidden: number[]; nFeatures: number; params: Record<string, number[]>; x: number[]; y: number[]; output: number[]; loss: number; grads: Record<string, number[]>;
};
const OPTS = { hidden: V.hidden, activation: 'relu' as const };
const N = V.y.length, NIN = V.nFeatures + 1;

function referenceNet(dtype: 'float32' | 'float64'): AffinePNN {
  const net = new AffinePNN(NIN, OPTS, new Rng(1), dtype);
  for (const [k, t] of net.namedParameters()) {
    assert.equal(V.params[k].length, t.size, k);
    t.data.set(V.params[k]);
  }
  return net;
}

test('affine pNN: outputs, mean BCE and every parameter gradient match PyTorch float64 (fixtures/vectors/affine_pnn.json)', () => {
  const net = referenceNet('float64');
  const p = reshape(net.forward(tensor(V.x, [N, NIN], { dtype: 'float64' })), [N]);
  p.data.forEach((v, i) => assert.ok(Math.abs(v - V.output[i]) < 1e-12, `output ${i}: ${v} vs ${V.output[i]}`));
  const loss = binaryCrossEntropy(p, tensor(V.y, [N], { dtype: 'float64' }));
  assert.ok(Math.abs(loss.item() - V.loss) < 1e-12);
  loss.backward();
  for (const [k, t] of net.namedParameters()) t.grad!.forEach((g, i) => assert.ok(Math.abs(g - V.grads[k][i]) < 1e-10, `${k}[${i}]: ${g} vs ${V.grads[k][i]}`));
});

test('affine pNN: autograd gradients agree with central finite differences (gradcheck, float64)', () => {
  const net = referenceNet('float64');
  const x = tensor(V.x, [N, NIN], { dtype: 'float64', requiresGrad: true });
  const r = gradcheck((xi: Tensor) => net.forward(xi), [x, ...net.parameters()], { atol: 1e-7, rtol: 1e-5 });
  assert.ok(r.worst <= 1, r.where);
});

test('affine pNN by hand: one feature, one unit — h = relu(2x + 0.5)·(0.5m + 1) + (−m + 0.25), y = σ(3h − 1)', () => {
  const spec: AffineSpec = {
    inputNames: ['x', 'm'], activation: 'relu', outputWeight: new Float32Array([3]), outputBias: -1,
    hidden: [{ weight: new Float32Array([2]), bias: new Float32Array([0.5]), nIn: 1, nOut: 1, scaleWeight: new Float32Array([0.5]), scaleBias: new Float32Array([1]), shiftWeight: new Float32Array([-1]), shiftBias: new Float32Array([0.25]) }],
  };
  // x = 1, m = 2: z = 2.5, a = 2, c = −1.75, h = 3.25, y = σ(8.75); x = −1, m = 0: relu(−1.5) = 0, h = 0.25, y = σ(−0.25)
  const p = forwardAffine(spec, new Float32Array([1, 2, -1, 0]), 2);
  assert.ok(Math.abs(p[0] - 1 / (1 + Math.exp(-8.75))) < 1e-7);
  assert.ok(Math.abs(p[1] - 1 / (1 + Math.exp(0.25))) < 1e-7);
});

/** A trained-looking spec with scaling (the reference parameters, shift/scale on every input). */
function scaledSpec(): AffineSpec {
  const params = Object.fromEntries(Object.entries(V.params).map(([k, v]) => [k, Float32Array.from(v)]));
  return affineSpecOf(NIN, OPTS, params, ['f1', 'f2', 'f3', 'mass_hypothesis'], new Float32Array([0.1, -0.2, 0.3, 2]), new Float32Array([1.5, 0.5, 2, 0.8]));
}

/** A random spec of the given widths (3 features + m), with input scaling. */
function randomSpec(hidden: number[], seed: number): AffineSpec {
  const net = new AffinePNN(NIN, { hidden, activation: 'tanh' }, new Rng(seed));
  return affineSpecOf(NIN, { hidden, activation: 'tanh' }, Object.fromEntries(net.namedParameters().map(([k, t]) => [k, Float32Array.from(t.data)])), ['f1', 'f2', 'f3', 'm'], new Float32Array([0.1, -0.2, 0.3, 2]), new Float32Array([1.5, 0.5, 2, 0.8]));
}

for (const [what, spec] of [['[5, 4] ReLU (PyTorch vector weights)', scaledSpec()], ['[7] tanh', randomSpec([7], 2)], ['[6, 5, 4] tanh', randomSpec([6, 5, 4], 3)]] as const) test(`affine pNN ${what}: scoring at many hypotheses (first layers once per event, chunks of 16) = scoring each event at each mass`, () => {
  const rng = new Rng(4), n = 50, masses = [0.5, 1, 1.7, 2.2, 3, 4.4];
  const f = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const many = scoreAffineAtMasses(spec, f, n, masses, 16);
  masses.forEach((m, k) => {
    const x = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) { x.set(f.subarray(i * 3, i * 3 + 3), i * 4); x[i * 4 + 3] = m; }
    const one = forwardAffine(spec, x, n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(many[k][i] - one[i]) < 1e-6, `mass ${m} event ${i}: ${many[k][i]} vs ${one[i]}`);
  });
});

test('affine pNN: the trained module, the saved spec, its JSON file and its ONNX export (onnxruntime-node) give the same scores', async () => {
  const net = referenceNet('float32');
  const spec = affineSpecOf(NIN, OPTS, Object.fromEntries(net.namedParameters().map(([k, t]) => [k, Float32Array.from(t.data)])), ['f1', 'f2', 'f3', 'm']);
  const x = Float32Array.from(V.x);
  const fromModule = net.forward(tensor(x, [N, NIN])).data;
  const saved = savedAffine(spec);
  const reloaded = modelFromJson(JSON.parse(JSON.stringify(saved.toJson())), 'affine.json');
  assert.equal(reloaded.kind, 'affine-pnn');
  const a = saved.score(x, N), b = reloaded.score(x, N);
  const session = await ort.InferenceSession.create(saved.toOnnx());
  const out = await session.run({ features: new ort.Tensor('float32', x, [N, NIN]) });
  const c = out.score.data as Float32Array;
  for (let i = 0; i < N; i++) {
    assert.ok(Math.abs(a[i] - fromModule[i]) < 1e-6 && Math.abs(b[i] - a[i]) < 1e-7 && Math.abs(c[i] - a[i]) < 1e-6, `event ${i}: ${fromModule[i]} ${a[i]} ${b[i]} ${c[i]}`);
  }
  // with the input scaling of a run: ONNX applies it too
  const sc = savedAffine(scaledSpec());
  const onnx2 = await (await ort.InferenceSession.create(sc.toOnnx())).run({ features: new ort.Tensor('float32', x, [N, NIN]) });
  const d = sc.score(x, N);
  (onnx2.score.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - d[i]) < 1e-6));
});

test('affine-pnn kind: options default to the study\'s [64, 64] ReLU; a bad option names its key', () => {
  assert.deepEqual(affinePnn.options.parse({}), { hidden: [64, 64], activation: 'relu' });
  const r = affinePnn.options.safeParse({ hiden: [3] });
  assert.ok(!r.success && /hiden: unknown key \(did you mean: hidden\?\)/.test(r.error.issues[0].message), JSON.stringify(!r.success && r.error.issues));
});
