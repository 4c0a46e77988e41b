import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as lib from '../../src/index.js';
import { tinyConfig, tinyEvents } from './tiny-run.js';

// Issue 11 item 7: `model.activation: mish` was accepted, trained, and then failed saving the model
// ("layers[0].activation 'mish' is not one of …"). One activation list now serves config, kernels,
// model files and ONNX. Here a 4-6-3-1 Mish net trains (BCE then Punzi), is saved, reloaded, scores
// like the trained parameters on the kernels, and its ONNX export (Mish composed as x·tanh(softplus x)
// before opset 18, the Mish operator from 18) scores like fomlab in onnxruntime to 1e-6.
const events = tinyEvents(4);
const config = tinyConfig({ model: '{hidden: [6, 3], activation: mish}' });

test('mish: trains, saves, reloads, scores like the trained net and exports to ONNX (onnxruntime ≤ 1e-6)', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-mish-'));
  const cfg = lib.parseConfig(config, 'mish.yaml');
  await lib.trainRun(cfg, { runDir, configName: 'mish', events, log: () => {} });
  const path = join(runDir, 'models', 'punzi.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { kind: string; layers: Array<{ activation: string }>; inputShift: number[]; inputScale: number[] };
  assert.equal(json.kind, 'mlp');
  assert.deepEqual(json.layers.map((l) => l.activation), ['mish', 'mish', 'sigmoid']);
  const model = lib.models.loadModelFile(path);
  assert.deepEqual(model.toJson(), json); // the file round-trips exactly (float32 values in JSON)

  const n = 2000, nf = 4;
  const raw = events.featureMatrix().subarray(0, n * nf);
  const saved = model.score(raw, n);
  // the trained parameters on the core's kernels, features scaled as the file says
  const params = lib.train.loadTrainedNet(join(runDir, 'checkpoints', 'net-0.safetensors')).params;
  const scaled = Float32Array.from(raw, (v, i) => Math.fround(Math.fround(v - json.inputShift[i % nf]) * json.inputScale[i % nf]));
  const kernels = lib.models.scoreMatrix(cfg.model!, params, scaled, nf);
  let worst = 0, spread = 0;
  for (let i = 0; i < n; i++) {
    worst = Math.max(worst, Math.abs(saved[i] - kernels[i]));
    spread = Math.max(spread, Math.abs(saved[i] - saved[0]));
  }
  assert.ok(worst <= 1e-6, `max |model file − trained net| = ${worst}`);
  assert.ok(spread > 1e-3, 'the net separates events (not a constant output)');

  for (const opset of [17, 18]) {
    const onnx = join(runDir, `net-${opset}.onnx`);
    writeFileSync(onnx, model.toOnnx({ opset }));
    const session = await ort.InferenceSession.create(onnx);
    const got = (await session.run({ features: new ort.Tensor('float32', Float32Array.from(raw), [n, nf]) })).score.data as Float32Array;
    await session.release();
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(got[i] - saved[i]));
    assert.ok(d <= 1e-6, `opset ${opset}: max |onnxruntime − fomlab| = ${d}`);
  }
});
