import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { Rng } from '../../src/core/rng.js';
import { formatWindowSeparation, windowSeparation } from '../../src/evaluate/window-separation.js';
import { lowMassCheck } from '../../src/cli/low-mass-check.js';
import { defaultSimulationConfig } from '../../src/simulate/index.js';

const ROLES = { features: ['a', 'b'], label: 'labels', mass: 'M2', genMass: 'gen_mass', weight: 'weights', category: 'category' };

/** P(s > b) with weights, ties half: the brute-force double sum over every signal–background pair. */
function pairwiseAuc(s: number[], ws: number[], b: number[], wb: number[]): number {
  let num = 0, den = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const w = ws[i] * wb[j];
      num += w * (s[i] > b[j] ? 1 : s[i] === b[j] ? 0.5 : 0);
      den += w;
    }
  }
  return num / den;
}

test('window separation: yields per process, the dominant one, and each feature\'s weighted AUC equal to the brute-force pair count', () => {
  const rng = new Rng(5);
  const n = 400;
  const cols = { a: new Float32Array(n), b: new Float32Array(n), labels: new Float32Array(n), M2: new Float32Array(n), gen_mass: new Float32Array(n), weights: new Float32Array(n), category: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    const sig = i % 3 === 0;
    cols.labels[i] = sig ? 1 : 0;
    cols.gen_mass[i] = sig ? (i % 2 ? 1 : 2) : NaN;
    cols.category[i] = sig ? 0 : 1 + (i % 2);
    cols.M2[i] = rng.uniform() * 5; // windows below pick parts of it
    cols.a[i] = Math.round(10 * (rng.uniform() + (sig ? 0.3 : 0))) / 10; // ties on purpose
    cols.b[i] = rng.uniform();
    cols.weights[i] = sig ? 1 : 0.5 + (cols.category[i] === 2 ? 2 : 0);
  }
  const t = new EventTable(cols, ROLES, 'hand-made');
  const rows = windowSeparation(t, [1, 2], { low: [0.5, 3], high: [2, 4.5] }, { processNames: ['signal', 'mumu_gamma', 'tautau'] });
  rows.forEach((r, h) => {
    const [lo, hi, m] = [[0.5, 2, 1], [3, 4.5, 2]][h];
    const inW = (i: number): boolean => cols.M2[i] >= lo && cols.M2[i] <= hi;
    const S = [...Array(n).keys()].filter((i) => inW(i) && cols.labels[i] === 1 && cols.gen_mass[i] === m);
    const B = [...Array(n).keys()].filter((i) => inW(i) && cols.labels[i] === 0);
    assert.equal(r.signalEvents, S.length);
    for (const [cat, name] of [[1, 'mumu_gamma'], [2, 'tautau']] as const) {
      const w = B.filter((i) => cols.category[i] === cat).reduce((s, i) => s + cols.weights[i], 0);
      assert.ok(Math.abs(r.background[name].weight - w) < 1e-9, `${name}: ${r.background[name].weight} vs ${w}`);
    }
    assert.equal(r.dominant, 'tautau'); // weight 2.5 per event against 0.5
    (['a', 'b'] as const).forEach((f, k) => {
      const ref = pairwiseAuc(S.map((i) => cols[f][i]), S.map((i) => cols.weights[i]), B.map((i) => cols[f][i]), B.map((i) => cols.weights[i]));
      assert.ok(Math.abs(r.auc[k] - ref) < 1e-12, `m=${m} ${f}: ${r.auc[k]} vs brute force ${ref}`);
    });
    assert.ok(r.auc[0] > 0.6, 'feature a is shifted up for the signal');
  });
  const text = formatWindowSeparation(rows, ['mumu_gamma', 'tautau'], ['a', 'b']);
  assert.match(text, /\| mass \| S evts \| B mumu_gamma \| B tautau \| dominant \| AUC a \| AUC b \|/);
  assert.throws(() => windowSeparation(new EventTable({ a: new Float32Array(1) }, { features: ['a'] }, 'bare.csv'), [1], { low: [0], high: [1] }), /bare\.csv: .*label role/);
});

test('fomlab simulate --check-low-mass: μμγ dominates the 0.1 GeV window, ττ the 3 GeV one (small sample)', () => {
  const cfg = { ...defaultSimulationConfig(), zprimeMasses: [0.1, 3], signalPerMass: 2000, backgroundScale: { mumu_gamma: 0.5, tautau: 0.01, eemumu: 0.0005 } };
  const text = lowMassCheck(cfg);
  const line = (m: string): string => text.split('\n').find((l) => l.startsWith(`| ${m} |`)) ?? '';
  console.log(text.split('\n').slice(3).map((l) => '  ' + l).join('\n'));
  assert.match(line('0.10'), /mumu_gamma/);
  assert.match(line('3.00'), /tautau/);
});
