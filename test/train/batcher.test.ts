import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { PunziBatcher, type PunziRows } from '../../src/train/punzi-data.js';
import { epochOrder } from '../../src/train/trainer.js';
import { ascendingRows, EpochBatches, shuffledLabels } from '../../src/train/epoch-batches.js';
import { nativeBinding } from '../../src/core/kernels/native.js';

/** CSR rows from (event, hypothesis, coef) triples, events ascending within a hypothesis. */
function csr(triples: Array<[number, number, number]>, H: number): { offsets: Int32Array; events: Int32Array; coef: Float64Array } {
  const sorted = [...triples].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const offsets = new Int32Array(H + 1);
  for (const [, h] of sorted) offsets[h + 1]++;
  for (let h = 0; h < H; h++) offsets[h + 1] += offsets[h];
  return { offsets, events: Int32Array.from(sorted.map((t) => t[0])), coef: Float64Array.from(sorted.map((t) => t[2])) };
}

test('a Punzi mini-batch has exactly the window entries of its events, rescaled, in row order (overlapping windows)', () => {
  const rng = new Rng(11);
  const n = 400, H = 7;
  const sig: Array<[number, number, number]> = [], bkg: Array<[number, number, number]> = [];
  for (let e = 0; e < n; e++) {
    const u = rng.uniform();
    if (u < 0.3) sig.push([e, rng.int(H), 1 / (100 + e)]); // signal: its own window only
    else if (u < 0.9) { // background: 0–3 overlapping windows in a row
      const h0 = rng.int(H), w = rng.int(4);
      for (let h = h0; h < Math.min(H, h0 + w); h++) bkg.push([e, h, 0.05 * (e + 1)]);
    } // else: in no window
  }
  const s = csr(sig, H), b = csr(bkg, H);
  const r: PunziRows = { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef };
  const batcher = new PunziBatcher(r);
  const rows = batchRows(rng.permutation(n), 64);
  for (let start = 0; start < n; start += 64) {
    const batch = rows.subarray(start, Math.min(start + 64, n));
    const scale = n / batch.length;
    const got = batcher.batch(batch, scale);
    for (const [which, triples] of [['signal', sig], ['background', bkg]] as const) {
      const inc = got[which];
      assert.equal(inc.nEvents, batch.length);
      for (let h = 0; h < H; h++) {
        // expected: batch positions i (ascending) whose event has an entry in h
        const want: Array<[number, number]> = [];
        batch.forEach((e, i) => {
          for (const [te, th, tc] of triples) if (te === e && th === h) want.push([i, tc * scale]);
        });
        const have: Array<[number, number]> = [];
        for (let j = inc.offsets[h]; j < inc.offsets[h + 1]; j++) have.push([inc.events[j], inc.coef![j]]);
        assert.deepEqual(have, want, `${which} h=${h}`);
      }
    }
  }
});

test('epoch batches: every event once, each batch the events of one slice of the permutation, ascending', () => {
  const perm = Uint32Array.from([7, 2, 9, 0, 4, 8, 1, 3, 6, 5]);
  const rows = batchRows(perm, 4);
  // slices {7,2,9,0}, {4,8,1,3}, {6,5} → ascending
  assert.deepEqual([...rows], [0, 2, 7, 9, 1, 3, 4, 8, 5, 6]);
});

/** the batches of a permutation (PyTorch's shuffled DataLoader: batch b = positions [b·size, (b+1)·size)) in ascending event order, through each event's batch label */
function batchRows(perm: Uint32Array, size: number): Int32Array {
  const label = new Int32Array(perm.length);
  perm.forEach((e, k) => (label[e] = Math.floor(k / size)));
  return ascendingRows(label, size);
}

/** random overlapping rows as in the first test, as PunziRows */
function randomRows(seed: number, n: number, H: number): PunziRows {
  const rng = new Rng(seed);
  const sig: Array<[number, number, number]> = [], bkg: Array<[number, number, number]> = [];
  for (let e = 0; e < n; e++) {
    const u = rng.uniform();
    if (u < 0.3) sig.push([e, rng.int(H), 1 / (100 + e)]);
    else if (u < 0.9) for (let h = rng.int(H), w = h + rng.int(4); h < Math.min(H, w); h++) bkg.push([e, h, 0.05 * (e + 1) * rng.uniform()]);
  }
  const s = csr(sig, H), b = csr(bkg, H);
  return { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef };
}

