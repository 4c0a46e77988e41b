import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { trainRun } from '../../src/train/run.js';
import { loadModelFile } from '../../src/models/registry.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

// The examples' --quick variant: Z′ at 1, 1.5, 2, 2.5, 3 GeV (1.5 and 2.5 held out: interpolation),
// 600 signal events per mass, a thinned background, fixed ±0.3 GeV windows, one net, 3 epochs.
const events = simulateTable({
  ...defaultSimulationConfig(), zprimeMasses: [1, 1.5, 2, 2.5, 3], signalPerMass: 600, muonFourVectors: false, seed: 5,
  backgroundScale: { mumu_gamma: 0.3, tautau: 0.05, eemumu: 0.01 },
});

function quick(example: string): { raw: Record<string, any>; text: string } {
  const raw = parse(readFileSync(new URL(`../../examples/${example}`, import.meta.url), 'utf8')) as Record<string, any>;
  const stages = raw.training.stages.map((s: Record<string, unknown>) => ({ ...s, epochs: 3, batchSize: 512 }));
  const text = stringify({
    ...raw, search: { ...raw.search, hypotheses: { masses: [1, 1.5, 2, 2.5, 3], train: { every: 2 } }, window: { halfWidth: 0.3 }, generatedPerMass: 600 },
    model: { ...raw.model, hidden: [16, 16] }, training: { ...raw.training, ensemble: 1, workers: 1, stages },
  });
  return { raw, text };
}

for (const [example, kind, parameterised] of [
  ['pnn-random.yaml', 'mlp', { background: 'random', redraw: true }],
  ['pnn-affine-balanced.yaml', 'affine-pnn', { background: 'random', balanced: true }],
] as const) {
  test(`examples/${example} --quick: trains, judges every mass (held-out ones too) at its own hypothesis, saves a model with the mass input`, async () => {
    const { raw, text } = quick(example);
    // the study's settings: [64, 64] ReLU, BCE, Adam
    assert.deepEqual([raw.model.kind, raw.model.hidden, raw.model.activation, raw.training.stages[0].loss, raw.training.stages[0].optimizer], [kind, [64, 64], 'relu', 'bce', 'adam']);
    assert.deepEqual(raw.parameterised, parameterised);
    const dir = mkdtempSync(join(tmpdir(), 'fomlab-pnn-'));
    try {
      const { summary } = await trainRun(parseConfig(text, example), { runDir: join(dir, 'run'), configName: example, events, log: () => {} });
      const s = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(s.masses.length, summary.masses.length);
      assert.deepEqual(s.masses.map((m) => [m.mass, m.heldOut]), [[1, false], [1.5, true], [2, false], [2.5, true], [3, false]]);
      for (const m of s.masses) assert.ok(Number.isFinite(m.results.BCE.sigmaMinMean) && m.results.BCE.sigmaMinMean > 0, `σ_min at ${m.mass}`);
      const saved = loadModelFile(join(dir, 'run', 'models', 'bce.json'));
      assert.equal(saved.kind, kind);
      assert.deepEqual(saved.inputNames, ['feature_1', 'feature_2', 'feature_3', 'feature_4', 'mass_hypothesis']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a pNN trained with the Punzi loss (background: window): each window\'s term reads its own hypothesis\'s score; BCE and Punzi judged at every mass', async () => {
  const text = `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search: {hypotheses: {masses: [1, 1.5, 2, 2.5, 3], train: {every: 2}}, window: {halfWidth: 0.3}, generatedPerMass: 600}
parameterised: {background: window}
model: {kind: mlp, hidden: [16, 16], activation: relu, init: pytorch}
training:
  workers: 1
  stages:
    - {loss: bce, optimizer: adam, lr: 0.005, batchSize: 512, epochs: 3}
    - {loss: punzi, optimizer: adam, lr: 0.001, batchSize: full, epochs: 3}
`;
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-pnn-punzi-'));
  try {
    const { summary } = await trainRun(parseConfig(text, 'pnn-punzi.yaml'), { runDir: join(dir, 'run'), configName: 'pnn-punzi', events, log: () => {} });
    assert.deepEqual(summary.methods.map((m) => m.name), ['BCE', 'Punzi']);
    assert.deepEqual(summary.masses.map((m) => m.mass), [1, 1.5, 2, 2.5, 3]);
    for (const m of summary.masses) for (const k of ['BCE', 'Punzi']) assert.ok(Number.isFinite(m.results[k].sigmaMinMean), `${k} σ_min at ${m.mass}`);
    const punzi = summary.history.find((h) => h.method === 'Punzi' && (h.loss ?? '').toLowerCase().includes('punzi'))!;
    assert.ok(punzi.epochs.every((e) => Number.isFinite(e.trainLoss)), 'finite Punzi loss');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
