import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMeanSe, headlineOf, headlineSentences, meanSe, verdictRanges } from '../../src/evaluate/headline.js';
import type { MassPoint, MethodResult, RunSummary } from '../../src/evaluate/summary.js';

/** a result with only the per-net fields the headline reads (the others are not used) */
function result(sigmaMin: number[], common: number[], validationCut: number[], bValidationCut: number[]): MethodResult {
  return {
    sigmaMinMean: 0, sigmaMinSe: 0, sigmaMinBest: 0, cut: 0.5, efficiency: 0.5, background: 1, sigmaMinCommon: 0,
    perNet: { sigmaMin, sigmaMinCommon: common, sigmaMinValidationCut: validationCut, backgroundValidationCut: bValidationCut },
  };
}

// two nets, three masses: 1 GeV (trained), 2 GeV (held out), 5 GeV (trained)
const masses: MassPoint[] = [
  { mass: 1, heldOut: false, results: { BCE: result([10, 10], [20, 20], [10, 10], [3, 3]), Punzi: result([5, 8], [10, 8], [5, 8], [0, 2]) } },
  { mass: 2, heldOut: true, results: { BCE: result([4, 4], [8, 8], [4, 4], [1, 1]), Punzi: result([4, 2], [6, 3], [4, 2], [1, 1]) } },
  { mass: 5, heldOut: false, results: { BCE: result([1, 1], [2, 2], [1, 1], [1, 1]), Punzi: result([2, 1.1], [2, 1.1], [2, 1.1], [1, 1]) } },
];
const summary = { methods: [{ name: 'BCE', nNets: 2, commonCut: 0.5 }, { name: 'Punzi', nNets: 2, commonCut: 0.5 }], reference: 'BCE', masses } as unknown as RunSummary;

test('meanSe: mean and s/√n (hand values), nulls and infinities left out', () => {
  // 1, 2, 3: mean 2, s = 1, s.e. = 1/√3
  const r = meanSe([1, 2, 3, null, Infinity]);
  assert.equal(r.mean, 2);
  assert.ok(Math.abs(r.se - 1 / Math.sqrt(3)) < 1e-15);
  assert.equal(r.n, 3);
});

test('the headline pairs net k of both methods (numbers by hand)', () => {
  const h = headlineOf(summary)!;
  assert.equal(h.method, 'Punzi');
  assert.equal(h.nets, 2);
  // below 4 GeV: net 0 √(0.5·1) = 0.70711, net 1 √(0.8·0.5) = 0.63246; mean 0.66978, s.e. |a−b|/2 = 0.037326
  assert.ok(Math.abs(h.lowMassRatio.mean - (Math.SQRT1_2 + Math.sqrt(0.4)) / 2) < 1e-12);
  assert.ok(Math.abs(h.lowMassRatio.se - Math.abs(Math.SQRT1_2 - Math.sqrt(0.4)) / 2) < 1e-12);
  // improved: net 0 at 1 GeV only (1), net 1 at 1 and 2 GeV (2)
  assert.deepEqual([h.improved.mean, h.improved.se], [1.5, 0.5]);
  // held out / trained: net 0 (4/4) / √(0.5·2) = 1; net 1 (2/4) / √(0.8·1.1) = 0.5/0.93808
  assert.ok(Math.abs(h.heldOutVsTrained.mean - (1 + 0.5 / Math.sqrt(0.88)) / 2) < 1e-12);
  // own common cut: net 0 (10/5 + 6/4 + 2/2)/3 − 1 = 0.5; net 1 (8/8 + 3/2 + 1.1/1.1)/3 − 1 = 1/6
  assert.ok(Math.abs(h.commonCut.all.mean - (0.5 + 1 / 6) / 2) < 1e-12);
  // without B = 0 (net 0's cut at 1 GeV): net 0 (1.5 + 1)/2 − 1 = 0.25; net 1 unchanged 1/6
  assert.ok(Math.abs(h.commonCut.withoutZeroB.mean - (0.25 + 1 / 6) / 2) < 1e-12);
  assert.equal(h.commonCut.zeroBMasses, 0.5);
  // the paper's fig. 7: Punzi at its common cut against BCE at BCE's per-mass cuts
  // net 0 (10/10 + 6/4 + 2/1)/3 − 1 = 0.5; net 1 (8/10 + 3/4 + 1.1/1)/3 − 1 = −0.11667 (BCE never has B = 0 here)
  assert.ok(Math.abs(h.commonCutVsReference.all.mean - (0.5 - 0.35 / 3) / 2) < 1e-12);
  assert.deepEqual(h.commonCutVsReference.withoutZeroB, h.commonCutVsReference.all);
});

test('per-mass verdicts: helps / hurts only beyond two standard errors', () => {
  const h = headlineOf(summary)!;
  // 1 GeV: ratios 0.5, 0.8 → 0.65 ± 0.15: 0.65 + 0.3 < 1 → helps; 2 GeV: 1, 0.5 → 0.75 ± 0.25 → consistent;
  // 5 GeV: 2, 1.1 → 1.55 ± 0.45: 1.55 − 0.9 < 1 → consistent
  assert.deepEqual(h.masses.map((m) => m.verdict), ['helps', 'consistent', 'consistent']);
  assert.deepEqual(verdictRanges(h).map((r) => [r.from, r.to, r.verdict, r.count]), [[1, 1, 'helps', 1], [2, 5, 'consistent', 2]]);
  const oneNetHurts = headlineOf({ ...summary, masses: [{ ...masses[2], results: { BCE: result([1], [1], [1], [1]), Punzi: result([2], [2], [2], [1]) } }] } as RunSummary)!;
  assert.equal(oneNetHurts.masses[0].verdict, 'hurts', 'one net: s.e. 0, any worse ratio hurts');
});

test('no per-net results (an older summary): no headline', () => {
  const old = { ...summary, masses: masses.map((m) => ({ ...m, results: { BCE: { ...m.results.BCE, perNet: undefined }, Punzi: m.results.Punzi } })) } as RunSummary;
  assert.equal(headlineOf(old), null);
});

test('the headline sentences name the masses where it helps and both common-cut penalties', () => {
  const lines = headlineSentences(headlineOf(summary)!, (m) => (m === 'BCE' ? 'BCE-only net' : 'Punzi-net'));
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^Punzi-net vs BCE-only net, 2 nets paired by seed .*below 4 GeV 0\.670 ± 0\.037; lower σ_min at 1\.5 ± 0\.5 of 3 masses/);
  assert.match(lines[1], /^Helps \(ratio \+ 2 s\.e\. < 1\) at 1 mass \(1 GeV\); hurts \(ratio − 2 s\.e\. > 1\) at no mass; consistent with no change at 2\./);
  // own cuts: (0.5 + 1/6)/2 = +33 %, s.e. (0.5 − 1/6)/2 = 17 %; without B = 0: (0.25 + 1/6)/2 = +21 % ± 4 %
  assert.match(lines[2], /\+33 ± 17 % σ_min over all masses; \+21 ± 4 % without the 0\.5 masses where the per-mass cut selects B = 0/);
  assert.equal(formatMeanSe({ mean: -0.1234, se: 0.05, n: 2 }, 1, true), '-12.3 ± 5.0 %');
  assert.equal(formatMeanSe({ mean: NaN, se: NaN, n: 0 }, 1), '–');
});
