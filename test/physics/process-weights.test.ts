import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { EventTable } from '../../src/data/table.js';
import { generatedFromColumn } from '../../src/physics/generated.js';
import { Search } from '../../src/physics/search.js';
import { prepareRun } from '../../src/train/prepare.js';
import { searchInputs, searchOf, withFileWeights } from '../../src/train/run.js';

const head = `
search: {hypotheses: {masses: [1, 2]}, variable: mass, window: {halfWidth: 0.3}, sensitivity: {lumi: 50}}
`;

test('process weights per file: w = σ·L/N_gen·scale; the errors name the config key', () => {
  const cfg = parseConfig(`
data:
  files:
    - {path: sig.csv, label: 1, crossSection: 2, nGenerated: 400}
    - {path: bkg.csv, label: 0, crossSection: 1000, nGenerated: 2000, scale: 0.5}
  columns: {features: [a], mass: m}
${head}`);
  const files = withFileWeights(cfg.data, cfg.search!.sensitivity.lumi).files;
  // 2 fb · 50 fb⁻¹ / 400 = 0.25; 1000 fb · 50 fb⁻¹ / 2000 · 0.5 = 12.5
  assert.deepEqual(files.map((f) => f.weight), [0.25, 12.5]);
  assert.throws(() => parseConfig(`
data: {files: [{path: s.csv, crossSection: 2}], columns: {features: [a]}}
`), /data\.files\[0\].*crossSection and nGenerated together/s);
});

test('process weights per category (data.processes) and the ε denominator from an n_gen column', () => {
  const cfg = parseConfig(`
data:
  files: [x.csv]
  columns: {features: [a], label: y, mass: m, genMass: g, category: c, nGenerated: n_gen}
  processes: {0: {crossSection: 3, nGenerated: 300}, 1: {simulatedLumi: 1000, scale: 2}}
${head}`);
  // signal (category 0) at 1 and 2 GeV with n_gen 500 and 800; background (category 1)
  const ev = new EventTable({
    a: Float32Array.from([0, 0, 0, 0, 0]), y: Float32Array.from([1, 1, 1, 0, 0]), m: Float32Array.from([1, 2, 2.1, 1.1, 1.9]),
    g: Float32Array.from([1, 2, 2, NaN, NaN]), c: Float32Array.from([0, 0, 0, 1, 1]), n_gen: Float32Array.from([500, 800, 800, 0, 0]),
  }, { features: ['a'], label: 'y', mass: 'm', genMass: 'g', category: 'c' });
  const search = searchOf(cfg.search!);
  const r = searchInputs(ev, search, cfg, cfg.search!);
  // 3 fb · 50 / 300 = 0.5 for signal; 50/1000 · 2 = 0.1 for background
  assert.deepEqual([...r.table.weights()], [0.5, 0.5, 0.5, 0.1, 0.1].map(Math.fround));
  assert.deepEqual(r.generatedPerMass, [500, 800]);
  const bad = ev.withColumn('n_gen', Float32Array.from([500, 800, 700, 0, 0]));
  assert.throws(() => generatedFromColumn(search, bad, 'n_gen'), /data\.columns\.nGenerated: column 'n_gen' holds 800 and 700 for the signal of 2 GeV/);
  // no generated mass: the one signal sample's n_gen counts for the hypothesis
  const one = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'range', from: 120, to: 130 } });
  const noGen = new EventTable({ m: Float32Array.from([124, 126, 90]), y: Float32Array.from([1, 1, 0]), n: Float32Array.from([1e4, 1e4, 0]) }, { mass: 'm', label: 'y' });
  assert.deepEqual([...generatedFromColumn(one, noGen, 'n')], [1e4]);
});

test('search.signalScale s_sig enters ε as s_sig·ε (the seed paper\'s trigger-efficiency factor)', () => {
  const n = 200;
  const ev = new EventTable({
    a: Float32Array.from({ length: n }, (_, i) => i % 7), y: Float32Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0)),
    m: Float32Array.from({ length: n }, (_, i) => (i % 2 ? 1 : 0.8 + (i % 5) * 0.1)), g: Float32Array.from({ length: n }, (_, i) => (i % 2 ? 1 : NaN)),
  }, { features: ['a'], label: 'y', mass: 'm', genMass: 'g' });
  const search = new Search({ hypotheses: { masses: [1] }, variable: 'mass', window: { kind: 'fixed', halfWidth: 0.3 } });
  const split = { train: 0.6, validation: 0.2, test: 0.2, seed: 1 };
  const plain = prepareRun(ev, search, { split, scaling: 'none', generatedPerMass: 100 });
  const scaled = prepareRun(ev, search, { split, scaling: 'none', generatedPerMass: 100, signalScale: 0.8 });
  // ε = n_sel / N_gen → 0.8 · n_sel / N_gen: the denominator is N_gen / 0.8
  assert.equal(scaled.test.incidence.nGenerated[0], plain.test.incidence.nGenerated[0] / 0.8);
  assert.equal(plain.test.incidence.nGenerated[0], 100 * plain.test.fraction);
});
