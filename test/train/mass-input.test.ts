import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { prepareRun } from '../../src/train/prepare.js';
import { Rng } from '../../src/core/rng.js';
import { FomlabError } from '../../src/core/errors.js';
import { parameterisedSchema } from '../../src/config/parameterised.js';
import { balancedOrder, redrawMasses, type MassInputEpoch } from '../../src/train/mass-batches.js';

// Hand-made: windows m ± 0.6 GeV around the hypotheses 1 and 2 GeV, i.e. M2 in [0.16, 2.56] and [1.96, 6.76].
// Signal at 1 GeV: events 0–5, at 2 GeV: 6–9; background 10–19 (event 16 at M2 = 2.5 lies in both windows,
// event 17 at 8 in none). Column `slice` (the binned background's slice, e.g. m_ZWj): 1.2 → 1 GeV, 1.9 → 2 GeV, NaN → random.
const M2 = [1.0, 1.1, 0.9, 1.2, 0.95, 3.0, 4.0, 4.1, 3.9, 4.2, 1.0, 1.05, 0.8, 4.0, 4.25, 3.75, 2.5, 8, 1.1, 3.9];
const labels = M2.map((_, i) => (i < 10 ? 1 : 0));
const gen = M2.map((_, i) => (i < 6 ? 1 : i < 10 ? 2 : NaN));
const slice = M2.map((_, i) => (i < 10 ? NaN : i % 3 === 0 ? 1.2 : i % 3 === 1 ? 1.9 : NaN));
// split: test = 2 (sig 1), 7 (sig 2), 10 (bkg 1.0), 14 (bkg 4.25), 16 (bkg 2.5: both windows), 17 (none); validation = 18, 19
const split = M2.map((_, i) => ([2, 7, 10, 14, 16, 17].includes(i) ? 2 : [18, 19].includes(i) ? 1 : 0));
const table = new EventTable({
  f: Float32Array.from(M2, (_, i) => i), M2: Float32Array.from(M2), labels: Float32Array.from(labels), gen: Float32Array.from(gen),
  w: Float32Array.from(labels, (l) => (l ? 1 : 2)), slice: Float32Array.from(slice), split: Float32Array.from(split),
}, { features: ['f'], label: 'labels', mass: 'M2', genMass: 'gen', weight: 'w' }, 'hand-made');
const search = new Search({ hypotheses: { masses: [1, 2] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.6 } });
const prep = (p: Record<string, unknown>) => prepareRun(table, search, { split: { column: 'split' }, scaling: 'none', parameterised: parameterisedSchema.parse(p) });

test('judged splits of a pNN: each event once per hypothesis whose window holds it, the mass input set to that hypothesis', () => {
  const t = prep({}).test;
  const f = t.table.column('f'), m = t.table.column('mass_hypothesis');
  const at = (h: number, part: 'signal' | 'background') => {
    const r = t.incidence[part];
    return [...r.events.subarray(r.offsets[h], r.offsets[h + 1])].map((k) => [f[k], m[k]]);
  };
  assert.deepEqual(at(0, 'signal'), [[2, 1]]);
  assert.deepEqual(at(1, 'signal'), [[7, 2]]);
  assert.deepEqual(at(0, 'background'), [[10, 1], [16, 1]]);
  assert.deepEqual(at(1, 'background'), [[14, 2], [16, 2]]); // event 16 scored twice: at 1 GeV for window 1, at 2 GeV for window 2
  assert.equal(t.table.length, 6); // event 17 (no window) is not judged
  // x holds the features then the mass input (scaling none): rows are (f, m_h)
  assert.deepEqual([...t.x], [2, 1, 10, 1, 16, 1, 7, 2, 14, 2, 16, 2]);
  assert.deepEqual([...t.weights], [1 / 0.3, 2 / 0.3, 2 / 0.3, 1 / 0.3, 2 / 0.3, 2 / 0.3].map((v) => Math.fround(v)));
});

test('training split of a pNN: signal its generated mass; background random from the signal masses, or its slice column mapped to the nearest mass', () => {
  const random = prep({ background: 'random' });
  const x = random.train.x, nf = random.train.nFeatures, lab = random.train.labels;
  assert.equal(nf, 2);
  for (let i = 0; i < random.train.n; i++) {
    const f: number = x[i * nf], m: number = x[i * nf + 1];
    if (lab[i] >= 0.5) assert.equal(m, f < 6 ? 1 : 2, `signal event ${f}`);
    else assert.ok(m === 1 || m === 2, `background event ${f} got mass ${m}`);
  }
  assert.deepEqual([...random.train.massInput!.free], [...lab].map((l) => (l < 0.5 ? 1 : 0)));
  // the same seed gives the same draws
  assert.deepEqual([...prep({ background: 'random' }).train.x], [...x]);
  const col = prep({ background: 'column', column: 'slice' });
  const cx = col.train.x;
  for (let i = 0; i < col.train.n; i++) {
    const f = cx[i * 2];
    if (f >= 10 && f % 3 === 0) assert.equal(cx[i * 2 + 1], 1, `event ${f}: slice 1.2 → 1 GeV`);
    if (f >= 10 && f % 3 === 1) assert.equal(cx[i * 2 + 1], 2, `event ${f}: slice 1.9 → 2 GeV`);
    assert.equal(col.train.massInput!.free[i], f >= 10 && f % 3 === 2 ? 1 : 0);
  }
});

