import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SGD, Tensor, reshape } from '../../src/core/index.js';
import { buildModel } from '../../src/models/registry.js';
import { punziLoss } from '../../src/losses/punzi.js';
import { readFileSync } from 'node:fs';
import { ascendingRows, EpochBatches, epochOrder, layOutEpoch, lemireBelow, shuffledLabels } from '../../src/train/epoch-batches.js';
import { nativeBinding } from '../../src/core/kernels/native.js';
import { keepKernelsSerial } from '../../src/core/kernels/index.js';
import { eventTable, PunziBatcher, type PunziRows } from '../../src/train/punzi-data.js';
import { trainNet, type SplitArrays } from '../../src/train/trainer.js';
import type { StageConfig } from '../../src/config/training.js';

/** computed by test/fixtures/vectors/make_batch_labels.py from the published xoshiro128** and Lemire's algorithm 5, with exact integers */
const ref = JSON.parse(readFileSync(new URL('../fixtures/vectors/batch_labels.json', import.meta.url), 'utf8')) as {
  lemire: { seed: number; draws: Array<[number, number[]]> };
  labels: Array<{ seed: number; n: number; size: number; labels: number[]; nextUint32After: number }>;
};

test('Lemire\'s bounded draws and the shuffled batch labels equal the Python reference (exact integers), the generator left where it leaves it', () => {
  const rng = new Rng(ref.lemire.seed);
  // ranges 1 … 2³² − 1; 2³¹ + 1 rejects about half of the draws (2³² mod r = 2³¹ − 1), so the redraw loop runs
  for (const [range, want] of ref.lemire.draws) assert.deepEqual(Array.from({ length: want.length }, () => lemireBelow(rng, range)), want, `range ${range}`);
  for (const c of ref.labels) {
    const r = new Rng(c.seed);
    assert.deepEqual([...shuffledLabels(r, c.n, c.size)], c.labels, `n=${c.n} size=${c.size}`);
    assert.equal(r.nextUint32(), c.nextUint32After);
    // the trainer's epoch (the addon's batchLayout when built): the same labels listed batch by batch
    const order = new EpochBatches(c.n, c.size).shuffle(new Rng(c.seed));
    assert.deepEqual([...order], [...ascendingRows(c.labels, c.size)]);
    for (let k = 0; k < c.n; k++) assert.equal(c.labels[order[k]], Math.floor(k / c.size));
  }
});

test('the addon\'s epoch layout equals its TypeScript twin: order and followed rows, on the pool\'s threads and serial', { skip: nativeBinding?.batchLayout ? false : 'native kernels not built' }, () => {
  // 150 001 events × (4 + 12 + 16) bytes ≥ 2²² bytes: the addon splits the pass over its threads
  const n = 150_001, size = 20_000;
  // x as an ensemble worker sees it: on a SharedArrayBuffer, at an offset into it
  const x = new Float32Array(new SharedArrayBuffer(4 * (3 * n + 5)), 4 * 5, 3 * n).map((_, k) => k + 0.25), t = Float64Array.from({ length: 2 * n }, (_, k) => -k / 3);
  const want = { order: new Int32Array(n), x: new Float32Array(3 * n), t: new Float64Array(2 * n) };
  const twin = new Rng(12);
  for (let epoch = 0; epoch < 3; epoch++) {
    layOutEpoch(shuffledLabels(twin, n, size), size, want.order, [{ src: x, width: 3, dst: want.x }, { src: t, width: 2, dst: want.t }]);
    for (const serial of [false, true]) {
      const rng = new Rng(12), batches = new EpochBatches(n, size), gx = new Float32Array(3 * n), gt = new Float64Array(2 * n);
      keepKernelsSerial(serial);
      try {
        for (let e = 0; e <= epoch; e++) {
          batches.shuffle(rng);
          batches.gather(x, 3, gx); // followed from the first epoch on: laid out by the shuffles after it
          batches.gather(t, 2, gt);
        }
      } finally {
        keepKernelsSerial(false);
      }
      assert.deepEqual(batches.order, want.order, `epoch ${epoch} serial ${serial}`);
      assert.deepEqual(gx, want.x);
      assert.deepEqual(gt, want.t);
    }
  }
  assert.throws(() => nativeBinding!.batchLayout(Int32Array.of(1, 2, 3, 4), n, size, new Int32Array(n), [x, 3, new Float64Array(3 * n)]), /follower 0: src and dst both Float32Array or both Float64Array/);
});

