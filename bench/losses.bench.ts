// Issue 16: one Lovász-Z loss epoch vs a BCE epoch on 1 M events, through the real trainer (src/train/trainer.ts)
// with the bench MLP (4 → 8 → 4 → 1), plus the loss alone (no net: errors, sort, Lovász gradient, backward) at
// 0.25, 0.5, 1 and 2 M events to show how it scales: the errors are sorted by an LSD radix sort on their bits
// (core/ops/radix.ts radixOrder, O(n); the comparison argsort it replaced took ≈ 0.5–1 s for 1 M), so seconds / n stays flat.
import { Rng } from '../src/core/rng.js';
import { kernels } from '../src/core/kernels/index.js';
import { tensor } from '../src/core/index.js';
import type { StageConfig } from '../src/config/training.js';
import { lovaszZLoss } from '../src/losses/lovasz-z.js';
import { trainNet, type SplitArrays } from '../src/train/trainer.js';
import { epochSeconds } from './epoch-timer.js';
import { benchLine } from './anchor.js';

const N = Number(process.env.FOMLAB_BENCH_EVENTS ?? 1_000_000);

/** Random events: 4 features in [0,1), 10 % signal, all in one window, unit weights. */
function split(n: number, seed: number): SplitArrays {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 4).map(() => rng.uniform());
  const labels = new Float32Array(n).map(() => (rng.uniform() < 0.1 ? 1 : 0));
  const sig = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === 1), bkg = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === 0);
  const ones = new Float32Array(n).fill(1);
  return {
    n, nFeatures: 4, x, labels, weights: ones, bceWeights: ones, mass: ones,
    punzi: { nEvents: n, nHypotheses: 1, sigOffsets: Int32Array.of(0, sig.length), sigEvents: sig, sigCoef: new Float64Array(sig.length).fill(1e-4), bkgOffsets: Int32Array.of(0, bkg.length), bkgEvents: bkg, bkgCoef: new Float64Array(bkg.length).fill(1) },
  };
}

const stage = (s: Partial<StageConfig> & Record<string, unknown>): StageConfig => ({
  loss: 'bce', optimizer: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, batchSize: 2048, epochs: 3, plateau: false, ...s,
}) as StageConfig;
const model = { kind: 'mlp' as const, hidden: [8, 4], activation: 'tanh' as const, init: 'kaiming_normal' as const };
const sensitivity = { a: 3, b: 1.28155, lumi: 50, form: 'improved' as const };
const train = split(N, 1), validation = split(Math.round(N / 100), 2);

/** seconds per epoch of a stage (minimum over epochs 2…k) */
const stageEpochSeconds = (s: StageConfig): number => epochSeconds((onEpoch) => trainNet({ train, validation, model, stages: [s], seed: 1, sensitivity, onEpoch }));

const extra = { kernels: kernels.name };
const lz = { error: 'sigmoid', gamma: 2, significance: 'asimov', floor: 0.01 };
const bce = stageEpochSeconds(stage({ balance: false }));
benchLine('loss_bce_epoch_batch2048', N, bce, undefined, { ...extra, note: 'fused forward + BCE + backward kernel' });
const lovaszBatched = stageEpochSeconds(stage({ loss: 'lovasz-z', ...lz }));
benchLine('loss_lovasz_z_epoch_batch2048', N, lovaszBatched, undefined, { ...extra, vs_bce: +(lovaszBatched / bce).toFixed(2), note: 'autograd path of the MLP (no fused kernel), 489 batches; one sort of 2048 errors per batch' });
const lovaszFull = stageEpochSeconds(stage({ loss: 'lovasz-z', ...lz, batchSize: 'full' }));
benchLine('loss_lovasz_z_epoch_fullbatch', N, lovaszFull, undefined, { ...extra, vs_bce: +(lovaszFull / bce).toFixed(2), note: 'one sort of all errors per epoch' });

// the loss alone: value + backward of Δ̄_Z on n outputs
for (const n of [250_000, 500_000, 1_000_000, 2_000_000]) {
  const rng = new Rng(7);
  const p0 = Float32Array.from({ length: n }, () => rng.uniform());
  const y = Float32Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 1 : 0)), w = new Float32Array(n).fill(1);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const p = tensor(p0, [n], { requiresGrad: true });
    const t0 = performance.now();
    lovaszZLoss(p, y, w, { error: 'sigmoid', gamma: 2, significance: 'asimov', floor: 0.01 }).backward();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  benchLine('loss_lovasz_z_value_and_gradient', n, best, undefined, { ...extra, ns_per_event: +((best * 1e9) / n).toFixed(1) });
}
