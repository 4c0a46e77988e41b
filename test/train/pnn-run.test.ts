import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { trainRun } from '../../src/train/run.js';
import { loadModelFile } from '../../src/models/registry.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

// Z′ at 1, 1.5, 2, 2.5, 3 GeV, 1.5 GeV and 2.5 GeV held out (interpolation), a thinned background.
const events = simulateTable({
  ...defaultSimulationConfig(), zprimeMasses: [1, 1.5, 2, 2.5, 3], signalPerMass: 600, muonFourVectors: false, seed: 5,
  backgroundScale: { mumu_gamma: 0.3, tautau: 0.05, eemumu: 0.01 },
});

function config(model: string, parameterised: string): string {
  return `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search:
  hypotheses: {masses: [1, 1.5, 2, 2.5, 3], train: {every: 2}}
  window: {halfWidth: 0.3}
  generatedPerMass: 600
model: ${model}
parameterised: ${parameterised}
training:
  workers: 1
  compareWithBce: false
  stages:
    - {loss: bce, optimizer: adam, lr: 0.005, batchSize: 256, epochs: 4}
`;
}

for (const [name, model, par] of [
  ['pNN (random background mass, redrawn each epoch)', '{kind: mlp, hidden: [16, 16], activation: relu}', '{background: random, redraw: true}'],
  ['affine pNN with balanced mini-batches', '{kind: affine-pnn, hidden: [16, 16]}', '{balanced: true}'],
] as const) {
  test(`${name}: trains, judges every mass (held-out ones too) at its own hypothesis, saves a model with the mass input`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fomlab-pnn-'));
    try {
      const cfg = parseConfig(config(model, par), 'pnn.yaml');
      const { summary } = await trainRun(cfg, { runDir: join(dir, 'run'), configName: 'pnn', events, log: () => {} });
      const s = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(s.masses.length, summary.masses.length);
      assert.deepEqual(s.masses.map((m) => [m.mass, m.heldOut]), [[1, false], [1.5, true], [2, false], [2.5, true], [3, false]]);
      for (const m of s.masses) assert.ok(Number.isFinite(m.results.BCE.sigmaMinMean), `σ_min at ${m.mass}`);
      const saved = loadModelFile(join(dir, 'run', 'models', 'bce.json'));
      assert.deepEqual(saved.inputNames, ['feature_1', 'feature_2', 'feature_3', 'feature_4', 'mass_hypothesis']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
