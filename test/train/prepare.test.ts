import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { prepareRun } from '../../src/train/prepare.js';
import { fullIncidence, PunziBatcher } from '../../src/train/punzi-data.js';
import { FomlabError } from '../../src/core/errors.js';

// 20 events, hand-made: mass² windows ±0.3 around m = 1 and 2 GeV (m² = 1, 4).
// Signal at 1 GeV: events 0–5 (M2 ≈ 1; event 5 outside at 3.0); signal at 2 GeV: 6–9 (M2 ≈ 4).
// Background: 10–19 at M2 spread over both windows and outside, weight 2.
const M2 = [1.0, 1.1, 0.9, 1.2, 0.95, 3.0, 4.0, 4.1, 3.9, 4.2, 1.0, 1.05, 0.8, 4.0, 4.25, 3.75, 2.5, 6, 1.1, 3.9];
const labels = M2.map((_, i) => (i < 10 ? 1 : 0));
const gen = M2.map((_, i) => (i < 6 ? 1 : i < 10 ? 2 : NaN));
const table = new EventTable({
  f: Float32Array.from(M2, (_, i) => i),
  M2: Float32Array.from(M2), labels: Float32Array.from(labels), gen: Float32Array.from(gen), w: Float32Array.from(labels, (l) => (l ? 1 : 2)),
}, { features: ['f'], label: 'labels', mass: 'M2', genMass: 'gen', weight: 'w' }, 'hand-made');
const search = (masses: number[]) => new Search({ hypotheses: { masses }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.3 } });

test('Punzi rows: events outside every training window dropped; coefficients 1/N_gen and w/f; batch scale n/batch', () => {
  const split = new Float32Array(20); // all train except events 18, 19 (validation) and 17 (test)
  split[18] = 1; split[19] = 1; split[17] = 2;
  const t = table.withColumn('split', split);
  const prep = prepareRun(t, search([1, 2]), { split: { column: 'split' }, scaling: 'none' });
  // train split: events 0–16 (17 events, fraction 17/20). Kept: signal in own window 0–4, 6–9;
  // background in a window: 10 (1.0), 11 (1.05), 12 (0.8), 13 (4.0), 14 (4.25), 15 (3.75); 16 (2.5) is in none.
  assert.equal(prep.train.n, 15);
  const r = prep.train.punzi;
  // N_gen(1 GeV) in the train split = 6 (events 0–5, one outside its window), N_gen(2 GeV) = 4
  assert.deepEqual([...r.sigOffsets], [0, 5, 9]);
  assert.deepEqual([...r.sigCoef].map((c) => +c.toFixed(12)), [...Array(5).fill(+(1 / 6).toFixed(12)), ...Array(4).fill(0.25)]);
  // background coefficient w / f = 2 / (17/20)
  assert.deepEqual([...r.bkgOffsets], [0, 3, 6]);
  for (const c of r.bkgCoef) assert.ok(Math.abs(c - 2 / (17 / 20)) < 1e-12);
  // a batch of the first 3 kept events (signal 0, 1, 2 of 1 GeV) stands for the split: scale 15/3
  const batch = new PunziBatcher(r).batch(Int32Array.from([0, 1, 2]), 15 / 3);
  assert.deepEqual([...batch.signal.offsets], [0, 3, 3]);
  assert.ok(Math.abs(batch.signal.coef![0] - 5 / 6) < 1e-12);
  // the full incidence has the same rows as the CSR
  assert.deepEqual([...fullIncidence(r).background.events], [...r.bkgEvents]);
});

test('errors before training: hypothesis without signal, hypotheses outside the data, no labels', () => {
  const split = { train: 0.5, validation: 0.25, test: 0.25, seed: 1 } as const;
  assert.throws(() => prepareRun(table, search([1, 1.5]), { split, scaling: 'none' }), (e: unknown) => e instanceof FomlabError && /no signal inside the window of training hypothesis 1\.5 GeV/.test(e.message));
  assert.throws(() => prepareRun(table, search([7, 8]), { split, scaling: 'none' }), (e: unknown) => e instanceof FomlabError && /no training hypothesis has signal inside its window/.test(e.message));
  assert.throws(() => prepareRun(table.withRoles({ label: undefined }), search([1, 2]), { split, scaling: 'none' }), (e: unknown) => e instanceof FomlabError && /role 'label'/.test(e.message));
});
