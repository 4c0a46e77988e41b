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
