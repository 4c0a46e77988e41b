// data.trainWeights: unit (the mass-unspecific study's balanced sets, arXiv:2503.20926): every
// training event weighs 1, so equal counts train as equal sets; validation and test keep the weight
// column (every figure). Hand-countable sample: 600 training signal of weight 0.01 and ~1200 in-window
// training background of weight 50 → with unit weights the BCE weights are 1 for background and
// Σw_bkg/Σw_sig = n_bkg/n_sig for signal (class balance), instead of 50 and 50·n_bkg/(0.01·n_sig)·0.01.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handSample, nS, search, split } from './hand-sample.js';
import { prepareRun } from '../../src/train/prepare.js';
import { parseConfig } from '../../src/index.js';

const table = handSample(0.01, 50);

test('data.trainWeights: unit trains every event with weight 1 (class-balanced BCE weights n_b/n_s, 1); validation/test keep the column', () => {
  const ev = prepareRun(table, search, { split, scaling: 'none', generatedPerMass: nS });
  const unit = prepareRun(table, search, { split, scaling: 'none', generatedPerMass: nS, trainWeights: 'unit' });
  assert.equal(unit.train.n, ev.train.n);
  const lab = unit.train.labels;
  let nSig = 0;
  for (let i = 0; i < unit.train.n; i++) nSig += lab[i];
  const nBkg = unit.train.n - nSig;
  assert.equal(nSig, 600);
  for (let i = 0; i < unit.train.n; i++) {
    assert.equal(unit.train.weights[i], 1);
    assert.ok(Math.abs(unit.train.bceWeights[i] - (lab[i] ? nBkg / nSig : 1)) < 1e-5, `bce weight ${unit.train.bceWeights[i]}`);
    // the event weights: background 50; balanced signal 50·n_b/n_s
    assert.ok(Math.abs(ev.train.bceWeights[i] - (lab[i] ? 50 * nBkg / nSig : 50)) < 1e-2);
  }
  // the judged splits are untouched: the test weights are the column's / the test fraction
  assert.deepEqual([...unit.test.weights], [...ev.test.weights]);
  assert.deepEqual([...unit.validation.weights], [...ev.validation.weights]);
  // the training set's B (punzi coefficients) still uses the weight column
  assert.deepEqual([...unit.train.punzi.bkgCoef], [...ev.train.punzi.bkgCoef]);
});

test('data.trainWeights: the config key, default events, a clear error', () => {
  const yaml = (extra: string): string => `data:\n  files: [x.parquet]\n  columns: {features: [f], label: labels, mass: M2}\n${extra}search:\n  hypotheses: {masses: [1]}\n  window: {from: 0.5, to: 1.5}\n`;
  assert.equal(parseConfig(yaml('')).data.trainWeights, 'events');
  assert.equal(parseConfig(yaml('  trainWeights: unit\n')).data.trainWeights, 'unit');
  assert.throws(() => parseConfig(yaml('  trainWeights: ones\n')), /data\.trainWeights/);
});
