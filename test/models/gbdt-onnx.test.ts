// ONNX export of boosted trees (TreeEnsembleClassifier) run by onnxruntime-node: probabilities equal fomlab's to
// 1e-6, on a fomlab-trained forest and on an imported XGBoost model, with missing values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/core/rng.js';
import { boost } from '../../src/models/gbdt/boost.js';
import { probabilities, type Forest } from '../../src/models/gbdt/forest.js';
import { encodeForestOnnx } from '../../src/models/gbdt/onnx.js';
import { loadXgboostModel } from '../../src/models/gbdt/xgboost.js';

async function check(f: Forest, cols: Float32Array[], n: number): Promise<void> {
  const nf = cols.length, x = new Float32Array(n * nf);
  for (let i = 0; i < n; i++) for (let j = 0; j < nf; j++) x[i * nf + j] = cols[j][i];
  const s = await ort.InferenceSession.create(encodeForestOnnx(f), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const out = await s.run({ features: new ort.Tensor('float32', x, [n, nf]) });
  assert.deepEqual(out.score.dims, [n, 1]);
  const ours = probabilities(f, cols, n), theirs = out.score.data as Float32Array, both = out.probabilities.data as Float32Array;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
    assert.ok(Math.abs(both[2 * i] + both[2 * i + 1] - 1) < 1e-6);
    assert.equal(Number((out.label.data as BigInt64Array)[i]), both[2 * i + 1] > 0.5 ? 1 : 0);
  }
  assert.ok(worst <= 1e-6, `max |Δp| = ${worst}`);
}

test('ONNX TreeEnsembleClassifier of a fomlab forest (NaN, loss-guided, base_score 0.3) = fomlab to 1e-6', async () => {
  const rng = new Rng(11), n = 4000;
  const cols = Array.from({ length: 4 }, () => Float32Array.from({ length: n }, () => (rng.uniform() < 0.1 ? NaN : rng.normal())));
  const target = Float32Array.from({ length: n }, (_, i) => (rng.uniform() < 1 / (1 + Math.exp(-(cols[0][i] || 0) * 2 + (cols[1][i] || 0) ** 2 - 1)) ? 1 : 0));
  const r = boost({ options: { n_estimators: 30, grow_policy: 'lossguide', max_depth: 0, max_leaves: 10, base_score: 0.3 }, inputNames: ['a', 'b', 'c', 'd'], train: { columns: cols, target, weight: null } });
  assert.ok(r.forest.trees.every((t) => t.feature.length === 19));
  await check(r.forest, cols, n);
});

test('ONNX of an imported XGBoost model (depth 6, missing values) = fomlab to 1e-6', async () => {
  const dir = new URL('../fixtures/xgboost/', import.meta.url);
  const f = loadXgboostModel(new URL('depth6_missing.model.json', dir).pathname);
  const rows = (JSON.parse(readFileSync(new URL('depth6_missing.expected.json', dir), 'utf8')) as { rows: Array<Array<number | null>> }).rows;
  await check(f, f.inputNames.map((_, j) => Float32Array.from(rows, (r) => r[j] ?? NaN)), rows.length);
});
