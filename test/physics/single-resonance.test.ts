import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { parseConfig } from '../../src/config/load.js';
import { Search } from '../../src/physics/search.js';
import { fixedWindows, windowIncidence } from '../../src/physics/windows.js';
import { searchOf } from '../../src/train/run.js';

function rows(r: { offsets: Int32Array; events: Int32Array }, h: number): number[] {
  return [...r.events.subarray(r.offsets[h], r.offsets[h + 1])];
}

test('no generated-mass column: a signal event counts for every window holding its mass; ε over all signal', () => {
  // hypotheses 1 and 2 GeV, ±0.6 → windows (0.4, 1.6) and (1.4, 2.6)
  // events: 0 S 1.0 | 1 S 1.5 | 2 S 3.0 | 3 B 1.5 | 4 B 2.0 | 5 B 0.1
  const mass = Float32Array.from([1.0, 1.5, 3.0, 1.5, 2.0, 0.1]);
  const label = Float32Array.from([1, 1, 1, 0, 0, 0]);
  const inc = windowIncidence([1, 2], fixedWindows([1, 2], 0.6, 'mass'), { mass, label, genMass: null });
  assert.deepEqual(rows(inc.signal, 0), [0, 1]);
  assert.deepEqual(rows(inc.signal, 1), [1]);
  assert.deepEqual(rows(inc.background, 0), [3]);
  assert.deepEqual(rows(inc.background, 1), [3, 4]);
  assert.deepEqual([...inc.nGenerated], [3, 3], 'all 3 signal events are the denominator of ε');
  assert.equal(inc.unmatchedSignal, 0);
});

test('H→Zγ-like search: one hypothesis, window {from: 120, to: 130} or the central 5–95 percent of the signal', () => {
  // signal at 120.5, 121.5, …, 139.5 GeV (20 events); background at 100, 105, …, 145
  const sig = Array.from({ length: 20 }, (_, i) => 120.5 + i);
  const bkg = Array.from({ length: 10 }, (_, i) => 100 + 5 * i);
  const ev = new EventTable(
    { m: Float32Array.from([...sig, ...bkg]), y: Float32Array.from([...sig.map(() => 1), ...bkg.map(() => 0)]) },
    { mass: 'm', label: 'y' },
  );
  const range = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'range', from: 120, to: 130 } });
  const inc = range.incidence(ev);
  // 120.5 … 129.5: 10 signal events; background 125 (index 25) only (120 and 130 sit on the open edges)
  assert.equal(inc.signal.offsets[1], 10);
  assert.deepEqual(rows(inc.background, 0), [25]);
  assert.equal(inc.nGenerated[0], 20);
  assert.throws(() => new Search({ hypotheses: { masses: [125, 130] }, variable: 'mass', window: { kind: 'range', from: 120, to: 130 } }), /window of one hypothesis; there are 2/);
  // percentile in percent: 5 % of 20 → the 1st event (120.5), 95 % → the 19th (138.5)
  const pct = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'percentile', from: 5, to: 95 } });
  const w = pct.windowOf(0, ev);
  assert.equal(w.low, 120.5);
  assert.equal(w.high, 138.5);
  assert.throws(() => new Search({ hypotheses: { masses: [1, 2] }, variable: 'mass', window: { kind: 'percentile' } }).windows(ev), /no generated-mass column/);
});

test("config: window {percentile: [5, 95]} (the README's example) is percent from validate to train", () => {
  // before: validate passed, the search then failed with "percentiles must satisfy 0 ≤ from < to ≤ 1, got 5, 95"
  const cfg = parseConfig(`
data: {files: [x.csv], columns: {features: [a], label: y, mass: m}}
search: {hypotheses: {masses: [125]}, variable: mass, window: {percentile: [5, 95]}}
`);
  const sig = Array.from({ length: 20 }, (_, i) => 120.5 + i);
  const ev = new EventTable({ m: Float32Array.from(sig), y: new Float32Array(20).fill(1) }, { mass: 'm', label: 'y' });
  const w = searchOf(cfg.search!).windowOf(0, ev);
  assert.deepEqual([w.low, w.high], [120.5, 138.5]);
  assert.throws(() => parseConfig(`
data: {files: [x.csv], columns: {features: [a], label: y, mass: m}}
search: {hypotheses: {masses: [125]}, variable: mass, window: {percentile: [95, 5]}}
`), /search\.window.*from < to/s);
  const range = parseConfig(`
data: {files: [x.csv], columns: {features: [a], label: y, mass: m}}
search: {hypotheses: {masses: [125]}, variable: mass, window: {from: 120, to: 130}, figure: {name: punziFom, halfA: 1.64}}
`);
  assert.deepEqual(range.search!.window, { from: 120, to: 130 });
  assert.deepEqual(range.search!.figure, { name: 'punziFom', halfA: 1.64, bins: 8 });
  assert.equal(searchOf(range.search!).windowOf(0).high, 130);
});
