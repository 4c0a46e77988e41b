// DisCo and the extreme loss as registered loss terms with data scopes (the H→Zγ study's eq. 6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { tensor } from '../../src/core/index.js';
import { resolveLossTerms, lossNames } from '../../src/losses/registry.js';
import { weightedExtreme } from '../../src/losses/extreme.js';
import { discoFast } from '../../src/core/kernels/disco.js';
import { bceWeights } from '../../src/losses/bce.js';
import { stageLoss } from '../../src/train/terms.js';
import type { SplitArrays } from '../../src/train/trainer.js';
import type { PunziRows } from '../../src/train/punzi-data.js';
import { prepareRun } from '../../src/train/prepare.js';
import { trainNet } from '../../src/train/trainer.js';
import type { StageConfig } from '../../src/config/training.js';
import { savedModel } from '../../src/models/registry.js';
import { scoreColumns } from '../../src/models/score.js';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { distanceCorrelation } from '../../src/evaluate/disco.js';
import { parseConfig } from '../../src/config/load.js';
import { stageTerms } from '../../src/config/training.js';

const EQ6 = [
  { loss: 'extreme', scope: { mass: [120, 130] } },
  { loss: 'disco', weight: 50, scope: { events: 'background', mass: [100, 180] } },
];

test('registry: extreme and disco are losses; eq. 6 resolves to two scoped terms; bad scopes name their key', () => {
  assert.ok(lossNames().includes('extreme') && lossNames().includes('disco'));
  const { terms, issues } = resolveLossTerms(EQ6, {});
  assert.deepEqual(issues, []);
  assert.deepEqual(terms.map((t) => [t.module.name, t.weight, t.scope]), [
    ['extreme', 1, { events: 'all', window: 'any', mass: [120, 130] }],
    ['disco', 50, { events: 'background', window: 'any', mass: [100, 180] }],
  ]);
  const bad = resolveLossTerms([{ loss: 'disco', scope: { mass: [130, 120] } }, { loss: 'extreme', scope: { mass: 'narrow' } }, { loss: 'disco', weighted: 'yes' }], {});
  assert.deepEqual(bad.issues.map((i) => i.path.join('.')), ['loss.0.scope.mass', 'loss.1.scope.mass', 'loss.2.weighted']);
  assert.match(bad.issues[0].message, /low < high/);
});

const stagesOf = (yaml: string) => parseConfig(`data: {files: [x.parquet], columns: {features: [a], label: y, mass: m}}\ntraining:\n  stages:\n${yaml}`, 'hzg.yaml').training!.stages;

test('config: the eq. 6 stage parses, its terms keep their scopes, and a bad range is one line naming the key', () => {
  const [st] = stagesOf('    - {loss: [{loss: extreme, scope: {mass: [120, 130]}}, {loss: disco, weight: 50, scope: {events: background, mass: [100, 180]}}], optimizer: adam, lr: 0.001, batchSize: 8192, epochs: 3}');
  assert.deepEqual(stageTerms(st).map((t) => [t.module.name, t.weight, t.options, t.scope]), [
    ['extreme', 1, { balance: true }, { events: 'all', window: 'any', mass: [120, 130] }],
    ['disco', 50, { weighted: true }, { events: 'background', window: 'any', mass: [100, 180] }],
  ]);
  const err = (yaml: string): string => { try { stagesOf(yaml); } catch (e) { return (e as Error).message; } return 'no error'; };
  const bad = err('    - {loss: [{loss: bce}, {loss: disco, scope: {events: background, mass: [180, 100]}}], lr: 1, epochs: 1}');
  assert.match(bad, /training\.stages\[0\]\.loss\[1\]\.scope\.mass: expected \[low, high\] with low < high/);
  assert.doesNotMatch(bad, /\n|at .*\.ts/);
  assert.match(err('    - {loss: [{loss: disco, scope: {masses: [1, 2]}}], lr: 1, epochs: 1}'), /scope\.masses: unknown key \(did you mean: mass\?\)/);
});

/** a split whose events carry labels, weights and masses (Punzi rows are not read by these terms) */
function split(rng: Rng, n: number): SplitArrays {
  const labels = new Float32Array(n), weights = new Float32Array(n), mass = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.uniform() < 0.3 ? 1 : 0;
    mass[i] = labels[i] ? 125 + 2 * rng.normal() : 95 + 90 * rng.uniform(); // some background outside 100–180
    weights[i] = labels[i] ? 0.01 : 0.5 + rng.uniform();
  }
  return { n, nFeatures: 0, x: new Float32Array(0), labels, weights, bceWeights: bceWeights(labels, weights, true), mass, punzi: {} as PunziRows };
}

