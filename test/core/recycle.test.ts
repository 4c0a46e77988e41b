// core/recycle.ts: batch-sized arrays handed back and out again (issue 18: fewer garbage collections beside an
// ensemble's workers). Reuse must be exact: a recycled gradient starts from zeros, a leaf's gradient and arrays the pool
// did not make never enter it, and a training gives bit-identical parameters with the pool on or off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mul, reshape, sum, Tensor } from '../../src/core/index.js';
import { clearRecycled, recycleFloat, recycleStats, takeFloat } from '../../src/core/recycle.js';
import { Rng } from '../../src/core/rng.js';
import type { StageConfig } from '../../src/config/training.js';
import { trainNet, type SplitArrays } from '../../src/train/trainer.js';

test('takeFloat hands a recycled array out again (zeroed on request); foreign, small and repeated arrays stay out', () => {
  clearRecycled();
  const a = takeFloat('float32', 8192);
  assert.equal(a.length, 8192);
  assert.ok(a.every((v) => v === 0));
  a.fill(7);
  recycleFloat(a);
  recycleFloat(a); // a second hand-back of the same array must not give it to two owners
  const b = takeFloat('float32', 8192, false);
  assert.equal(b, a);
  assert.equal(b[100], 7); // not zeroed: the caller overwrites it
  assert.notEqual(takeFloat('float32', 8192), a); // the pool held it once
  recycleFloat(b);
  const c = takeFloat('float32', 8192);
  assert.equal(c, a);
  assert.ok(c.every((v) => v === 0));
  assert.notEqual(takeFloat('float64', 8192), a); // another dtype is another size class
  const foreign = new Float32Array(8192);
  recycleFloat(foreign);
  assert.notEqual(takeFloat('float32', 8192), foreign);
  const small = takeFloat('float32', 100);
  recycleFloat(small);
  assert.notEqual(takeFloat('float32', 100), small);
});

test('backward recycles the intermediate gradients it drops, exactly: d/dx Σ (3x)² = 18x on every pass; a leaf keeps its own', () => {
  clearRecycled();
  const n = 6000; // 24 kB per float32 array: pooled
  const x = new Tensor(Float32Array.from({ length: n }, (_, i) => (i % 17) / 8 - 1), [n, 1], true);
  const pass = (): Float32Array => {
    x.grad = null;
    const y = reshape(mul(x, 3), [n]); // reshape adopts its gradient buffer (shape.ts): one buffer, handed back once
    sum(mul(y, y)).backward();
    return x.grad! as Float32Array;
  };
  const first = pass();
  // (i % 17)/8 − 1 and 3x, 9x² are exact in float32, so 18x is too: d/dx (3x)² = 18x
  for (let i = 0; i < n; i++) assert.equal(first[i], 18 * x.data[i]);
  const before = recycleStats().reused;
  const second = pass();
  assert.ok(recycleStats().reused > before, 'the second pass reuses the first pass\'s gradients');
  for (let i = 0; i < n; i++) assert.equal(second[i], 18 * x.data[i]); // a reused buffer not zeroed would give 36x
  const taken = [takeFloat('float32', n), takeFloat('float32', n), takeFloat('float32', n)];
  assert.equal(new Set(taken).size, 3);
  assert.ok(!taken.includes(second) && !taken.includes(first), 'a leaf\'s gradient never enters the pool');
});

/** 20 000 events, 2 features, 25 % signal in 3 windows: Punzi batches of 5000 (20 kB outputs, pooled) */
function toy(seed: number): SplitArrays {
  const n = 20000, H = 3, rng = new Rng(seed);
  const x = new Float32Array(2 * n).map(() => rng.uniform());
  const labels = new Float32Array(n).map((_, i) => (rng.uniform() < 0.25 + 0.5 * (x[2 * i] - 0.5) ? 1 : 0));
  const rows = (sig: boolean) => {
    const offsets = new Int32Array(H + 1), ev: number[][] = [[], [], []];
    for (let i = 0; i < n; i++) if ((labels[i] === 1) === sig) ev[i % H].push(i);
    for (let h = 0; h < H; h++) offsets[h + 1] = offsets[h] + ev[h].length;
    const events = Int32Array.from(ev.flat());
    return { offsets, events, coef: new Float64Array(events.length).fill(sig ? 1 / 2000 : 0.5) };
  };
  const s = rows(true), b = rows(false), ones = new Float32Array(n).fill(1);
  return { n, nFeatures: 2, x, labels, weights: ones, bceWeights: ones, mass: ones,
    punzi: { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef } };
}

test('a batched Punzi training gives bit-identical parameters with the pool off, cold and warm', () => {
  const train = toy(1), validation = toy(2);
  const stages = [
    { loss: 'bce', optimizer: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0, batchSize: 4096, epochs: 1, plateau: false, balance: false },
    { loss: 'punzi', optimizer: 'adam', lr: 1e-2, momentum: 0, weightDecay: 0, batchSize: 5000, epochs: 3, plateau: false, aggregate: 'mean' },
  ] as StageConfig[];
  const run = () => trainNet({ train, validation, model: { kind: 'mlp', hidden: [6, 3], activation: 'tanh', init: 'kaiming_normal' }, stages, seed: 5, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' } });
  clearRecycled(false);
  const off = run();
  clearRecycled(true);
  const cold = run(), before = recycleStats().reused, warm = run();
  assert.ok(recycleStats().reused - before >= 3 * 4 * 2, 'outputs and gradients of the 4 batches of 3 epochs came from the pool');
  for (const r of [cold, warm]) {
    for (const [name, v] of Object.entries(off.params)) assert.deepEqual([...r.params[name]], [...v], name);
    assert.deepEqual(r.logs.map((l) => l.epochs.map((e) => e.trainLoss)), off.logs.map((l) => l.epochs.map((e) => e.trainLoss)));
  }
  assert.notEqual(off.logs[1].epochs[0].trainLoss, off.logs[1].epochs[2].trainLoss); // the Punzi stage did train
});
