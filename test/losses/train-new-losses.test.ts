import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { stageTerms } from '../../src/config/training.js';
import { prepareTraining, trainRun } from '../../src/train/run.js';
import { tinyEvents } from '../models/tiny-run.js';

// Issue 16, losses: lovasz-z, asimov and process-weighted in stages like bce and punzi — alone and
// as terms beside others — trained end to end by trainRun on the tiny simulated run, with the
// processes' σ_i, N_i from data.processes (category column: 0 signal, 1 μμγ, 2 ττ, 3 eeμμ).
const config = `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights, category: category}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
  processes:
    0: {crossSection: 10, nGenerated: 1800}
    1: {crossSection: 400000, nGenerated: 100000}
    2: {crossSection: 900000, nGenerated: 30000}
    3: {crossSection: 2000000, nGenerated: 5000}
search:
  hypotheses: {masses: [1, 2, 3]}
  window: {halfWidth: 0.3}
  generatedPerMass: 600
training:
  ensemble: 1
  workers: 1
  stages:
    - {loss: process-weighted, count: inverse, crossSection: root, lr: 0.02, batchSize: 512, epochs: 3}
    - {loss: lovasz-z, error: sigmoid, lr: 0.3, batchSize: 2048, epochs: 3}
    - {name: mixed, loss: [{loss: bce}, {loss: lovasz-z, weight: 0.5, error: focal}, {loss: asimov, weight: 0.1, backgroundUncertainty: 0.1}], lr: 0.3, batchSize: 1024, epochs: 2}
    - {loss: asimov, lr: 0.01, batchSize: full, epochs: 3}
`;

test('lovasz-z, asimov and process-weighted train through trainRun, alone and as terms', async () => {
  const cfg = parseConfig(config, 'losses16.yaml');
  assert.deepEqual(cfg.training!.stages.map((s) => stageTerms(s).map((t) => `${t.module.name}×${t.weight}`).join('+')),
    ['process-weighted×1', 'lovasz-z×1', 'bce×1+lovasz-z×0.5+asimov×0.1', 'asimov×1']);
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-losses16-'));
  const { summary } = await trainRun(cfg, { runDir, configName: 'losses16', events: tinyEvents(4), log: () => {} });
  const last = summary.history.filter((h) => h.method === summary.methods[summary.methods.length - 1].name);
  assert.deepEqual(last.map((h) => [h.stage, h.epochs.length]), [['process-weighted', 3], ['lovasz-z-1', 3], ['mixed', 2], ['asimov-3', 3]]);
  for (const h of last) for (const e of h.epochs) assert.ok(Number.isFinite(e.trainLoss) && Number.isFinite(e.validLoss ?? NaN), `${h.stage}: ${JSON.stringify(e)}`);
  const v = (stage: string): number[] => last.find((h) => h.stage === stage)!.epochs.map((e) => e.validLoss!);
  // each loss improves on its own validation value: the process-weighted BCE, the Lovász-Z surrogate (in [0, 1]) and −Z_A
  for (const s of ['process-weighted', 'lovasz-z-1', 'asimov-3']) assert.ok(v(s)[v(s).length - 1] < v(s)[0], `${s}: ${v(s).join(' → ')}`);
  assert.ok(v('lovasz-z-1').every((x) => x > 0 && x < 1), 'Δ̄_Z of sigmoid errors (≤ 1 each) lies in [0, 1]');
  assert.ok(v('asimov-3').every((x) => x < 0), '−Z_A < 0');
});

test('process-weighted without data.processes: one error naming the stage\'s loss key, before training', async () => {
  const bare = config.replace(/  processes:\n(    .*\n){4}/, '').replace(', category: category', '');
  assert.ok(!bare.includes('processes:'));
  await assert.rejects(prepareTraining(parseConfig(bare, 'bare.yaml'), tinyEvents(4)), /^FomlabError: training\.stages\[0\]\.loss: process-weighted weights each event by its process: needs data\.processes and columns\.category/);
});
