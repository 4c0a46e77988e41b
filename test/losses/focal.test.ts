import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradcheck, noGrad, tensor } from '../../src/core/index.js';
import { parseConfig } from '../../src/config/load.js';
import { stageTerms } from '../../src/config/training.js';
import { methodsOf } from '../../src/evaluate/judge.js';
import { weightedBce } from '../../src/losses/bce.js';
import { focalLoss } from '../../src/losses/focal.js';
import { Search } from '../../src/physics/search.js';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { prepareRun } from '../../src/train/prepare.js';
import { trainNet } from '../../src/train/trainer.js';

// The focal loss (src/losses/focal.ts) is the smallest example of a loss added through the
// registry: its module and one registration line; config, trainer and judge pick it up.

test('focal loss: a hand-derived value, γ = 0 and α = ½ give half the weighted BCE', () => {
  // one signal event, p = 0.9, α = 0.25, γ = 2: FL = α (1 − p)² (−ln p) = 0.25 · 0.01 · 0.1053605157 = 2.634012893e-4
  const one = focalLoss(tensor([0.9], [1], { dtype: 'float64' }), Float32Array.of(1), Float32Array.of(1), 0.25, 2).item();
  assert.ok(Math.abs(one - 2.634012893e-4) < 1e-12, `FL = ${one}`);
  // background event p = 0.2 (p_t = 0.8), weight 3, with a signal of weight 1 at p = 0.6: Σ w α_t (1−p_t)^γ (−ln p_t) / Σ w
  // = [1 · 0.25 · 0.4² · 0.5108256238 + 3 · 0.75 · 0.2² · 0.2231435513] / 4 = (0.02043302495 + 0.02008291962) / 4 = 0.01012898614
  const two = focalLoss(tensor([0.6, 0.2], [2], { dtype: 'float64' }), Float32Array.of(1, 0), Float32Array.of(1, 3), 0.25, 2).item();
  assert.ok(Math.abs(two - 0.01012898614) < 1e-10, `FL = ${two}`);
  const p = tensor([0.9, 0.2, 0.6, 0.3, 0.55], [5], { dtype: 'float64' });
  const y = Float32Array.of(1, 0, 0, 1, 1), w = Float32Array.of(1, 2, 1, 0.5, 1.5);
  const half = focalLoss(p, y, w, 0.5, 0).item(), bce = weightedBce(p, y, w).item();
  assert.ok(Math.abs(half - bce / 2) < 1e-12, `γ = 0, α = ½: ${half} vs BCE/2 ${bce / 2}`);
});

test('focal loss: gradient with respect to the output matches finite differences', () => {
  const y = Float32Array.of(1, 0, 0, 1, 1, 0), w = Float32Array.of(1, 2, 1, 0.5, 1.5, 0.7);
  for (const [alpha, gamma] of [[0.25, 2], [0.6, 0.5], [0.5, 0]]) {
    const p = tensor([0.9, 0.2, 0.6, 0.3, 0.55, 0.05], [6], { dtype: 'float64', requiresGrad: true });
    const r = gradcheck((q) => focalLoss(q, y, w, alpha, gamma), [p], { eps: 1e-7, atol: 1e-7, rtol: 1e-5 });
    assert.ok(r.worst <= 1, `α = ${alpha}, γ = ${gamma}: worst ${r.worst} at ${r.where}`);
  }
});

// a small problem (as test/train/trainer.test.ts): 3 masses, fixed windows
const events = simulateTable({ ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 600, muonFourVectors: false, seed: 6, backgroundScale: { mumu_gamma: 0.3, tautau: 0.05, eemumu: 0.01 } });
const search = new Search({ hypotheses: { masses: [1, 2, 3] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.3 } });
const prep = prepareRun(events, search, { split: { train: 0.6, validation: 0.2, test: 0.2, seed: 2 }, scaling: 'standard', generatedPerMass: 600 });
const stagesOf = (yaml: string) => parseConfig(`data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\ntraining:\n  stages:\n${yaml}`, 'focal.yaml').training!.stages;