test('epochs laid out ahead on the addon\'s thread (prefetch) are the epochs shuffle lays out, and a generator moved in between is honoured', { skip: nativeBinding?.batchLayoutStart ? false : 'native kernels not built' }, () => {
  const n = 150_001, size = 20_000;
  const x = Float32Array.from({ length: 3 * n }, (_, k) => k - 0.5), t = Float64Array.from({ length: 2 * n }, (_, k) => k / 7);
  /** 4 epochs: orders, gathered rows and the generator after; `ahead`: prefetch after each epoch's gathers; `meddle`: a draw between prefetch and shuffle in epoch 2 */
  const run = (ahead: boolean, meddle: boolean, serial = false) => {
    const rng = new Rng(31), batches = new EpochBatches(n, size), gx = new Float32Array(3 * n), gt = new Float64Array(2 * n), seen: number[][] = [];
    keepKernelsSerial(serial);
    try {
      for (let epoch = 0; epoch < 4; epoch++) {
        if (meddle && epoch === 2) rng.nextUint32();
        const order = batches.shuffle(rng);
        const rx = batches.gather(x, 3, gx), rt = batches.gather(t, 2, gt);
        seen.push([...order.subarray(0, 50), ...order.subarray(n - 50)], [...rx.subarray(0, 30)], [...rt.subarray(2 * n - 30)]);
        for (const k of [0, 1, 77_777, n - 1]) assert.equal(rx[3 * k + 2], x[3 * order[k] + 2]);
        if (ahead) batches.prefetch(rng);
      }
      batches.close();
    } finally {
      keepKernelsSerial(false);
    }
    return { seen, next: rng.nextUint32() };
  };
  const plain = run(false, false);
  assert.deepEqual(run(true, false), plain);
  assert.deepEqual(run(true, false, true), plain); // the pool serial: laid out before batchLayoutStart returns
  assert.deepEqual(run(true, true), run(false, true));
  assert.notDeepEqual(run(false, true).seen[6], plain.seen[6]); // the meddling draw changes epoch 2's order
});

/** n events, 3 features, each in 0–2 windows of H (signal in its own window), as CSR rows */
function split(seed: number, n: number, H: number): SplitArrays {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3).map(() => rng.uniform() * 2 - 1);
  const labels = new Float32Array(n).map(() => (rng.uniform() < 0.3 ? 1 : 0));
  const entries: Array<[number, number, number, boolean]> = [];
  for (let e = 0; e < n; e++) {
    const sig = labels[e] === 1, h0 = rng.int(H);
    entries.push([e, h0, sig ? 1 / 500 : 0.5 + rng.uniform(), sig]);
    if (!sig && rng.uniform() < 0.3 && h0 + 1 < H) entries.push([e, h0 + 1, 0.7, false]); // overlapping windows: "further" entries
  }
  const rows = (sig: boolean) => {
    const mine = entries.filter((t) => t[3] === sig).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const offsets = new Int32Array(H + 1);
    for (const t of mine) offsets[t[1] + 1]++;
    for (let h = 0; h < H; h++) offsets[h + 1] += offsets[h];
    return { offsets, events: Int32Array.from(mine, (t) => t[0]), coef: Float64Array.from(mine, (t) => t[2]) };
  };
  const s = rows(true), b = rows(false), ones = new Float32Array(n).fill(1);
  const punzi: PunziRows = { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef };
  return { n, nFeatures: 3, x, labels, weights: ones, bceWeights: ones, mass: ones, punzi };
}

test('an epoch\'s gathered rows are the source rows in the epoch order (float32 and float64, last short batch), the generator as epochOrder leaves it', () => {
  const n = 1003, size = 100;
  const src32 = Float32Array.from({ length: 3 * n }, (_, k) => k + 0.5), src64 = Float64Array.from({ length: 2 * n }, (_, k) => -k / 7);
  const a = new Rng(9), b = new Rng(9);
  const batches = new EpochBatches(n, size);
  for (let epoch = 0; epoch < 2; epoch++) {
    const order = batches.shuffle(a);
    assert.deepEqual([...order], [...epochOrder(b, n, size, true)]);
    const g32 = batches.gather(src32, 3, new Float32Array(3 * n)), g64 = batches.gather(src64, 2, new Float64Array(2 * n));
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < 3; j++) assert.equal(g32[3 * k + j], src32[3 * order[k] + j]);
      for (let j = 0; j < 2; j++) assert.equal(g64[2 * k + j], src64[2 * order[k] + j]);
    }
  }
  assert.equal(a.nextUint32(), b.nextUint32());
  // large enough (≥ 2²⁰ elements) for the addon to split the gather over its threads: the same layout
  const big = 300_007, wide = new EpochBatches(big, 50_000), x = Float32Array.from({ length: 4 * big }, (_, k) => k);
  const bigOrder = wide.shuffle(new Rng(10)), g = wide.gather(x, 4, new Float32Array(4 * big));
  let same = 0;
  for (let k = 0; k < big; k++) for (let j = 0; j < 4; j++) same += g[4 * k + j] === x[4 * bigOrder[k] + j] ? 1 : 0;
  assert.equal(same, 4 * big);
});