test('the addon\'s Punzi batch cut equals its TypeScript twin entry for entry (ascending and shuffled rows, last short batch)', { skip: nativeBinding?.punziBatch ? false : 'native kernels not built' }, () => {
  const n = 3001, H = 9, size = 250;
  const batcher = new PunziBatcher(randomRows(3, n, H));
  for (const ascending of [true, false]) {
    const rows = epochOrder(new Rng(4), n, size, ascending);
    for (let start = 0; start < n; start += size) {
      const batch = rows.subarray(start, Math.min(start + size, n));
      const got = batcher.batch(batch, n / batch.length), want = batcher.batchTs(batch, n / batch.length);
      for (const which of ['signal', 'background'] as const) {
        assert.deepEqual([...got[which].offsets], [...want[which].offsets]);
        assert.deepEqual([...got[which].events], [...want[which].events]);
        assert.deepEqual([...got[which].coef!], [...want[which].coef!]); // bit for bit: the same double products
      }
    }
  }
  assert.throws(() => batcher.batch(Int32Array.of(0, n), 1), /row 3001 out of range/);
});

test('the epoch order: the shuffled batch labels listed batch by batch (ascendingRows) or Rng.permutation, the generator left in the same state', () => {
  for (const [n, size] of [[0, 1], [1, 1], [2, 1], [33, 4], [1000, 64], [20011, 999], [70_000, 200]]) {
    for (const ascending of [true, false]) {
      const a = new Rng(5), b = new Rng(5);
      const got = epochOrder(a, n, size, ascending);
      const want = ascending ? ascendingRows(shuffledLabels(b, n, size), size) : b.permutation(n);
      assert.deepEqual([...got], [...want], `n=${n} size=${size} ascending=${ascending}`);
      assert.equal(a.nextUint32(), b.nextUint32());
    }
  }
});

test('ascending batches from the labels: event e in batch label[e], batches of exactly size events, every split equally likely', () => {
  // by hand: labels 1 0 2 0 1 2 0 0 1 1 of events 0…9, size 4 → batch 0 = {1, 3, 6, 7}, 1 = {0, 4, 8, 9}, 2 = {2, 5}
  assert.deepEqual([...ascendingRows([1, 0, 2, 0, 1, 2, 0, 0, 1, 1], 4)], [1, 3, 6, 7, 0, 4, 8, 9, 2, 5]);
  // 5 events in batches of 2, 2, 1: 5!/(2!·2!·1!) = 30 ordered splits, each 1/30; 30 000 epochs through the trainer's
  // order (the addon's when built): every split seen, χ² over 29 degrees of freedom below 58.3 (p = 0.001)
  const rng = new Rng(21), seen = new Map<string, number>();
  for (let epoch = 0; epoch < 30_000; epoch++) {
    const order = epochOrder(rng, 5, 2, true);
    const key = [order.slice(0, 2).join(','), order.slice(2, 4).join(','), order[4]].join('|');
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  assert.equal(seen.size, 30);
  const chi2 = [...seen.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
  assert.ok(chi2 < 58.3, `χ² = ${chi2.toFixed(1)}`);
});

test('a batch of 20 000 rows (overlapping windows) equals the TypeScript cut entry for entry, through its rows and from the gathered epoch into reused arrays', { skip: nativeBinding?.punziBatch ? false : 'native kernels not built' }, () => {
  const n = 40_001, H = 11, size = 20_000;
  const batcher = new PunziBatcher(randomRows(6, n, H)), batches = new EpochBatches(n, size);
  const order = batches.shuffle(new Rng(8));
  batcher.gatherEpoch(batches);
  for (let at = 0; at < n; at += size) {
    const rows = order.subarray(at, Math.min(at + size, n)), scale = n / rows.length;
    const want = batcher.batchTs(rows, scale);
    for (const got of [batcher.batch(rows, scale), batcher.batch(rows, scale, at)]) {
      for (const which of ['signal', 'background'] as const) {
        assert.deepEqual([...got[which].offsets], [...want[which].offsets]);
        assert.deepEqual([...got[which].events], [...want[which].events]);
        assert.deepEqual([...got[which].coef!], [...want[which].coef!]);
      }
    }
  }
});

test('the addon\'s cut checks the codes of the entries it visits (a bad further entry of an event outside the batch does not matter)', { skip: nativeBinding?.punziBatch ? false : 'native kernels not built' }, () => {
  // two events, one hypothesis: event 0's first entry (code 0) has one further entry with code −3, event 1 none
  const first = Float64Array.of(1 << 20, 1, -1, 0), moreOffsets = Int32Array.of(0, 1, 1), moreCode = Int32Array.of(-3), moreCoef = Float64Array.of(1);
  assert.throws(() => nativeBinding!.punziBatch(first, moreOffsets, moreCode, moreCoef, 1, Int32Array.of(0, 1), 1), /punziBatch: code out of range/);
  const [so, , , bo] = nativeBinding!.punziBatch(first, moreOffsets, moreCode, moreCoef, 1, Int32Array.of(1), 1);
  assert.deepEqual([...so, ...bo], [0, 0, 0, 0]);
});
