// The thesis DNN options end to end (issue 16): a 4-16-16-1 Mish net with batch norm and dropout
// 0.2, trained with AdamW (weight decay 1e-4), is saved with batch norm folded into its Linear
// layers; the model file scores like the trained net in eval mode (running statistics, no
// dropout) to 1e-6, its ONNX export scores the same in onnxruntime, and the same seed trains the
// same net (dropout masks come from the training seed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as lib from '../../src/index.js';
import { tinyEvents } from './tiny-run.js';

const events = tinyEvents(5);
const config = `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search:
  hypotheses: {masses: [1, 2, 3]}
  window: {halfWidth: 0.3}
  generatedPerMass: 600
model: {hidden: [16, 16], activation: mish, batchNorm: true, dropout: 0.2}
training:
  workers: 1
  compareWithBce: false
  stages:
    - {loss: bce, optimizer: adamw, lr: 0.003, weightDecay: 0.0001, batchSize: 256, epochs: 3}
`;

async function trained(tag: string): Promise<{ runDir: string; cfg: lib.FomlabConfig }> {
  const runDir = mkdtempSync(join(tmpdir(), `fomlab-dnn-${tag}-`));
  const cfg = lib.parseConfig(config, 'dnn.yaml');
  await lib.trainRun(cfg, { runDir, configName: 'dnn', events, log: () => {} });
  return { runDir, cfg };
}

test('batch norm + dropout + Mish + AdamW: trains, the model file (BN folded) scores as the eval-mode net, ONNX agrees, same seed same net', async () => {
  const { runDir, cfg } = await trained('a');
  const path = join(runDir, 'models', 'bce.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { layers: Array<{ activation: string; nIn: number; nOut: number }>; inputShift: number[]; inputScale: number[] };
  assert.deepEqual(json.layers.map((l) => [l.nIn, l.nOut, l.activation]), [[4, 16, 'mish'], [16, 16, 'mish'], [16, 1, 'sigmoid']]);
  const model = lib.models.loadModelFile(path);
  const params = lib.train.loadTrainedNet(join(runDir, 'checkpoints', 'net-0.safetensors')).params;
  assert.ok(params['1.running_var'] && params['1.running_var'].some((v) => Math.abs(v - 1) > 1e-3), 'running variance saved and trained');
  assert.ok(params['5.running_mean'], 'second batch norm at Sequential index 5 (0 Linear, 1 BN, 2 Mish, 3 Dropout, 4 Linear, 5 BN)');

  const n = 2000, nf = 4;
  const raw = events.featureMatrix().subarray(0, n * nf);
  const saved = model.score(raw, n);
  const scaled = Float32Array.from(raw, (v, i) => Math.fround(Math.fround(v - json.inputShift[i % nf]) * json.inputScale[i % nf]));
  const net = lib.models.scoreMatrix(cfg.model!, params, scaled, nf); // the modules in eval mode
  let worst = 0, spread = 0;
  for (let i = 0; i < n; i++) {
    worst = Math.max(worst, Math.abs(saved[i] - net[i]));
    spread = Math.max(spread, Math.abs(saved[i] - saved[0]));
  }
  assert.ok(worst <= 1e-6, `max |model file − eval-mode net| = ${worst}`);
  assert.ok(spread > 1e-2, 'the net separates events');

  const onnx = join(runDir, 'net.onnx');
  writeFileSync(onnx, model.toOnnx({ opset: 18 }));
  const session = await ort.InferenceSession.create(onnx);
  const got = (await session.run({ features: new ort.Tensor('float32', Float32Array.from(raw), [n, nf]) })).score.data as Float32Array;
  await session.release();
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(got[i] - saved[i]));
  assert.ok(d <= 1e-6, `max |onnxruntime − fomlab| = ${d}`);

  const again = await trained('b');
  const p2 = lib.train.loadTrainedNet(join(again.runDir, 'checkpoints', 'net-0.safetensors')).params;
  for (const k of Object.keys(params)) assert.deepEqual([...p2[k]], [...params[k]], `${k}: same seed, same parameters`);
});
