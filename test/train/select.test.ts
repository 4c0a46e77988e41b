import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/index.js';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { prepareRun } from '../../src/train/prepare.js';
import { trainNet } from '../../src/train/trainer.js';
import { significanceDue } from '../../src/train/select.js';
import { significanceSplit } from '../../src/train/run.js';
import { scoreSplit } from '../../src/evaluate/judge.js';
import { binnedSignificance } from '../../src/evaluate/binned.js';
import { parseConfig } from '../../src/config/load.js';
import type { StageConfig } from '../../src/config/training.js';

test('selection schedule: every 5 epochs up to 50, every 10 after, and the stage’s last epoch', () => {
  const every: Array<[number | null, number]> = [[50, 5], [null, 10]];
  const due = Array.from({ length: 85 }, (_, k) => k + 1).filter((e) => significanceDue(e, 85, every));
  assert.deepEqual(due, [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 85]);
  const cfg = parseConfig('data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\ntraining:\n  select: {by: significance}\n  stages:\n    - {loss: bce, lr: 1, epochs: 1}', 'x.yaml');
  assert.deepEqual(cfg.training!.select, { by: 'significance', every: [[50, 5], [null, 10]], bins: 8 });
  assert.throws(() => parseConfig('data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\ntraining:\n  select: {by: auc}\n  stages:\n    - {loss: bce, lr: 1, epochs: 1}', 'x.yaml'), /training\.select\.by/);
});

/** signal at 125 GeV (σ 2) over background flat in 100–180 GeV; f1 separates by 1.5σ */
function toy(n: number): EventTable {
  const r = new Rng(8);
  const f1 = new Float32Array(n), f2 = new Float32Array(n), label = new Float32Array(n), mass = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = r.uniform() < 0.3;
    label[i] = sig ? 1 : 0;
    mass[i] = sig ? 125 + 2 * r.normal() : 100 + 80 * r.uniform();
    f1[i] = (sig ? 1.5 : 0) + r.normal();
    f2[i] = r.normal();
    w[i] = sig ? 0.05 : 1;
  }
  return new EventTable({ f1, f2, label, mass, w }, { features: ['f1', 'f2'], label: 'label', mass: 'mass', weight: 'w' }, 'toy');
}

test('model selection by significance: the chosen epoch has the highest recorded validation significance, recomputed from the kept net', () => {
  const search = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'range', from: 100, to: 180 } });
  const prep = prepareRun(toy(6000), search, { split: { train: 1 / 3, validation: 1 / 3, test: 1 / 3, seed: 1 }, scaling: 'standard' });
  const model = { kind: 'mlp', hidden: [4], activation: 'tanh', init: 'kaiming_normal' } as const;
  const stage = { loss: 'bce', balance: true, optimizer: 'adam', lr: 0.003, momentum: 0, weightDecay: 0, batchSize: 256, epochs: 12, plateau: false } as StageConfig;
  const sig = significanceSplit(prep);
  const net = trainNet({
    train: prep.train, validation: prep.validation, model, stages: [stage], seed: 3, sensitivity: { a: 3, b: 1.28155, lumi: 1, form: 'improved' },
    select: { by: 'significance', every: [[6, 3], [null, 2]], bins: 8 }, significance: sig,
  });
  const log = net.logs[0];
  const zs = log.epochs.filter((e) => e.significance !== undefined);
  assert.deepEqual(zs.map((e) => e.epoch), [3, 6, 8, 10, 12]);
  const best = zs.reduce((a, b) => (b.significance! > a.significance! ? b : a));
  assert.equal(log.bestEpoch, best.epoch);
  // the kept parameters are those of the best epoch: their significance, recounted, is the logged one
  const p = scoreSplit(net.params, model, sig.x, 2);
  const z = binnedSignificance({ output: p, label: sig.labels, weight: sig.weights, mass: sig.mass }, { bins: 8 }).z;
  assert.ok(Math.abs(z - best.significance!) < 1e-9 * z, `${z} vs ${best.significance}`);
  assert.ok(z > 1, `a separating net: Z = ${z}`);
});

test('fomlab train with training.select: the run summary’s history carries the validation significance at the scheduled epochs and the chosen epoch', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { trainRun } = await import('../../src/train/run.js');
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-select-'));
  try {
    const cfg = parseConfig([
      'data: {files: [x.parquet], columns: {features: [f1, f2], label: label, mass: mass, weight: w}, split: {train: 0.34, validation: 0.33, test: 0.33, seed: 1}}',
      'search: {hypotheses: {masses: [125]}, variable: mass, window: {from: 100, to: 180}, figure: asimovZ}',
      'model: {kind: mlp, hidden: [4]}',
      'training:',
      '  compareWithBce: false',
      '  workers: 1',
      '  select: {by: significance, every: [[4, 2], [null, 3]]}',
      '  stages: [{loss: bce, optimizer: adam, lr: 0.003, batchSize: 512, epochs: 8}]',
    ].join('\n'), 'select.yaml');
    const { summary } = await trainRun(cfg, { runDir, configName: 'select', events: toy(3000), log: () => {} });
    const h = summary.history[0];
    assert.deepEqual(h.epochs.filter((e) => e.significance !== undefined).map((e) => e.epoch), [2, 4, 7, 8]);
    const best = h.epochs.filter((e) => e.significance !== undefined).reduce((a, b) => (b.significance! > a.significance! ? b : a));
    assert.equal(h.bestEpoch, best.epoch);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});
