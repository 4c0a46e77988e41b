// The 'regions' model kind: one gbdt per mass region; every event is scored by the model of its own
// region (recounted here event by event against the region models scored on their own), the
// routing column is not a region-model input, and the model file scores raw features as the
// trainer's scaled matrix did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { modelFromJson, modelKind, modelOptions, scoreMatrix, savedModel, type FitSplit, type ModelConfig } from '../../src/models/registry.js';
import { regionOf } from '../../src/models/regions.js';
import { modelSchema } from '../../src/config/training.js';

const emptyRows = { nHypotheses: 0, sigOffsets: Int32Array.of(0), sigEvents: new Int32Array(0), sigCoef: new Float64Array(0), bkgOffsets: Int32Array.of(0), bkgEvents: new Int32Array(0), bkgCoef: new Float64Array(0) };

/** n events: feature 0 the mass in [0, 10) GeV, feature 1 a discriminant whose sign flips at m = 4 (so the regions need different trees). */
function events(n: number, seed: number): { raw: Float32Array; labels: Float32Array } {
  const rng = new Rng(seed);
  const raw = new Float32Array(2 * n), labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = rng.uniform() * 10, y = rng.uniform() < 0.4 ? 1 : 0;
    const shift = (y ? 1 : -1) * (m < 4 ? 1 : -1);
    raw[2 * i] = m;
    raw[2 * i + 1] = shift + rng.normal();
    labels[i] = y;
  }
  return { raw, labels };
}

const offset = [5, 0.2], scale = [2.5, 1.5];
const scaled = (raw: Float32Array): Float32Array => Float32Array.from(raw, (v, k) => (v - offset[k % 2]) / scale[k % 2]);
const split = (x: Float32Array, labels: Float32Array): FitSplit => {
  const w = new Float32Array(labels.length).fill(1);
  return { n: labels.length, nFeatures: 2, x, labels, weights: w, bceWeights: w, punzi: emptyRows };
};

test('regions: each event scored by its region’s model (edges 1, 4, 7 GeV), saved file = trainer’s scores', () => {
  const cfg = modelSchema.parse({ kind: 'regions', variable: 'mass', edges: [1, 4, 7], model: { kind: 'gbdt', n_estimators: 8, max_depth: 2, learning_rate: 0.3 } }) as ModelConfig;
  const { kind, options } = modelOptions(cfg);
  const tr = events(3000, 1), va = events(1000, 2), te = events(500, 3);
  const fit = kind.fit!({
    train: split(scaled(tr.raw), tr.labels), validation: split(scaled(va.raw), va.labels), options, seed: 1,
    stages: [{ name: 'bce', options: { loss: 'bce' } }], sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' },
    inputs: { names: ['mass', 'disc'], offset, scale },
  });
  const xs = scaled(te.raw);
  const merged = scoreMatrix(cfg, fit.params, xs, 2);
  // recount by hand: score each region's events with that region's gbdt alone, on the discriminant only
  const gbdt = modelKind('gbdt');
  const gbdtOptions = modelOptions({ kind: 'gbdt', ...(cfg.model as Record<string, unknown>) }).options;
  const counts = [0, 0, 0, 0];
  for (let r = 0; r < 4; r++) {
    const sub: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(fit.params)) if (k.startsWith(`r${r}/`)) sub[k.slice(3)] = v;
    const p = gbdt.scoreParams!(sub, Float32Array.from({ length: 500 }, (_, i) => xs[2 * i + 1]), 1, gbdtOptions);
    for (let i = 0; i < 500; i++) {
      const m = te.raw[2 * i];
      const region = m < 1 ? 0 : m < 4 ? 1 : m < 7 ? 2 : 3;
      assert.equal(regionOf(m, [1, 4, 7]), region);
      if (region !== r) continue;
      counts[r]++;
      assert.equal(merged[i], p[i], `event ${i} (m = ${m}) in region ${r}`);
    }
  }
  assert.equal(counts.reduce((a, b) => a + b, 0), 500);
  assert.ok(counts.every((c) => c > 20), `${counts}`);
  // the sign flip at 4 GeV is learnt per region: signal above background on both sides
  const meanBy = (r: number, y: number): number => {
    let s = 0, k = 0;
    for (let i = 0; i < 500; i++) if (regionOf(te.raw[2 * i], [1, 4, 7]) === r && te.labels[i] === y) { s += merged[i]; k++; }
    return s / k;
  };
  for (const r of [1, 2]) assert.ok(meanBy(r, 1) > meanBy(r, 0) + 0.2, `region ${r}`);
  // the model file scores raw features (its scaling inside) as the trainer's matrix; and survives JSON
  const file = savedModel(cfg, fit.params, ['mass', 'disc'], Float32Array.from(offset), Float32Array.from(scale, (s) => 1 / s));
  const again = modelFromJson(JSON.parse(JSON.stringify(file.toJson())), 'regions.json');
  const a = file.score(te.raw, 500), b = again.score(te.raw, 500);
  for (let i = 0; i < 500; i++) {
    assert.ok(Math.abs(a[i] - merged[i]) < 1e-6, `event ${i}: ${a[i]} vs ${merged[i]}`);
    assert.equal(a[i], b[i]);
  }
  assert.throws(() => file.toOnnx(), /ONNX export of per-region models is not implemented/);
});

test('regions: clear errors for a routing variable that is no feature, bad edges, an epoch-trained inner kind', () => {
  assert.throws(() => modelSchema.parse({ kind: 'regions', variable: 'M', edges: [4, 1], model: { kind: 'gbdt' } }), /strictly increasing/);
  assert.throws(() => modelSchema.parse({ kind: 'regions', variable: 'M', edges: [1], model: { kind: 'mlp' } }), /fitted kinds \(gbdt\); 'mlp'/);
  const cfg = modelSchema.parse({ kind: 'regions', variable: 'M', edges: [1], model: { kind: 'gbdt', n_estimators: 2 } }) as ModelConfig;
  const { kind, options } = modelOptions(cfg);
  const tr = events(200, 1);
  assert.throws(() => kind.fit!({
    train: split(tr.raw, tr.labels), validation: split(tr.raw, tr.labels), options, seed: 1, stages: [{ name: 'bce', options: { loss: 'bce' } }],
    sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' }, inputs: { names: ['mass', 'disc'], offset: [0, 0], scale: [1, 1] },
  }), /variable 'M' must be one of the features \(data.columns.features: mass, disc\)/);
});
