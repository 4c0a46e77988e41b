// Issue 7's speed figures: a Punzi-net training epoch on 2.6 M events with 44 hypotheses (the seed study's training
// set), the BCE epoch at batch 2048, the full recipe of one net (200 BCE + 2000 Punzi epochs, extrapolated from
// measured epochs), each beside ../shared/anchors/torch_punzi_bench.py on the same data shape in this run; and an
// ensemble on both cores vs one (the speed-up that makes 25 nets affordable).
// Through the real trainer (src/train/trainer.ts), so its per-epoch bookkeeping is included; validation is kept
// to a 1 % split so that the epoch measured is the same work as the anchor's.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { kernels } from '../src/core/kernels/index.js';
import type { StageConfig } from '../src/config/training.js';
import { trainNet, type SplitArrays } from '../src/train/trainer.js';
import { trainEnsemble } from '../src/train/ensemble.js';
import { epochSeconds } from './epoch-timer.js';
import { benchLine, runAnchor } from './anchor.js';

const N = Number(process.env.FOMLAB_BENCH_EVENTS ?? 2_600_000);
const H = 44;
const NGEN = 20000;

/** Random events of the anchor's shape: 4 features in [0,1), 10 % signal, each event in one of 44 windows. */
function split(n: number, seed: number): SplitArrays {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 4).map(() => rng.uniform());
  const labels = new Float32Array(n).map(() => (rng.uniform() < 0.1 ? 1 : 0));
  const hyp = Int32Array.from({ length: n }, () => rng.int(H));
  const rows = (sig: boolean) => {
    const offsets = new Int32Array(H + 1);
    for (let i = 0; i < n; i++) if ((labels[i] === 1) === sig) offsets[hyp[i] + 1]++;
    for (let h = 0; h < H; h++) offsets[h + 1] += offsets[h];
    const fill = offsets.slice(0, H), events = new Int32Array(offsets[H]);
    for (let i = 0; i < n; i++) if ((labels[i] === 1) === sig) events[fill[hyp[i]]++] = i;
    return { offsets, events, coef: new Float64Array(events.length).fill(sig ? 1 / NGEN : 1) };
  };
  const s = rows(true), b = rows(false);
  const ones = new Float32Array(n).fill(1);
  return {
    n, nFeatures: 4, x, labels, weights: ones, bceWeights: ones, mass: ones,
    punzi: { nEvents: n, nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef },
  };
}

/** a stage; the loss's own options: BCE without class balance, Punzi with the mean over hypotheses */
const stage = (s: Partial<StageConfig>): StageConfig => ({
  loss: 'bce', optimizer: 'sgd', lr: 1, momentum: 0, weightDecay: 0, batchSize: 2048, epochs: 3, plateau: false,
  ...(s.loss === 'punzi' ? { aggregate: 'mean' } : { balance: false }), ...s,
});
const model = { kind: 'mlp' as const, hidden: [8, 4], activation: 'tanh' as const, init: 'kaiming_normal' as const };
const sensitivity = { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const };
const train = split(N, 1), validation = split(Math.round(N / 100), 2);

/** seconds per epoch of a stage (minimum over epochs 2…k) */
const stageEpochSeconds = (s: StageConfig): number => epochSeconds((onEpoch) => trainNet({ train, validation, model, stages: [s], seed: 1, sensitivity, onEpoch }));

const bce = stageEpochSeconds(stage({ epochs: 4 }));
const punzi = stageEpochSeconds(stage({ loss: 'punzi', lr: 5e-4, batchSize: 'full', epochs: 6 }));
const punziBatched = stageEpochSeconds(stage({ loss: 'punzi', lr: 5e-4, batchSize: 50000, epochs: 4 }));
const anchor = runAnchor('torch_punzi_bench.py', [String(N), '2']);
const a = (key: string): number | string => (typeof anchor === 'string' ? anchor : anchor.get(key) ?? `skipped: no ${key}`);
const extra = { kernels: kernels.name, hypotheses: H };
benchLine('train_bce_epoch_batch2048', N, bce, a('bce_batch2048'), extra);
benchLine('train_punzi_epoch_fullbatch_44hyp', N, punzi, a('punzi_fullbatch'), extra);
benchLine('train_punzi_epoch_batch50000_44hyp', N, punziBatched, undefined, { ...extra, note: 'the seed recipe\'s batched Punzi stage (no anchor)' });
const recipe = 200 * bce + 2000 * punzi;
const aBce = a('bce_batch2048'), aPunzi = a('punzi_fullbatch');
benchLine('train_full_recipe_one_net_200bce_2000punzi_extrapolated', N, recipe, typeof aBce === 'number' && typeof aPunzi === 'number' ? 200 * aBce + 2000 * aPunzi : aBce, extra);

// Ensemble: 4 nets (10 BCE + 150 Punzi epochs on N/10 events) on 1 worker vs 2 (worker threads over shared memory).
const small = split(Math.round(N / 10), 3);
const ensemble = async (workers: number): Promise<number> => {
  const t0 = performance.now();
  await trainEnsemble(
    { train: small, validation, model, stages: [stage({ epochs: 10 }), stage({ loss: 'punzi', lr: 5e-4, batchSize: 'full', epochs: 150 })], sensitivity },
    { members: 4, baseSeed: 1, workers, checkpointDir: mkdtempSync(join(tmpdir(), 'fomlab-bench-')), resume: false, stop: new Int32Array(new SharedArrayBuffer(4)), checkpointEvery: 1000 },
  );
  return (performance.now() - t0) / 1000;
};
const one = await ensemble(1), two = await ensemble(2);
benchLine('train_ensemble_4nets_2workers', small.n * 4, two, undefined, { ...extra, seconds_1_worker: +one.toPrecision(4), speedup_2_workers: +(one / two).toFixed(2) });
benchLine('train_ensemble_25nets_full_recipe_extrapolated', N * 25, (recipe * 25) / (one / two), undefined, { ...extra, note: '25 × one-net recipe / measured 2-worker speed-up' });
