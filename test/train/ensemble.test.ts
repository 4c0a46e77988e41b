import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import type { StageConfig } from '../../src/config/training.js';
import { trainEnsemble } from '../../src/train/ensemble.js';
import { kernels } from '../../src/core/kernels/index.js';
import type { SplitArrays } from '../../src/train/trainer.js';

const H = 5;
/** n random events (3 features, 20 % signal), each in one of H windows (signal coefficient 1/100, background 0.3). */
function split(n: number, seed: number): SplitArrays {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3).map(() => rng.uniform());
  const labels = new Float32Array(n).map(() => (rng.uniform() < 0.2 ? 1 : 0));
  const hyp = Int32Array.from({ length: n }, () => rng.int(H));
  const rows = (sig: boolean) => {
    const offsets = new Int32Array(H + 1);
    for (let i = 0; i < n; i++) if ((labels[i] === 1) === sig) offsets[hyp[i] + 1]++;
    for (let h = 0; h < H; h++) offsets[h + 1] += offsets[h];
    const fill = offsets.slice(0, H), events = new Int32Array(offsets[H]);
    for (let i = 0; i < n; i++) if ((labels[i] === 1) === sig) events[fill[hyp[i]]++] = i;
    return { offsets, events, coef: new Float64Array(events.length).fill(sig ? 1 / 100 : 0.3) };
  };
  const s = rows(true), b = rows(false);
  const ones = new Float32Array(n).fill(1);
  return {
    n, nFeatures: 3, x, labels, weights: ones, bceWeights: ones, mass: ones,
    punzi: { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef },
  };
}

const stages: StageConfig[] = [
  { loss: 'bce', optimizer: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0, batchSize: 256, epochs: 2, plateau: false, balance: false },
  { loss: 'punzi', optimizer: 'adam', lr: 1e-3, momentum: 0, weightDecay: 0, batchSize: 700, epochs: 3, plateau: false, aggregate: 'mean' },
] as StageConfig[];

test('an ensemble trains the same nets on 1 worker and on 2 (batched Punzi stage, members scheduled as workers free up)', async () => {
  const train = split(3000, 1), validation = split(600, 2);
  const run = (workers: number) => trainEnsemble(
    { train, validation, model: { kind: 'mlp', hidden: [6, 3], activation: 'tanh', init: 'kaiming_normal' }, stages, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' } },
    { members: 3, baseSeed: 7, workers, checkpointDir: mkdtempSync(join(tmpdir(), 'fomlab-ens-')), resume: false, stop: new Int32Array(new SharedArrayBuffer(4)) },
  );
  const one = await run(1), two = await run(2);
  assert.equal(one.length, 3);
  // the workers found the same kernels as this thread (from dist/'s one-file bundle of member.js too: its modules keep their own import.meta.url)
  for (const net of [...one, ...two]) assert.deepEqual(net.kernels, [kernels.name]);
  for (let k = 0; k < 3; k++) {
    assert.deepEqual(Object.keys(two[k].params), Object.keys(one[k].params));
    for (const [name, v] of Object.entries(one[k].params)) assert.deepEqual([...two[k].params[name]], [...v], `member ${k} ${name}`);
    assert.deepEqual(two[k].logs.map((l) => l.epochs.map((e) => e.validLoss)), one[k].logs.map((l) => l.epochs.map((e) => e.validLoss)));
  }
  // distinct seeds: the members differ
  assert.notDeepEqual([...one[0].params[Object.keys(one[0].params)[0]]], [...one[1].params[Object.keys(one[1].params)[0]]]);
});
