import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { forwardSpec } from '../../src/models/spec.js';
import { loadFeedForwardSpec } from '../../src/models/spec-json.js';
import { runCli } from '../cli-run.js';

const cli = runCli;

const MODEL = {
  inputNames: ['recoilMass2', 'pt'],
  layers: [
    { nIn: 2, nOut: 3, activation: 'tanh', weight: [[0.5, -1], [1.5, 0.25], [-0.75, 2]], bias: [0.1, -0.2, 0.3] },
    { nIn: 3, nOut: 1, activation: 'sigmoid', weight: [1, -2, 0.5], bias: [0.05] },
  ],
  inputShift: [10, 1], inputScale: [0.1, 2],
};

test('onnx: fomlab export MODEL --onnx writes MODEL.onnx that onnxruntime scores like fomlab', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-export-'));
  try {
    const model = join(dir, 'net.json');
    writeFileSync(model, JSON.stringify(MODEL));
    const r = await cli(['export', model, '--onnx']);
    assert.equal(r.code, 0, r.err);
    const onnx = join(dir, 'net.onnx');
    assert.ok(existsSync(onnx));
    assert.match(r.out, /net\.onnx/);
    const x = new Float32Array([12, 0.5, 3, 2.5, -4, 1]);
    const session = await ort.InferenceSession.create(onnx);
    const got = (await session.run({ features: new ort.Tensor('float32', x, [3, 2]) })).score.data as Float32Array;
    await session.release();
    const ref = forwardSpec(await loadFeedForwardSpec(model), x, 3);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-6);
    const r2 = await cli(['export', model, '--onnx', '--out', join(dir, 'x', 'other.onnx'), '--opset', '20']);
    assert.equal(r2.code, 0, r2.err);
    assert.ok(existsSync(join(dir, 'x', 'other.onnx')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('onnx: fomlab export errors name the file and the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-export-'));
  try {
    const model = join(dir, 'net.json');
    assert.match((await cli(['export', model, '--onnx'])).err, /net\.json: no such model file/);
    writeFileSync(model, JSON.stringify({ ...MODEL, layers: [MODEL.layers[0], { ...MODEL.layers[1], nIn: 4 }] }));
    const r = await cli(['export', model, '--onnx']);
    assert.equal(r.code, 2);
    assert.match(r.err, /net\.json: layers\[1\]\.nIn is 4, layers\[0\]\.nOut is 3/);
    writeFileSync(model, JSON.stringify(MODEL));
    assert.match((await cli(['export', model])).err, /which format\? only --onnx/);
    assert.match((await cli(['export', model, '--onnx', '--opset', '7'])).err, /opset 7 is not supported/);
    assert.equal(existsSync(join(dir, 'net.onnx')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
