import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, tensor } from '../../src/core/index.js';
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';
import { resolveLossTerms } from '../../src/losses/registry.js';
import { weightedBce } from '../../src/losses/bce.js';
import { discoFast } from '../../src/core/kernels/disco.js';
import { prepareRun } from '../../src/train/prepare.js';
import { stageLoss } from '../../src/train/terms.js';

/** H→Zγ-like toy: signal at 125 GeV (σ 2), background flat in 100–180 GeV */
function toy(n: number): EventTable {
  const r = new Rng(5);
  const f1 = new Float32Array(n), label = new Float32Array(n), mass = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = r.uniform() < 0.3;
    label[i] = sig ? 1 : 0;
    mass[i] = sig ? 125 + 2 * r.normal() : 100 + 80 * r.uniform();
    f1[i] = (sig ? 1 : 0) + r.normal();
    w[i] = sig ? 0.01 : 1;
  }
  return new EventTable({ f1, label, mass, w }, { features: ['f1'], label: 'label', mass: 'mass', weight: 'w' }, 'toy');
}

const search = new Search({ hypotheses: { masses: [125] }, variable: 'mass', window: { kind: 'range', from: 120, to: 130 } });
const split = { train: 0.5, validation: 0.25, test: 0.25, seed: 1 };
// eq. 6: the classifier term in the search's (training) window, DisCo over background in 100–180 GeV
const EQ6 = [{ loss: 'bce' }, { loss: 'disco', weight: 10, scope: { events: 'background', mass: [100, 180] } }];

test('eq. 6 data scopes: the events reaching training are the union of the terms’ scopes, each term sees only its own', () => {
  const table = toy(8000);
  const { terms } = resolveLossTerms(EQ6, {});
  assert.deepEqual(terms.map((t) => t.scope), [{ events: 'all', window: 'training' }, { events: 'background', window: 'any', mass: [100, 180] }]);
  const narrow = prepareRun(table, search, { split, scaling: 'standard' });
  const wide = prepareRun(table, search, { split, scaling: 'standard', scopes: terms.map((t) => t.scope) });
  const t = wide.train;
  // narrow: only 120–130 (as before); wide: plus every background event of the training split in 100–180
  assert.ok(narrow.train.mass.every((m) => m >= 120 && m <= 130) && narrow.train.inWindow === null);
  let outside = 0, bkgInside = 0;
  for (let i = 0; i < t.n; i++) {
    const inside = t.mass[i] >= 120 && t.mass[i] <= 130;
    assert.equal(t.inWindow![i], inside ? 1 : 0, `event ${i} at ${t.mass[i]} GeV`);
    if (!inside) { outside++; assert.equal(t.labels[i], 0, 'only background is kept outside the window'); } else if (t.labels[i] < 0.5) bkgInside++;
  }
  assert.equal(t.n - outside, narrow.train.n);
  // flat background: 70/80 of it lies outside 120–130 → about 7× the background inside
  assert.ok(outside > 6 * bkgInside && outside < 8 * bkgInside, `${outside} outside vs ${bkgInside} inside`);
  // BCE class balance stays that of the window: Σ w_sig = Σ w_bkg over the in-window events
  let ws = 0, wb = 0;
  for (let i = 0; i < t.n; i++) if (t.inWindow![i]) { if (t.labels[i] >= 0.5) ws += t.bceWeights[i]; else wb += t.bceWeights[i]; }
  assert.ok(Math.abs(ws / wb - 1) < 1e-5, `${ws} vs ${wb}`);

  // one batch: the loss is BCE over its in-window events + 10·DisCo over its background in 100–180
  const rows = Int32Array.from({ length: 1500 }, (_, k) => (k * 13) % t.n);
  const r = new Rng(2);
  const p0 = Float64Array.from(rows, () => 0.05 + 0.9 * r.uniform());
  const p = tensor(p0, [rows.length], { dtype: 'float64', requiresGrad: true });
  const L = stageLoss(terms, t, { sensitivity: {} as never, epoch: 0, epochs: 1 }).value(p, rows)!;
  L.backward();
  const inWin: number[] = [], bkg: number[] = [];
  rows.forEach((i, k) => { if (t.inWindow![i]) inWin.push(k); if (t.labels[i] < 0.5) bkg.push(k); });
  const bkgOutside = bkg.filter((k) => !t.inWindow![rows[k]]).length;
  assert.ok(bkgOutside > 800, `the DisCo term's batch holds ${bkgOutside} background events outside 120–130 GeV`);
  const at = (ks: number[], a: ArrayLike<number>): Float32Array => Float32Array.from(ks, (k) => a[rows[k]]);
  const b = weightedBce(tensor(Float64Array.from(inWin, (k) => p0[k]), [inWin.length], { dtype: 'float64' }), at(inWin, t.labels), at(inWin, t.bceWeights)).data[0];
  const g = new Float64Array(bkg.length);
  const d = discoFast(Float64Array.from(bkg, (k) => p0[k]), at(bkg, t.mass), at(bkg, t.weights), g).value;
  assert.ok(Math.abs(L.data[0] - (b + 10 * d)) < 1e-12 * L.data[0], `${L.data[0]} vs ${b} + 10·${d}`);
  // an out-of-window event gets only the DisCo gradient 10·∂R/∂p
  bkg.forEach((k, j) => { if (!t.inWindow![rows[k]]) assert.ok(Math.abs(p.grad![k] - 10 * g[j]) <= 1e-12 * Math.abs(10 * g[j]) + 1e-18); });
});
