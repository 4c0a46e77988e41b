// data.trainFraction (issue 16, the thesis' TC2 = 10 % of the background, TC3 = 10 % of both):
// per-class thinning of the training split, seeded, with the kept events' weights scaled by
// 1/fraction. Checked on a hand-countable sample: exact kept counts, validation and test
// untouched, the weighted background B and ε (generated counts scaled too) preserved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thinByClass } from '../../src/data/split.js';
import { handSample, label, n, nS, search, split } from './hand-sample.js';
import { prepareRun } from '../../src/train/prepare.js';
import { parseConfig } from '../../src/index.js';

// background weight 2 (hand-sample.ts: 1000 signal inside the window, 2000 background in it and 2000 outside)
const table = handSample(1, 2);

const sum = (a: ArrayLike<number>, keep: (i: number) => boolean): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (keep(i)) s += a[i];
  return s;
};

test('thinByClass: round(f·n) of each class, ascending, seeded, errors name the setting', () => {
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const kept = thinByClass(rows, label, { signal: 1, background: 0.1 }, 9);
  assert.equal([...kept].filter((i) => i < nS).length, 1000);
  assert.equal([...kept].filter((i) => i >= nS).length, 400);
  assert.deepEqual([...kept], [...kept].sort((a, b) => a - b));
  assert.deepEqual([...thinByClass(rows, label, { signal: 1, background: 0.1 }, 9)], [...kept]);
  assert.notDeepEqual([...thinByClass(rows, label, { signal: 1, background: 0.1 }, 10)], [...kept]);
  assert.throws(() => thinByClass(rows, label, { signal: 0, background: 1 }, 1), /data\.trainFraction\.signal must be in \(0, 1\]/);
});

test('TC2 and TC3 in prepareRun: counts, untouched validation/test, B and ε preserved (weights × 1/f, N_gen × f_signal)', () => {
  const full = prepareRun(table, search, { split, scaling: 'none', generatedPerMass: nS });
  const bOf = (p: typeof full): number => { const r = p.train.punzi; return sum(r.bkgCoef, () => true); };
  const epsOf = (p: typeof full): number => { const r = p.train.punzi; return sum(r.sigCoef, () => true); };
  // TC1: 600 train signal (ε = 600/(1000·0.6) = 1), 1200 in-window background of weight 2: B = 2·1200/0.6 ≈ 4000 (±binomial)
  assert.ok(Math.abs(epsOf(full) - 1) < 1e-9);
  for (const [fs, fb] of [[1, 0.1], [0.1, 0.1]]) {
    const thin = prepareRun(table, search, { split, scaling: 'none', generatedPerMass: nS, trainFraction: { signal: fs, background: fb } });
    const lab = thin.train.labels;
    const nSig = sum(lab, () => true), nBkg = thin.train.n - nSig;
    assert.equal(nSig, Math.round(600 * fs), 'kept signal');
    // 2400 training background, round(240) kept; those in the window are trained on
    assert.ok(Math.abs(nBkg - 0.5 * 2400 * fb) < 40, `kept in-window background ${nBkg}`);
    // weights scaled by 1/f: every kept background event weighs 2/fb, signal 1/fs
    for (let i = 0; i < thin.train.n; i++) assert.ok(Math.abs(thin.train.weights[i] - (lab[i] ? 1 / fs : 2 / fb)) < 1e-4);
    // B of the thinned split estimates the same expected background (binomial spread of 240 draws ≈ 6 %)
    assert.ok(Math.abs(bOf(thin) / bOf(full) - 1) < 0.2, `B ${bOf(thin)} vs ${bOf(full)}`);
    // ε: all kept signal inside the window over N_gen·0.6·fs
    assert.ok(Math.abs(epsOf(thin) - 1) < 1e-9, `ε ${epsOf(thin)}`);
    // validation and test are not thinned
    assert.deepEqual([...thin.validation.weights], [...full.validation.weights]);
    assert.equal(thin.test.table.length, full.test.table.length);
  }
});

test('config: data.trainFraction defaults each class to 1 and rejects 0 naming the key', () => {
  const yaml = (tf: string): string => `
data:
  files: [x.parquet]
  columns: {features: [a], label: l, mass: m}
  trainFraction: ${tf}
training:
  stages: [{loss: bce, lr: 1, epochs: 1}]
`;
  assert.deepEqual(parseConfig(yaml('{background: 0.1}'), 'c.yaml').data.trainFraction, { signal: 1, background: 0.1 });
  assert.throws(() => parseConfig(yaml('{signal: 0}'), 'c.yaml'), /trainFraction\.signal/);
});
