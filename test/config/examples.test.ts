import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/load.js';
import { demoConfig, demoSimulation } from '../../src/cli/commands/demo.js';
import { planJobs } from '../../src/simulate/index.js';
import { FinalStateRadiation } from '../../src/simulate/fsr.js';
import { methodsOf } from '../../src/evaluate/judge.js';

test('examples/punzinet-paper.yaml is the seed recipe: 25 nets, 200 BCE + 2000 Punzi epochs', () => {
  const c = loadConfig(new URL('../../examples/punzinet-paper.yaml', import.meta.url).pathname);
  assert.equal(c.training?.ensemble, 25);
  assert.deepEqual(c.training?.stages.map((s) => [s.loss, s.optimizer, s.lr, s.batchSize, s.epochs]), [['bce', 'sgd', 1, 2048, 200], ['punzi', 'sgd', 0.0005, 50000, 2000]]);
  assert.deepEqual(c.model?.hidden, [8, 4]);
});

test('the demo config validates (quick and full)', () => {
  for (const quick of [true, false]) assert.equal(parseConfig(demoConfig(4, quick), 'demo.yaml').training?.ensemble, 4);
});

test('fomlab demo --fsr adds the lost-FSR μμγ job and changes nothing else of the demo\'s simulation', () => {
  for (const quick of [true, false]) {
    const plain = demoSimulation(quick, false), fsr = demoSimulation(quick, true);
    const fsrJobs = (c: typeof plain): number => planJobs(c).filter((j) => j.generator instanceof FinalStateRadiation).length;
    assert.equal(fsrJobs(plain), 0);
    assert.ok(fsrJobs(fsr) >= 1, 'an FSR job is planned');
    assert.deepEqual({ ...fsr, finalStateRadiation: undefined }, { ...plain, finalStateRadiation: undefined });
    // the demo's background scales (μμγ and ττ at the full 1000 fb⁻¹, 20× the target luminosity) are kept with FSR
    if (!quick) assert.deepEqual(fsr.backgroundScale, { mumu_gamma: 1, tautau: 1, eemumu: 0.05 });
  }
});

test('examples/punzinet-protocol.yaml is the paper as written: fixed epochs, [0, 1] inputs, 80 % training, 20,000 per mass, eq. 9, unbatched and batched from one BCE', () => {
  const c = loadConfig(new URL('../../examples/punzinet-protocol.yaml', import.meta.url).pathname);
  assert.equal(c.training?.ensemble, 25);
  assert.equal(c.data.scaling, 'minmax');
  assert.deepEqual(c.data.split, { train: 0.8, validation: 0.1, test: 0.1, seed: 1 });
  assert.equal(c.search?.sensitivity.form, 'paper');
  assert.equal(c.search?.generatedPerMass, 20000);
  assert.deepEqual(c.training?.stages.map((s) => [s.name, s.loss, s.batchSize, s.epochs, s.checkpoint, s.from]), [
    ['bce', 'bce', 2048, 200, 'last', undefined], ['punzi-unbatched', 'punzi', 'full', 2000, 'last', undefined], ['punzi-batched', 'punzi', 50000, 2000, 'last', 'bce'],
  ]);
  const methods = methodsOf(c.training!.stages);
  assert.deepEqual(methods.map((m) => [m.name, m.stages]), [['BCE', ['bce']], ['punzi-unbatched', ['bce', 'punzi-unbatched']], ['punzi-batched', ['bce', 'punzi-batched']]]);
});

test('a stage starts from an earlier stage named in from; an unknown one or twice the same name is an error naming the stage', () => {
  const head = 'data: {files: [a.parquet], columns: {features: [x], label: y}}\nsearch: {hypotheses: {masses: [1]}, window: {halfWidth: 0.1}}\ntraining:\n  stages:\n';
  const stage = (extra: string): string => `    - {loss: punzi, lr: 0.1, epochs: 1${extra}}\n`;
  const bce = '    - {name: bce, loss: bce, lr: 1, epochs: 1}\n';
  assert.throws(() => parseConfig(head + bce + stage(', name: p, from: bse'), 'c.yaml'), /training\.stages\[1\]\.from: expected the name of an earlier stage \(bce\), got 'bse'/);
  assert.throws(() => parseConfig(head + bce + stage(', name: bce'), 'c.yaml'), /training\.stages: stage names must differ, got bce, bce/);
  assert.throws(() => parseConfig(head + bce + stage(', checkpoint: worst'), 'c.yaml'), /training\.stages\[1\]\.checkpoint: expected one of best, last/);
});