test('focal loss in a stage through the config: alone, and as a scoped term beside BCE', () => {
  const stages = stagesOf(`    - {loss: bce, lr: 1, batchSize: 512, epochs: 2}
    - {loss: focal, gamma: 2, alpha: 0.5, lr: 0.5, batchSize: 512, epochs: 4}
    - {name: mixed, loss: [{loss: bce}, {loss: focal, weight: 0.5, gamma: 1, scope: {events: background}}], lr: 0.5, batchSize: 512, epochs: 2}`);
  assert.deepEqual(stageTerms(stages[1]).map((t) => [t.module.name, t.options, t.weight, t.scope]), [['focal', { alpha: 0.5, gamma: 2, balance: true }, 1, { events: 'all', window: 'training' }]]);
  assert.deepEqual(stageTerms(stages[2]).map((t) => [t.module.name, t.weight, t.scope.events]), [['bce', 1, 'all'], ['focal', 0.5, 'background']]);
  const net = trainNet({ train: prep.train, validation: prep.validation, seed: 3, model: { kind: 'mlp', hidden: [8, 4] }, stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' } });
  assert.deepEqual(net.logs.map((l) => [l.stage, l.loss, l.epochs.length]), [['bce', 'bce', 2], ['focal-1', 'focal', 4], ['mixed', 'bce+focal', 2]]);
  const focal = net.logs[1].epochs;
  assert.ok(focal.every((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.validLoss)));
  assert.ok(focal[focal.length - 1].validLoss < focal[0].validLoss, `focal validation loss ${focal.map((e) => e.validLoss.toExponential(3)).join(' → ')}`);
  // the methods the report compares: one per leading loss, at the end of its last stage
  assert.deepEqual(methodsOf(stages).map((m) => [m.name, m.stages]), [['Focal', ['bce', 'focal-1']], ['BCE', ['bce', 'focal-1', 'mixed']]]);
});

test('a stage of terms: L = Σ λ_t L_t over each term\'s scope (checked against the modules called by hand)', async () => {
  const { stageLoss } = await import('../../src/train/terms.js');
  const [stage] = stagesOf('    - {loss: [{loss: bce, balance: false}, {loss: focal, weight: 0.5, scope: {events: background}}], lr: 1, epochs: 1}');
  const ctx = { sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const }, epoch: 0, epochs: 1 };
  const split = prep.validation;
  const p = tensor(Float64Array.from({ length: split.n }, (_, i) => 0.05 + 0.9 * ((i * 7919) % 1000) / 1000), [split.n], { dtype: 'float64' });
  const rows = Int32Array.from({ length: 300 }, (_, k) => (k * 13) % split.n);
  const got = noGrad(() => stageLoss(stageTerms(stage), split, ctx).value(tensor(Float64Array.from(rows, (i) => p.data[i]), [rows.length], { dtype: 'float64' }), rows)!.item());
  const pick = (a: ArrayLike<number>, idx: ArrayLike<number>) => Float64Array.from(idx as ArrayLike<number>, (i) => a[i]);
  const bkg = Int32Array.from(rows).filter((i) => split.labels[i] < 0.5);
  const bce = weightedBce(tensor(pick(p.data, rows), [rows.length], { dtype: 'float64' }), Float32Array.from(pick(split.labels, rows)), Float32Array.from(pick(split.weights, rows))).item();
  const fl = focalLoss(tensor(pick(p.data, bkg), [bkg.length], { dtype: 'float64' }), new Float32Array(bkg.length), Float32Array.from(pick(split.bceWeights, bkg)), 0.25, 2).item();
  assert.ok(bkg.length > 0 && bkg.length < rows.length);
  assert.ok(Math.abs(got - (bce + 0.5 * fl)) < 1e-12, `${got} vs ${bce} + 0.5 · ${fl}`);
});

test('loss options and terms are validated by the loss modules, errors name the key', () => {
  const err = (yaml: string): string => {
    try {
      stagesOf(yaml);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.match(err('    - {loss: focal, gama: 2, lr: 1, epochs: 1}'), /training\.stages\[0\]\.gama: unknown key \(did you mean: gamma\?\)/);
  assert.match(err('    - {loss: focall, lr: 1, epochs: 1}'), /training\.stages\[0\]\.loss: unknown loss 'focall'.*focal/);
  assert.match(err('    - {loss: focal, alpha: 2, lr: 1, epochs: 1}'), /training\.stages\[0\]\.alpha: expected a number between 0 and 1/);
  assert.match(err('    - {loss: [{loss: bce}, {loss: focal, weight: -1}], lr: 1, epochs: 1}'), /training\.stages\[0\]\.loss\[1\]\.weight: expected a number > 0/);
  assert.match(err('    - {loss: [{loss: bce, scope: {events: signals}}], lr: 1, epochs: 1}'), /training\.stages\[0\]\.loss\[0\]\.scope\.events: expected one of all, signal, background/);
  assert.match(err('    - {loss: [{loss: bce}], gamma: 2, lr: 1, epochs: 1}'), /training\.stages\[0\]\.gamma: unknown key \(with a list of loss terms/);
  assert.match(err('    - {loss: punzi, balance: true, lr: 1, epochs: 1}'), /training\.stages\[0\]\.balance: unknown key/);
});
