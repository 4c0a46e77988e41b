import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PunziNet } from '../../src/train/estimator.js';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { loadFeedForwardSpec } from '../../src/models/spec-json.js';
import { scoreColumns } from '../../src/models/score.js';
import { FomlabError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

const fails = (fn: () => unknown, re: RegExp): void =>
  assert.throws(fn, (e: unknown) => e instanceof FomlabError && re.test(e.message) && !e.message.includes('\n'));

test('PunziNet options: library-side defaults (the demo recipe), validated like a config section, one line per error', () => {
  const s = new PunziNet().settings;
  assert.deepEqual(s.model, { kind: 'mlp', hidden: [8, 4], activation: 'tanh', init: 'kaiming_normal', dropout: 0, batchNorm: false });
  assert.deepEqual(s.stages.map((st) => [st.name, st.loss, st.optimizer, st.lr, st.epochs]), [['bce', 'bce', 'sgd', 1, 40], ['punzi', 'punzi', 'adam', 0.001, 60]]);
  assert.deepEqual([s.seed, s.scaling, s.validationFraction], [1, 'standard', 0.25]);
  assert.deepEqual(s.sensitivity, { a: 3, b: 1.28155, lumi: 50, form: 'improved' });
  // a stage given by the user gets the stage defaults (batch 2048, SGD, plateau …)
  const one = new PunziNet({ stages: [{ loss: 'bce', lr: 0.5, epochs: 3 }] }).settings.stages[0];
  assert.deepEqual([one.optimizer, one.batchSize, one.balance], ['sgd', 2048, true]);
  fails(() => new PunziNet({ seeed: 2 } as never), /^PunziNet options: seeed: unknown key \(did you mean: seed\?\)/);
  fails(() => new PunziNet({ stages: [{ loss: 'hinge', lr: 1, epochs: 1 }] } as never), /^PunziNet options: stages\[0\]\.loss: unknown loss 'hinge'/);
  fails(() => new PunziNet({ validationFraction: 1.5 }), /validationFraction/);
});

test('PunziNet: predict/save before fit and load of a foreign file are clear errors', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-est-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const net = new PunziNet();
  fails(() => net.predict(new EventTable({ a: new Float32Array(1) })), /not trained yet; call fit/);
  fails(() => net.save(join(dir, 'x.json')), /not trained yet/);
  fails(() => PunziNet.load(join(dir, 'absent.json')), /absent\.json: no such model file/);
  writeFileSync(join(dir, 'plain.json'), '{"inputNames": [], "layers": []}');
  fails(() => PunziNet.load(join(dir, 'plain.json')), /plain\.json: not a PunziNet file/);
});

/** Two Gaussian features; signal (label 1) shifted by +1σ in both, at masses 1 and 2 GeV (±0.05). */
function toyEvents(seed: number, n: number): EventTable {
  const r = new Rng(seed);
  const f1 = new Float32Array(n), f2 = new Float32Array(n), label = new Float32Array(n), mass = new Float32Array(n), gen = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = i % 3 === 0;
    const m = i % 2 === 0 ? 1 : 2;
    label[i] = sig ? 1 : 0;
    f1[i] = r.normal() + (sig ? 1 : 0);
    f2[i] = r.normal() + (sig ? 1 : 0);
    mass[i] = m + 0.02 * r.normal();
    gen[i] = sig ? m : NaN;
    w[i] = sig ? 1 : 0.1;
  }
  return new EventTable({ f1, f2, label, mass, gen, w }, { features: ['f1', 'f2'], label: 'label', mass: 'mass', genMass: 'gen', weight: 'w' }, `toy-${seed}`);
}

test('PunziNet on a toy: fit → predict; the model file scores identically after load and as `fomlab apply` reads it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-est-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const search = new Search({ hypotheses: { masses: [1, 2] }, variable: 'mass', window: { kind: 'fixed', halfWidth: 0.1 } });
  const net = new PunziNet({ seed: 5, stages: [{ loss: 'bce', lr: 0.5, epochs: 6, batchSize: 256 }] }).fit(toyEvents(1, 6000), search);
  const test = toyEvents(2, 3000);
  const s = net.predict(test);
  assert.equal(s.length, 3000);
  // the Bayes-optimal score for equal-variance Gaussians is monotone in f1 + f2: the net's order of
  // events agrees with it almost everywhere (Spearman-like check on pairs of events)
  let agree = 0, pairs = 0;
  const f1 = test.column('f1'), f2 = test.column('f2');
  for (let i = 0; i + 1 < 3000; i += 2) {
    const d = f1[i] + f2[i] - f1[i + 1] - f2[i + 1];
    if (Math.abs(d) < 0.2) continue;
    pairs++;
    if (Math.sign(d) === Math.sign(s[i] - s[i + 1])) agree++;
  }
  assert.ok(agree / pairs > 0.97, `the net orders ${agree} of ${pairs} event pairs as f1 + f2 does`);
  const path = join(dir, 'toy.json');
  net.save(path);
  assert.deepEqual(PunziNet.load(path).predict(test), s);
  assert.deepEqual(PunziNet.load(path).settings, net.settings);
  const spec = await loadFeedForwardSpec(path);
  assert.deepEqual(scoreColumns(spec, new Map(test.names.map((c) => [c, test.column(c)])), 'toy.json'), s);
  fails(() => net.predict(new EventTable({ f1: new Float32Array(2), f3: new Float32Array(2) }, {}, 'other.parquet')), /other\.parquet: the model needs column 'f2'/);
});