test('stage loss of eq. 6 = extreme over all events in [120, 130) + 50 · DisCo over background in [100, 180), value and gradient', () => {
  const rng = new Rng(3);
  const s = split(rng, 700);
  const p0 = Float64Array.from({ length: s.n }, () => 0.02 + 0.96 * rng.uniform());
  const { terms } = resolveLossTerms(EQ6, {});
  const ctx = { sensitivity: {} as never, epoch: 0, epochs: 1 };
  const loss = stageLoss(terms, s, ctx);
  const rows = Int32Array.from({ length: 400 }, (_, k) => (k * 7) % s.n); // a batch in shuffled order
  const p = tensor(Float64Array.from(rows, (i) => p0[i]), [rows.length], { dtype: 'float64', requiresGrad: true });
  const L = loss.value(p, rows)!;
  L.backward();
  // by hand: the two scopes' events, then the two losses on them
  const narrow: number[] = [], wideBkg: number[] = [];
  rows.forEach((i, k) => {
    if (s.mass[i] >= 120 && s.mass[i] < 130) narrow.push(k);
    if (s.labels[i] < 0.5 && s.mass[i] >= 100 && s.mass[i] < 180) wideBkg.push(k);
  });
  assert.ok(narrow.length > 50 && wideBkg.length > 150 && wideBkg.length < rows.length * 0.7);
  const at = (ks: number[], a: ArrayLike<number>): Float32Array => Float32Array.from(ks, (k) => a[rows[k]]);
  const ext = weightedExtreme(tensor(Float64Array.from(narrow, (k) => p.data[k]), [narrow.length], { dtype: 'float64' }), at(narrow, s.labels), at(narrow, s.bceWeights)).data[0];
  const g = new Float64Array(wideBkg.length);
  const R = discoFast(Float64Array.from(wideBkg, (k) => p.data[k]), at(wideBkg, s.mass), at(wideBkg, s.weights), g).value;
  assert.ok(Math.abs(L.data[0] - (ext + 50 * R)) < 1e-12 * L.data[0], `${L.data[0]} vs ${ext} + 50·${R}`);
  // an event in neither scope gets no gradient; a wide-window background event outside the narrow one gets 50·∂R/∂p
  const grad = p.grad!;
  rows.forEach((i, k) => {
    const inNarrow = narrow.includes(k), j = wideBkg.indexOf(k);
    if (!inNarrow && j < 0) assert.equal(grad[k], 0, `event ${i}`);
    if (!inNarrow && j >= 0) assert.ok(Math.abs(grad[k] - 50 * g[j]) <= 1e-12 * Math.abs(50 * g[j]) + 1e-18, `event ${i}: ${grad[k]} vs ${50 * g[j]}`);
  });
});

/** H→Zγ-like toy: f1 separates, f2 tracks the mass in the background (it sculpts), signal at 125 GeV */
function toy(seed: number, n: number): EventTable {
  const r = new Rng(seed);
  const f1 = new Float32Array(n), f2 = new Float32Array(n), label = new Float32Array(n), mass = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = r.uniform() < 0.5;
    label[i] = sig ? 1 : 0;
    mass[i] = sig ? 125 + 2 * r.normal() : 100 + 80 * r.uniform();
    f1[i] = (sig ? 1 : 0) + r.normal();
    f2[i] = sig ? r.normal() * 0.5 : (mass[i] - 125) / 10 + 0.5 * r.normal();
    w[i] = 1;
  }
  return new EventTable({ f1, f2, label, mass, w }, { features: ['f1', 'f2'], label: 'label', mass: 'mass', weight: 'w' }, `hzg-toy-${seed}`);
}

/** trains on `events` (selection by the validation loss: no figure), returns the trained net's output on `scored` */
function trainAndScore(events: EventTable, scored: EventTable, loss: StageConfig['loss'], search: Search): Float32Array {
  const prep = prepareRun(events, search, { split: { train: 0.6, validation: 0.3, test: 0.1, seed: 1 }, scaling: 'standard' });
  const model = { kind: 'mlp', hidden: [16, 8], activation: 'tanh', init: 'kaiming_normal' } as const;
  const stage = { loss, optimizer: 'adam', lr: 0.01, momentum: 0, weightDecay: 0, batchSize: 512, epochs: 20, plateau: false, ...(typeof loss === 'string' ? { balance: true } : {}) } as StageConfig;
  const net = trainNet({ train: prep.train, validation: prep.validation, model, stages: [stage], seed: 4, sensitivity: { a: 3, b: 1.28155, lumi: 1, form: 'improved' } });
  const sc = prep.scaler.toJSON();
  const saved = savedModel(model, net.params, prep.features, Float32Array.from(sc.offset), Float32Array.from(sc.scale, (q) => 1 / q));
  return scoreColumns(saved, new Map(scored.names.map((n) => [n, scored.column(n)])), scored.source);
}

test('training with λ·DisCo on background lowers the background output–mass correlation ≥ 2× and keeps separating (eq. 6 toy)', (tc) => {
  const search = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'range', from: 100, to: 180 } });
  const events = toy(1, 6000), t = toy(2, 4000);
  const plain = trainAndScore(events, t, 'bce', search);
  const decor = trainAndScore(events, t, [{ loss: 'bce', balance: true }, { loss: 'disco', weight: 10, scope: { events: 'background' } }] as StageConfig['loss'], search);
  const label = t.column('label'), mass = t.column('mass');
  const bkg = Int32Array.from({ length: t.length }, (_, i) => i).filter((i) => label[i] < 0.5);
  const m = Float64Array.from(bkg, (i) => mass[i]);
  const dc = (s: Float32Array): number => distanceCorrelation(Float64Array.from(bkg, (i) => s[i]), m).value;
  const [d0, d1] = [dc(plain), dc(decor)];
  assert.ok(d0 > 0.1, `BCE alone sculpts (DisCo ${d0})`);
  assert.ok(d1 < d0 / 2, `DisCo ${d1} with the term vs ${d0} without`);
  // still a classifier: the mean output of signal above that of background (f1 separates by 1σ)
  let ss = 0, ns = 0, sb = 0, nb = 0;
  for (let i = 0; i < t.length; i++) if (label[i] > 0.5) { ss += decor[i]; ns++; } else { sb += decor[i]; nb++; }
  tc.diagnostic(`background DisCo ${d0.toFixed(4)} (BCE) → ${d1.toFixed(4)} (BCE + 10·DisCo); mean output signal ${(ss / ns).toFixed(3)}, background ${(sb / nb).toFixed(3)}`);
  assert.ok(ss / ns - sb / nb > 0.1, `signal ${ss / ns} vs background ${sb / nb}`);
});
