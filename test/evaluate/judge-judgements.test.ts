import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { Rng } from '../../src/core/rng.js';
import { EventTable } from '../../src/data/table.js';
import { judge, scoreSplit, type TrainedNet } from '../../src/evaluate/judge.js';
import { modelSchema } from '../../src/config/training.js';
import { buildModel, stateOf } from '../../src/models/registry.js';
import { prepareRun } from '../../src/train/prepare.js';
import { searchOf } from '../../src/train/run.js';
import { maxPunziFom } from '../../src/evaluate/punzi-scan.js';

// judge() reaches the judgements at its one call site: every method, every hypothesis, the
// overtraining check from the training split; the AUC checked against a brute-force pair count.
const cfg = parseConfig(`
data:
  files: [unused.csv]
  columns: {features: [f1, f2], label: y, mass: m, genMass: g, weight: w}
  split: {train: 0.5, validation: 0.2, test: 0.3, seed: 2}
search:
  variable: mass
  hypotheses: {masses: [1, 2, 3], train: {every: 2}}
  window: {halfWidth: 0.25}
training:
  stages:
    - {name: bce, loss: bce, lr: 1, batchSize: 256, epochs: 1}
    - {name: punzi, loss: punzi, lr: 0.001, batchSize: 1000, epochs: 1}
`, 'j.yaml');

test('judge: judgements per method and mass, overtraining from the training split, AUC = weighted pair count', () => {
  const rng = new Rng(9);
  const n = 2400;
  const y = new Float32Array(n), m = new Float32Array(n), g = new Float32Array(n), w = new Float32Array(n), f1 = new Float32Array(n), f2 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = i % 3 === 0;
    y[i] = sig ? 1 : 0;
    g[i] = sig ? 1 + (i % 9) / 3 : NaN;
    m[i] = sig ? g[i] * (1 + 0.03 * rng.normal()) : 0.5 + 3 * rng.uniform();
    w[i] = sig ? 1 : 0.5 + rng.uniform();
    f1[i] = (sig ? 1 : 0) + rng.normal();
    f2[i] = 0.3 * f1[i] + rng.normal();
  }
  const table = new EventTable({ f1, f2, y, m, g, w }, cfg.data.columns);
  const search = searchOf(cfg.search!);
  const prep = prepareRun(table, search, { split: cfg.data.split, scaling: 'standard' });
  const model = modelSchema.parse({ kind: 'mlp', hidden: [4] });
  const nets: TrainedNet[] = [1, 2].map((s) => {
    const params = stateOf(buildModel(2, model, new Rng(s)));
    return { params, snapshots: { bce: params }, logs: [] };
  });
  const r = judge({ search, test: prep.test, validation: prep.validationJudged, nets, model, stages: cfg.training!.stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'paper' }, train: prep.train });
  const j = r.judgements!;
  assert.deepEqual(j.methods.map((x) => x.method), ['BCE', 'Punzi']);
  assert.deepEqual(j.correlations!.features, ['f1', 'f2']);
  for (const mj of j.methods) {
    assert.deepEqual(mj.perMass.map((p) => p.mass), [1, 2, 3]);
    const ot = mj.overtraining!;
    assert.ok(ot.signal.pValue >= 0 && ot.signal.pValue <= 1 && ot.background.nTrainEff > 100, JSON.stringify(ot.background.nTrainEff));
    // AUC of the events in any window: Σ_s Σ_b w_s w_b ([o_s > o_b] + ½[o_s = o_b]) / (Σ w_s · Σ w_b)
    const out = scoreSplit(mj.method === 'BCE' ? nets[mj.net].snapshots.bce : nets[mj.net].params, model, prep.test.x, 2);
    const inc = prep.test.incidence;
    const inAny = new Set<number>();
    for (const rows of [inc.signal, inc.background]) for (let k = 0; k < rows.events.length; k++) inAny.add(rows.events[k]);
    const lab = prep.test.table.labels(), wt = prep.test.weights;
    const S = [...inAny].filter((i) => lab[i] === 1), B = [...inAny].filter((i) => lab[i] === 0);
    let num = 0, ws = 0, wb = 0;
    for (const s of S) ws += wt[s];
    for (const b of B) wb += wt[b];
    for (const s of S) for (const b of B) num += wt[s] * wt[b] * (out[s] > out[b] ? 1 : out[s] === out[b] ? 0.5 : 0);
    assert.ok(Math.abs(mj.roc.auc - num / (ws * wb)) < 1e-9, `${mj.roc.auc} vs ${num / (ws * wb)}`);
  }
  // the Punzi FOM's a/2 comes from the search's figure (1.64: the dark-photon slides), default 1.5
  assert.equal(j.punziA, 3);
  const f = judge({ search, test: prep.test, validation: prep.validationJudged, nets, model, stages: cfg.training!.stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'paper' },
    figure: { name: 'punziFom', params: { a: 3, b: 1.28155, lumi: 50, form: 'paper', halfA: 1.64 } } }).judgements!;
  assert.equal(f.punziA, 3.28);
  const out = scoreSplit(nets[f.methods[1].net].params, model, prep.test.x, 2);
  assert.deepEqual(f.methods[1].perMass.map((p) => p.punziFom), [...maxPunziFom(out, prep.test.weights, prep.test.incidence, 3.28).fom]);
  assert.equal(f.methods[1].overtraining, null); // no training split given
});
