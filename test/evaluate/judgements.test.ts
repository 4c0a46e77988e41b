import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { featureCorrelations, judgeFully, windowRows } from '../../src/evaluate/judgements.js';
import { EventTable } from '../../src/data/table.js';
import { parseRunSummary } from '../../src/report/validate.js';
import type { WindowIncidence } from '../../src/physics/windows.js';
import { Rng } from '../../src/core/rng.js';
import { syntheticSummary } from '../report/synthetic.js';

const auc = JSON.parse(readFileSync(new URL('../fixtures/vectors/auc.json', import.meta.url), 'utf8')) as { labels: number[]; scores: number[]; weights: number[]; auc_weighted: number };

/** Asimov discovery Z = √(2((s+b) ln(1+s/b) − s)) (Cowan et al. 2011 eq. 97), written out here. */
const asimov = (s: number, b: number): number => Math.sqrt(2 * ((s + b) * Math.log(1 + s / b) - s));

/** Hypotheses with windows given as event lists per hypothesis. */
function incidence(label: ArrayLike<number>, windows: number[][], nGenerated: number[]): WindowIncidence {
  const rows = (sig: boolean): { offsets: Int32Array; events: Int32Array } => {
    const ev: number[] = [], off = [0];
    for (const w of windows) { for (const i of w) if ((label[i] >= 0.5) === sig) ev.push(i); off.push(ev.length); }
    return { offsets: Int32Array.from(off), events: Int32Array.from(ev) };
  };
  return { nHypotheses: windows.length, nEvents: label.length, unmatchedSignal: 0, nGenerated: Float64Array.from(nGenerated), signal: rows(true), background: rows(false) };
}

test('judgeFully on the scikit-learn AUC vectors: AUC, Z curve, efficiency at the common cut, overtraining of identical splits', () => {
  const n = auc.labels.length;
  const output = Float32Array.from(auc.scores), label = Float32Array.from(auc.labels);
  const weight = Float32Array.from(auc.weights, (w) => Math.max(0, w));
  const mass = Float32Array.from({ length: n }, (_, i) => 100 + (i % 17));
  const all = Array.from({ length: n }, (_, i) => i);
  const inc = incidence(label, [all, all.filter((i) => mass[i] < 108)], [500, 300]);
  const j = judgeFully({
    method: 'BCE', net: 0, masses: [104, 106], trained: [true, false], commonCut: 0.5, punziA: 3, massTitle: 'M [GeV]',
    test: { output, label, weight, mass, incidence: inc }, train: { output, label, weight },
  });
  assert.ok(Math.abs(j.roc.auc - auc.auc_weighted) < 1e-6, `AUC ${j.roc.auc} vs sklearn ${auc.auc_weighted}`);
  assert.ok(Math.abs(j.perMass[0].auc! - auc.auc_weighted) < 1e-6, 'per-mass AUC of the window holding all');
  // Z at the working point 0.5, by hand from the sums above the threshold
  let S = 0, B = 0, nS = 0, nB = 0;
  for (let i = 0; i < n; i++) if (output[i] >= 0.5) { if (label[i]) { S += weight[i]; nS++; } else { B += weight[i]; nB++; } }
  const wp = j.zCurve.workingPoints.find((w) => w.threshold === 0.5)!;
  assert.ok(nS >= 10 && nB >= 10, `${nS} ${nB}`);
  assert.ok(Math.abs(wp.z - asimov(S, B)) < 1e-9 * wp.z, `Z(0.5) ${wp.z} vs ${asimov(S, B)}`);
  assert.equal(j.zCurve.z.length, 101);
  assert.ok(Math.abs(j.zCurve.maxZ - Math.max(...j.zCurve.z)) < 1e-5 * j.zCurve.maxZ, `${j.zCurve.maxZ}`); // curve values kept to 6 digits
  // ε at the common cut: signal in window with output ≥ 0.5 over the generated count
  const sigIn = (h: number): number => inc.signal.events.subarray(inc.signal.offsets[h], inc.signal.offsets[h + 1]).filter((i) => output[i] >= 0.5).length;
  assert.equal(j.perMass[0].efficiencyCommon, sigIn(0) / 500);
  assert.equal(j.perMass[1].efficiencyCommon, sigIn(1) / 300);
  // identical training and test outputs: D = 0, p = 1
  assert.equal(j.overtraining!.signal.ks, 0);
  assert.equal(j.overtraining!.background.pValue, 1);
  for (const cls of ['signal', 'background'] as const) assert.ok(Math.abs(j.overtraining![cls].train.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  // plain JSON (no NaN, ∞ or typed arrays) that the summary parser accepts
  assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
  const s = syntheticSummary({ masses: 2, epochs: 5 });
  s.masses = s.masses.map((m, k) => ({ ...m, mass: [104, 106][k] }));
  parseRunSummary({ ...s, judgements: { correlations: null, punziA: 3, methods: [j, { ...j, method: 'Punzi' }] } }, 't');
});

test('overtraining: a net that memorised its training events has a KS p-value near 0; binned Z and sculpting need a mass', () => {
  const rng = new Rng(5);
  const n = 4000;
  const label = Float32Array.from({ length: n }, (_, i) => i % 2);
  const test_ = Float32Array.from(label, (l) => 1 / (1 + Math.exp(-(l ? 1 : -1) - rng.normal())));
  const train = Float32Array.from(label, (l) => 1 / (1 + Math.exp(-(l ? 3 : -3) - 0.5 * rng.normal())));
  const weight = new Float32Array(n).fill(1);
  const all = Array.from({ length: n }, (_, i) => i);
  const j = judgeFully({
    method: 'm', net: 0, masses: [1], trained: [true], commonCut: 0.5, punziA: 3, massTitle: 'M [GeV]',
    test: { output: test_, label, weight, mass: null, incidence: incidence(label, [all], [n / 2]) }, train: { output: train, label, weight },
  });
  assert.ok(j.overtraining!.signal.pValue < 1e-6 && j.overtraining!.background.pValue < 1e-6, `${j.overtraining!.signal.pValue}`);
  assert.equal(j.binned, null);
  assert.equal(j.sculpting, null);
  assert.equal(j.perMass[0].binnedZ, null);
});

test('windowRows: union of the windows, signal only in its own; featureCorrelations by class', () => {
  const label = [1, 0, 1, 0, 0];
  const inc = incidence(label, [[0, 1], [1, 3]], [1, 1]);
  assert.deepEqual([...windowRows(inc, [0, 1])], [0, 1, 3]);
  assert.deepEqual([...windowRows(inc, [1])], [1, 3]);
  const t = new EventTable({ a: Float32Array.of(1, 2, 3, 4, 6), b: Float32Array.of(2, 4, 7, 1, 1), y: Float32Array.from(label) }, { features: ['a', 'b'], label: 'y' });
  const c = featureCorrelations(t)!;
  assert.deepEqual(c.features, ['a', 'b']);
  assert.equal(c.signal![0][1], 1); // two signal events: (1, 2), (3, 7) lie on a line
  // background (2,4), (4,1), (6,1): Sxy = (−2)(2) + 0 + 2(−1) = −6, Sxx = 8, Syy = 4+1+1 = 6 → ρ = −6/√48
  assert.ok(Math.abs(c.background![0][1] - -6 / Math.sqrt(48)) < 1e-5);
});