test('pNN settings: errors name the setting', () => {
  assert.throws(() => prep({ background: 'column', column: 'nope' }), (e: unknown) => e instanceof FomlabError && /parameterised\.column: no column 'nope'/.test(e.message));
  assert.throws(() => parameterisedSchema.parse({ background: 'column' }), /needs the column name/);
  const t = table.withColumn('mass_hypothesis', new Float32Array(20)).withRoles({ features: ['f', 'mass_hypothesis'] });
  assert.throws(() => prepareRun(t, search, { split: { column: 'split' }, scaling: 'none', parameterised: parameterisedSchema.parse({}) }), /'mass_hypothesis' is one of data.columns.features already/);
});

/** 3 masses (signal 10, 3, 5 events), 40 background (the first 30 random, the last 10 with column masses 9). */
function plan(): { m: MassInputEpoch; x: Float32Array; n: number } {
  const n = 58, nf = 2;
  const signalGroup = Int32Array.from({ length: n }, (_, i) => (i < 10 ? 0 : i < 13 ? 1 : i < 18 ? 2 : -1));
  const free = Uint8Array.from({ length: n }, (_, i) => (i >= 18 && i < 48 ? 1 : 0));
  const x = new Float32Array(n * nf);
  for (let i = 0; i < n; i++) { x[i * nf] = i; x[i * nf + 1] = signalGroup[i] >= 0 ? [10, 20, 30][signalGroup[i]] : 9; }
  return { m: { column: 1, nFeatures: nf, masses: new Float32Array([10, 20, 30]), pool: new Float32Array([10, 10, 20, 30]), signalGroup, free, redraw: false, balanced: true }, x, n };
}

test('balanced mini-batches: each batch ⌊size/2K⌋ signal events of every mass, the rest background with random masses spread evenly', () => {
  const { m, x, n } = plan();
  const order = balancedOrder(m, x, n, 12, new Rng(3), true);
  assert.equal(order.length, n);
  for (let start = 0; start + 12 <= n; start += 12) {
    const batch = [...order.subarray(start, start + 12)];
    assert.deepEqual(batch, [...batch].sort((a, b) => a - b), 'ascending rows');
    const perMass = [0, 1, 2].map((g) => batch.filter((i) => m.signalGroup[i] === g).length);
    assert.deepEqual(perMass, [2, 2, 2], `batch at ${start}`);
    const bkg = batch.filter((i) => m.signalGroup[i] < 0);
    assert.equal(bkg.length, 6);
    const randomMasses = bkg.filter((i) => m.free[i]).map((i) => x[i * 2 + 1]);
    for (const v of [10, 20, 30]) {
      const c = randomMasses.filter((u) => u === v).length;
      assert.ok(c >= Math.floor(randomMasses.length / 3) && c <= Math.ceil(randomMasses.length / 3), `mass ${v}: ${c} of ${randomMasses.length}`);
    }
    for (const i of bkg.filter((k) => !m.free[k])) assert.equal(x[i * 2 + 1], 9, 'column masses are kept');
  }
  const again = plan();
  assert.deepEqual([...balancedOrder(again.m, again.x, again.n, 12, new Rng(3), true)], [...order], 'same seed, same batches');
});

test('redraw: only the random background gets new masses, drawn from the signal pool', () => {
  const { m, x } = plan();
  const before = Float32Array.from(x);
  redrawMasses(m, x, new Rng(8));
  let changed = 0;
  for (let i = 0; i < 58; i++) {
    if (!m.free[i]) assert.equal(x[i * 2 + 1], before[i * 2 + 1]);
    else { assert.ok([10, 20, 30].includes(x[i * 2 + 1])); if (x[i * 2 + 1] !== 9) changed++; }
  }
  assert.equal(changed, 30);
});

test('background: window — each training event once per training window holding it, at that mass: every Punzi row of hypothesis h reads the score at h', () => {
  const p = prep({ background: 'window' });
  const { x, nFeatures: nf, punzi } = p.train;
  const seen = new Array<number>(p.train.n).fill(0);
  for (const [offsets, events] of [[punzi.sigOffsets, punzi.sigEvents], [punzi.bkgOffsets, punzi.bkgEvents]] as const) {
    for (let h = 0; h < punzi.nHypotheses; h++) {
      for (let j = offsets[h]; j < offsets[h + 1]; j++) {
        assert.equal(x[events[j] * nf + 1], [1, 2][h], `row ${events[j]} (event ${x[events[j] * nf]}) of hypothesis ${h}`);
        seen[events[j]]++;
      }
    }
  }
  assert.ok(seen.every((c) => c === 1), 'each training row belongs to exactly one hypothesis');
  // training events 0, 1, 3, 4 (signal 1 GeV), 6, 8, 9 (signal 2 GeV), background 11 (1.05) and 12 (0.8) in window 1,
  // 13 (4.0), 15 (3.75) in window 2: 11 rows; signal 5 lies outside its own window
  assert.deepEqual([...x].filter((_, k) => k % 2 === 0).sort((a, b) => a - b), [0, 1, 3, 4, 6, 8, 9, 11, 12, 13, 15]);
  assert.ok(p.train.massInput!.free.every((f) => f === 0), 'window masses are fixed');
});
