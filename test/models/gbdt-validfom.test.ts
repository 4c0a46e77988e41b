// The gbdt kind's training log: validLoss holds the stage's loss, validFom the search's figure — the hard figure the
// trainer gives (and the kept round follows it, as the gradient trainer's best epoch), else the soft mean σ_min —
// each checked against the figure recomputed from the saved trees truncated after every round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { gbdt, type GbdtKindOptions } from '../../src/models/gbdt/kind.js';
import { GBDT_DEFAULTS, logLoss } from '../../src/models/gbdt/boost.js';
import { forestFromJson, marginsTs } from '../../src/models/gbdt/forest.js';
import { softSigmaMinLoss } from '../../src/models/gbdt/fom.js';
import type { FitInput, FitSplit } from '../../src/models/registry.js';
import { rows } from './gbdt-rows.js';

function split(n: number, seed: number): FitSplit {
  const rng = new Rng(seed);
  const labels = Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) { x[2 * i] = labels[i] + rng.normal(); x[2 * i + 1] = rng.normal(); }
  const w = new Float32Array(n).fill(1);
  return { n, nFeatures: 2, x, labels, weights: w, bceWeights: w, punzi: rows(n) };
}
const columns = (s: FitSplit) => [0, 1].map((j) => Float32Array.from({ length: s.n }, (_, i) => s.x[2 * i + j]));
const sensitivity = { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const };

function run(extra: Partial<GbdtKindOptions>, figure?: FitInput<GbdtKindOptions>['figure']) {
  const train = split(2000, 1), validation = split(1200, 2);
  const options: GbdtKindOptions = { ...GBDT_DEFAULTS, n_estimators: 12, max_depth: 2, learning_rate: 0.3, fom_objective: 'sigma_min', signal_cross_section: 1, booster: 'gbtree', n_cuts: 20, ada_beta: 0.5, ...extra };
  const r = (gbdt.fit as NonNullable<typeof gbdt.fit>)({ train, validation, options, stages: [{ name: 'bce', options: { loss: 'bce' } }], seed: 0, sensitivity, ...(figure ? { figure } : {}) });
  const forest = forestFromJson(gbdt.save(2, options, r.params, ['a', 'b']).toJson() as Record<string, unknown>, 'fit');
  return { log: r.logs[0], forest, validation };
}

test('gbdt validFom without a hard figure: the soft mean σ_min of the validation split; validLoss the log-loss', () => {
  const { log, forest, validation } = run({});
  assert.equal(log.epochs.length, 12);
  const cols = columns(validation);
  log.epochs.forEach((e, k) => {
    const m = marginsTs(forest, cols, validation.n, k + 1);
    const sigma = softSigmaMinLoss(m, validation.punzi, { ...sensitivity, aggregate: 'mean' });
    assert.ok(Math.abs(e.validFom - sigma) <= 1e-9 * sigma, `round ${k + 1}: validFom ${e.validFom}, soft σ_min ${sigma}`);
    const ll = logLoss({ columns: cols, target: validation.labels, weight: validation.weights })(m);
    assert.ok(Math.abs(e.validLoss - ll) <= 1e-9, `round ${k + 1}: validLoss ${e.validLoss}, log-loss ${ll}`);
    assert.notEqual(e.validFom, e.validLoss);
  });
});

test('gbdt validFom with the hard figure: its value per round, and early stopping keeps its best round (higher is better)', () => {
  const probe = split(1200, 2);
  // a stand-in figure with an interior maximum: the mean probability of the first 300 rows, best near 0.3
  const value = (p: Float32Array | Float64Array) => { let s = 0; for (let i = 0; i < 300; i++) s += p[i]; return -Math.abs(s / 300 - 0.3); };
  const { log, forest } = run({ early_stopping_rounds: 3, n_estimators: 40 }, { x: probe.x, value, better: 'higher' });
  const cols = columns(probe);
  log.epochs.forEach((e, k) => {
    if (k >= forest.trees.length) return;
    const m = marginsTs(forest, cols, probe.n, k + 1);
    const fig = value(Float32Array.from(m, (z) => 1 / (1 + Math.exp(-z))));
    assert.ok(Math.abs(e.validFom - fig) <= 1e-6, `round ${k + 1}: validFom ${e.validFom}, figure ${fig}`);
  });
  const foms = log.epochs.map((e) => e.validFom);
  const best = foms.indexOf(Math.max(...foms));
  assert.equal(log.bestEpoch, best, 'the kept round is the best figure');
  assert.equal(forest.trees.length, best + 1);
  assert.equal(foms.length, best + 1 + 3, 'stopped 3 rounds after the best figure');
  assert.notEqual(forest.trees.length, 40);
});
