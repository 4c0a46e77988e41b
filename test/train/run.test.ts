import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { trainRun } from '../../src/train/run.js';
import { FomlabError } from '../../src/core/errors.js';
import { loadFeedForwardSpec } from '../../src/models/spec-json.js';
import { forwardSpec } from '../../src/models/spec.js';

// The seed study's claims on the built-in simulation, at a modest, seeded size: masses
// 0.5–4.5 GeV in 0.25 GeV steps (every second one held out), 1500 signal events per mass,
// two nets per ensemble, BCE pre-training then Punzi fine-tuning.
const masses = Array.from({ length: 17 }, (_, i) => 0.5 + 0.25 * i);
const events = simulateTable({ ...defaultSimulationConfig(), zprimeMasses: masses, signalPerMass: 1500, muonFourVectors: false, seed: 3 });
const width = new URL('../../../shared/data/punzinet/width.txt', import.meta.url).pathname;

function config(extra = ''): string {
  return `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
  scaling: standard
search:
  hypotheses: {from: 0.5, to: 4.5, step: 0.25, train: {every: 2}}
  window: {resolution: ${width}, nSigma: 2}
  sensitivity: {form: improved}
  generatedPerMass: 1500
training:
  seed: 1
  ensemble: 2
  stages:
    - {name: bce, loss: bce, lr: 1, batchSize: 2048, epochs: 15}
    - {name: punzi, loss: punzi, aggregate: logMean, lr: 0.005, batchSize: 20000, epochs: 120}
${extra}`;
}

test('Punzi-net beats the BCE-only net below 4 GeV; held-out masses no worse; one common cut close to per-mass cuts', { timeout: 300_000 }, async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-run-'));
  const { summary } = await trainRun(parseConfig(config(), 'test.yaml'), { runDir, configName: 'test', events, log: () => {} });
  const pts = summary.masses.filter((m) => m.mass < 4);
  const ratio = (m: (typeof pts)[number]): number => m.results.Punzi.sigmaMinMean / m.results.BCE.sigmaMinMean;
  const better = pts.filter((m) => ratio(m) < 1).length;
  assert.ok(better > pts.length / 2, `Punzi below BCE at ${better} of ${pts.length} masses under 4 GeV`);
  const meanRatio = (held: boolean): number => {
    const r = pts.filter((m) => m.heldOut === held).map(ratio);
    return r.reduce((a, b) => a + b, 0) / r.length;
  };
  assert.ok(meanRatio(true) <= meanRatio(false) * 1.05, `held-out ratio ${meanRatio(true)} vs trained ${meanRatio(false)}`);
  const loss = summary.masses.map((m) => m.results.Punzi.sigmaMinCommon / m.results.Punzi.sigmaMinMean);
  const meanLoss = loss.reduce((a, b) => a + b, 0) / loss.length;
  assert.ok(meanLoss <= 1.1, `common cut loses ${((meanLoss - 1) * 100).toFixed(1)} % on average`);
  // the saved best Punzi-net scores like the trained one (model file round trip)
  const spec = await loadFeedForwardSpec(join(runDir, 'models', 'punzi.json'));
  const s = forwardSpec(spec, Float32Array.from([0.1, 0.2, 0.3, 0.4]), 1);
  assert.ok(s[0] > 0 && s[0] < 1);
  assert.ok(existsSync(join(runDir, 'summary.json')));
});

test('clear errors before any training starts', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-run-'));
  const run = (text: string, ev = events) => trainRun(parseConfig(text, 'bad.yaml'), { runDir, configName: 'bad', events: ev, log: () => {} });
  // hypotheses outside the data's mass range (the simulation holds 0.5–4.5 GeV signal)
  await assert.rejects(run(config().replace('{from: 0.5, to: 4.5, step: 0.25, train: {every: 2}}', '{masses: [9.0, 9.5], train: all}').replace('generatedPerMass: 1500', '')),
    (e: unknown) => e instanceof FomlabError && /no training hypothesis has signal|outside/.test(e.message));
  // a window table that does not cover the hypotheses (width.txt ends at 10.3 GeV)
  await assert.rejects(run(config().replace('{from: 0.5, to: 4.5, step: 0.25, train: {every: 2}}', '{masses: [0.5, 11.0]}')),
    (e: unknown) => e instanceof FomlabError && /11/.test(e.message));
  // labels missing
  const noLabels = events.withRoles({ label: undefined });
  await assert.rejects(run(config(), noLabels), (e: unknown) => e instanceof FomlabError && /label/.test(e.message));
  // no search section
  await assert.rejects(run(config().replace(/search:[\s\S]*?generatedPerMass: 1500\n/, '')), (e: unknown) => e instanceof FomlabError && /search/.test(e.message));
});
