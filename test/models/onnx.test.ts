import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/core/rng.js';
import { FomlabError } from '../../src/core/errors.js';
import { encodeOnnx, exportOnnx } from '../../src/models/onnx.js';
import { erf, forwardSpec } from '../../src/models/spec.js';
import type { FeedForwardSpec, LayerActivation } from '../../src/models/spec.js';
import { loadFeedForwardSpec, saveFeedForwardSpec } from '../../src/models/spec-json.js';

/** Uniform ±2.5/√nIn weights (wider than PyTorch's init, so that scores spread), feature scaling from made-up means and widths. */
function randomSpec(seed: number, sizes: number[], acts: LayerActivation[]): FeedForwardSpec {
  const rng = new Rng(seed);
  const u = (a: number) => (2 * rng.uniform() - 1) * a;
  const layers = acts.map((activation, i) => {
    const nIn = sizes[i], nOut = sizes[i + 1], a = 2.5 / Math.sqrt(nIn);
    return { nIn, nOut, activation, weight: Float32Array.from({ length: nIn * nOut }, () => u(a)), bias: Float32Array.from({ length: nOut }, () => u(a)) };
  });
  const n0 = sizes[0];
  return {
    inputNames: Array.from({ length: n0 }, (_, i) => `x${i}`), layers,
    inputShift: Float32Array.from({ length: n0 }, () => u(50)), inputScale: Float32Array.from({ length: n0 }, () => 0.02 + rng.uniform() * 0.1),
  };
}

function randomInputs(spec: FeedForwardSpec, n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const nIn = spec.layers[0].nIn;
  return Float32Array.from({ length: n * nIn }, (_, k) => spec.inputShift![k % nIn] + rng.normal() / spec.inputScale![k % nIn] * 1.5);
}

async function runOnnx(path: string, x: Float32Array, n: number, nIn: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const out = await session.run({ features: new ort.Tensor('float32', x, [n, nIn]) });
    assert.deepEqual(out.score.dims, [n, 1]);
    return out.score.data as Float32Array;
  } finally {
    await session.release();
  }
}

async function checkAgainstOnnx(spec: FeedForwardSpec, opset?: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-onnx-'));
  try {
    const path = join(dir, 'net.onnx');
    exportOnnx(spec, path, { opset });
    const n = 1000, nIn = spec.layers[0].nIn;
    const x = randomInputs(spec, n, 99);
    const ref = forwardSpec(spec, x, n);
    const got = await runOnnx(path, x, n, nIn);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
    // scores must spread (the test is meaningless if everything saturates at 0 or 1)
    const spread = Math.max(...ref) - Math.min(...ref);
    assert.ok(spread > 0.2, `scores barely vary (${spread})`);
    assert.ok(worst <= 1e-6, `max |onnx − forwardSpec| = ${worst}`);
    assert.deepEqual(readdirSync(dir), ['net.onnx']);
    return worst;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('onnx: 4-8-4-1 tanh/tanh/sigmoid with scaling matches forwardSpec to 1e-6', async (t) => {
  t.diagnostic('max |Δ| ' + await checkAgainstOnnx(randomSpec(1, [4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'])));
});

test('onnx: 15-64-64-1 relu/relu/sigmoid with scaling matches forwardSpec to 1e-6', async (t) => {
  t.diagnostic('max |Δ| ' + await checkAgainstOnnx(randomSpec(2, [15, 64, 64, 1], ['relu', 'relu', 'sigmoid'])));
});

test('onnx: GELU net as one Gelu node (opset 20) and from Erf (opset 17)', async (t) => {
  const spec = randomSpec(3, [6, 16, 16, 1], ['gelu', 'gelu', 'sigmoid']);
  t.diagnostic(`max |Δ| opset 20: ${await checkAgainstOnnx(spec, 20)}, opset 17: ${await checkAgainstOnnx(spec, 17)}`);
});

test('onnx: leaky_relu and an identity last layer (a raw logit score)', async () => {
  await checkAgainstOnnx(randomSpec(4, [5, 12, 1], ['leaky_relu', 'sigmoid']));
  const logit = randomSpec(5, [5, 12, 1], ['leaky_relu', 'identity']);
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-onnx-'));
  try {
    exportOnnx(logit, join(dir, 'l.onnx'));
    const x = randomInputs(logit, 200, 7);
    const got = await runOnnx(join(dir, 'l.onnx'), x, 200, 5);
    const ref = forwardSpec(logit, x, 200);
    for (let i = 0; i < 200; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-5 * Math.max(1, Math.abs(ref[i])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onnx: model records the input names; a net without scaling exports too', async () => {
  const spec = randomSpec(6, [4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid']);
  delete spec.inputShift;
  delete spec.inputScale;
  const bytes = encodeOnnx(spec);
  assert.ok(Buffer.from(bytes).includes(Buffer.from('["x0","x1","x2","x3"]')));
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual(session.inputNames, ['features']);
  assert.deepEqual(session.outputNames, ['score']);
  await session.release();
});

test('onnx: shape errors are FomlabErrors naming the layer', () => {
  const spec = randomSpec(7, [4, 8, 1], ['tanh', 'sigmoid']);
  spec.layers[1].nIn = 7;
  assert.throws(() => encodeOnnx(spec), (e: unknown) => e instanceof FomlabError && /layers\[1\]\.nIn is 7/.test(e.message));
  assert.throws(() => encodeOnnx(randomSpec(7, [4, 8, 1], ['tanh', 'sigmoid']), { opset: 9 }), FomlabError);
});

test('onnx: forwardSpec erf reference values', () => {
  // erf from tables (Abramowitz & Stegun 7.1)
  for (const [x, v] of [[0.5, 0.5204998778130465], [1, 0.8427007929497149], [2.4, 0.9993114861033550], [3, 0.9999779095030014], [-1.5, -0.9661051464753108]]) {
    assert.ok(Math.abs(erf(x) - v) < 1e-14, `erf(${x})`);
  }
});

test('onnx: JSON model file round trip and errors naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-onnx-'));
  try {
    const spec = randomSpec(8, [4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid']);
    const p = join(dir, 'model.json');
    saveFeedForwardSpec(spec, p);
    const back = await loadFeedForwardSpec(p);
    assert.deepEqual(back.layers[1].weight, spec.layers[1].weight);
    assert.deepEqual(back.inputScale, spec.inputScale);
    // nested rows are accepted for weights
    const json = JSON.parse(readFileSync(p, 'utf8'));
    json.layers[0].weight = Array.from({ length: 8 }, (_, o) => json.layers[0].weight.slice(o * 4, o * 4 + 4));
    writeFileSync(p, JSON.stringify(json));
    assert.deepEqual((await loadFeedForwardSpec(p)).layers[0].weight, spec.layers[0].weight);
    delete json.layers[2].activation;
    writeFileSync(p, JSON.stringify(json));
    await assert.rejects(loadFeedForwardSpec(p), (e: unknown) => e instanceof FomlabError && e.message.includes(p) && e.message.includes('layers[2].activation is missing'));
    await assert.rejects(loadFeedForwardSpec(join(dir, 'nope.json')), /nope\.json: no such model file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