test('a Punzi batch cut from the gathered epoch equals the one cut through its rows, entry for entry (float32 coefficients too)', () => {
  const n = 2001, size = 300, s = split(4, n, 6);
  const batcher = new PunziBatcher(s.punzi), batches = new EpochBatches(n, size);
  const order = batches.shuffle(new Rng(5));
  batcher.gatherEpoch(batches);
  for (let at = 0; at < n; at += size) {
    const rows = order.subarray(at, Math.min(at + size, n)), scale = n / rows.length;
    const got = batcher.batch(rows, scale, at), want = batcher.batchTs(rows, scale);
    for (const which of ['signal', 'background'] as const) {
      assert.deepEqual([...got[which].offsets], [...want[which].offsets]);
      assert.deepEqual([...got[which].events], [...want[which].events]);
      assert.deepEqual([...got[which].coef!], [...want[which].coef!]);
      assert.deepEqual([...got[which].coefFor('float32')!], [...Float32Array.from(want[which].coef!)]);
    }
  }
  assert.throws(() => batcher.batch(order.subarray(1, 11), 1, 0), /not the gathered epoch's order/);
});

test('batched Punzi training on gathered epochs gives bit for bit the parameters of a plain loop over the rows (no gathering)', () => {
  const n = 1500, size = 400, H = 5, train = split(6, n, H), validation = split(7, 200, H);
  const model = { kind: 'mlp' as const, hidden: [6, 4], activation: 'tanh' as const, init: 'kaiming_normal' as const };
  const sensitivity = { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const };
  const stage = { loss: 'punzi', optimizer: 'sgd', lr: 2e-3, momentum: 0.9, weightDecay: 0, batchSize: size, epochs: 3, plateau: false, aggregate: 'mean', checkpoint: 'last' } as unknown as StageConfig;
  const got = trainNet({ train, validation, model, stages: [stage], seed: 3, sensitivity });
  // the trainer's loop by hand: each batch's rows gathered from x and cut through the rows
  const rng = new Rng(3);
  const net = buildModel(3, model, rng);
  const opt = new SGD(net.parameters(), { lr: 2e-3, momentum: 0.9, weightDecay: 0 });
  const batcher = new PunziBatcher(train.punzi), x = new Tensor(train.x, [n, 3]);
  for (let epoch = 0; epoch < 3; epoch++) {
    const order = epochOrder(rng, n, size, true);
    for (let at = 0; at < n; at += size) {
      const rows = order.subarray(at, Math.min(at + size, n));
      opt.zeroGrad();
      punziLoss(reshape(net.forwardRows(x, rows), [rows.length]), batcher.batch(rows, n / rows.length), { ...sensitivity, aggregate: 'mean', sharpness: 1 }).backward();
      opt.step();
    }
  }
  const want = Object.fromEntries(net.namedParameters().map(([k, t]) => [k, [...t.data]]));
  for (const [k, v] of Object.entries(got.params)) assert.deepEqual([...v], want[k], k);
  assert.ok(Object.keys(got.params).length >= 6);
});

test('a shared event table (an ensemble builds it once) is used only by the rows it was built from', () => {
  const n = 500, s = split(8, n, 4), rows = Int32Array.from({ length: 120 }, (_, k) => 4 * k + 1);
  const withTable: PunziRows = { ...s.punzi, byEvent: eventTable(s.punzi) };
  const plain = new PunziBatcher(s.punzi).batchTs(rows, 2), shared = new PunziBatcher(withTable).batchTs(rows, 2);
  assert.deepEqual([...shared.background.coef!], [...plain.background.coef!]);
  // a copy with other background coefficients keeps the stale table in byEvent: it must not be used
  const bkgCoef = withTable.bkgCoef.map((c) => 3 * c);
  const tripled = new PunziBatcher({ ...withTable, bkgCoef }).batchTs(rows, 2);
  assert.deepEqual([...tripled.background.coef!], [...plain.background.coef!].map((c) => 3 * c));
});
