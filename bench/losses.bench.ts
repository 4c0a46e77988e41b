// Issue 16: one Lovász-Z loss epoch vs a BCE epoch on 1 M events, through the real trainer (src/train/trainer.ts)
// with the bench MLP (4 → 8 → 4 → 1), plus the loss alone (no net: errors, sort, Lovász gradient, backward) at
// 0.25, 1 and 4 M events to show how it scales: the errors are sorted by an LSD radix sort on their bits
// (core/ops/radix.ts radixOrder, O(n); the comparison argsort it replaced took ≈ 0.5–1 s for 1 M), so seconds / n stays flat.
import { Rng } from '../src/core/rng.js';
import { kernels } from '../src/core/kernels/index.js';
import { tensor, type Tensor } from '../src/core/index.js';
import { weightedBce } from '../src/losses/bce.js';
import type { StageConfig } from '../src/config/training.js';
import { lovaszZLoss } from '../src/losses/lovasz-z.js';
import { trainNet, type SplitArrays } from '../src/train/trainer.js';
import { epochTimes, type EpochTimes } from './epoch-timer.js';
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

/** wall and CPU seconds of one epoch of a stage (the fastest of epochs 2…k) */
const stageEpoch = (s: StageConfig): EpochTimes => epochTimes((onEpoch) => trainNet({ train, validation, model, stages: [s], seed: 1, sensitivity, onEpoch }));

const extra = { kernels: kernels.name };
const lz = { error: 'sigmoid', gamma: 2, significance: 'asimov', floor: 0.01 };
const cpuOf = (t: EpochTimes): Record<string, number> => ({ cpu_seconds: +t.cpu.toPrecision(4) });
const bce = stageEpoch(stage({ balance: false }));
benchLine('loss_bce_epoch_batch2048', N, bce.wall, undefined, { ...extra, ...cpuOf(bce), note: 'fused forward + BCE + backward kernel' });
const lovaszBatched = stageEpoch(stage({ loss: 'lovasz-z', ...lz }));
benchLine('loss_lovasz_z_epoch_batch2048', N, lovaszBatched.wall, undefined, { ...extra, ...cpuOf(lovaszBatched), vs_bce: +(lovaszBatched.wall / bce.wall).toFixed(2), cpu_vs_bce: +(lovaszBatched.cpu / bce.cpu).toFixed(2), note: 'autograd path of the MLP (no fused kernel), 489 batches; one sort of 2048 errors per batch' });
const lovaszFull = stageEpoch(stage({ loss: 'lovasz-z', ...lz, batchSize: 'full' }));
benchLine('loss_lovasz_z_epoch_fullbatch', N, lovaszFull.wall, undefined, { ...extra, ...cpuOf(lovaszFull), vs_bce: +(lovaszFull.wall / bce.wall).toFixed(2), cpu_vs_bce: +(lovaszFull.cpu / bce.cpu).toFixed(2), note: 'one sort of all errors per epoch' });

// the loss alone: value + backward of Δ̄_Z on n outputs, beside the weighted BCE on the same outputs,
// at 0.25, 1 and 4 M events (a 4× step each): wall and CPU seconds (best of 3); ns_per_event flat in n
// means O(n) (the radix sort), growing by log2(4) = 2 per step would be the n log n of a comparison sort
for (const n of [250_000, 1_000_000, 4_000_000]) {
  const rng = new Rng(7);
  const p0 = Float32Array.from({ length: n }, () => rng.uniform());
  const y = Float32Array.from({ length: n }, () => (rng.uniform() < 0.1 ? 1 : 0)), w = new Float32Array(n).fill(1);
  const time = (loss: (p: Tensor) => Tensor): { wall: number; cpu: number } => {
    let wall = Infinity, cpu = Infinity;
    for (let r = 0; r < 3; r++) {
      const p = tensor(p0, [n], { requiresGrad: true });
      const t0 = performance.now(), c0 = process.cpuUsage();
      loss(p).backward();
      const c = process.cpuUsage(c0);
      wall = Math.min(wall, (performance.now() - t0) / 1000);
      cpu = Math.min(cpu, (c.user + c.system) / 1e6);
    }
    return { wall, cpu };
  };
  const lov = time((p) => lovaszZLoss(p, y, w, { error: 'sigmoid', gamma: 2, significance: 'asimov', floor: 0.01 }));
  const bceAlone = time((p) => weightedBce(p, y, w));
  benchLine('loss_lovasz_z_value_and_gradient', n, lov.wall, undefined, { ...extra, cpu_seconds: +lov.cpu.toPrecision(4), ns_per_event: +((lov.wall * 1e9) / n).toFixed(1), cpu_ns_per_event: +((lov.cpu * 1e9) / n).toFixed(1), vs_bce: +(lov.wall / bceAlone.wall).toFixed(2), cpu_vs_bce: +(lov.cpu / bceAlone.cpu).toFixed(2) });
  benchLine('loss_bce_value_and_gradient', n, bceAlone.wall, undefined, { ...extra, cpu_seconds: +bceAlone.cpu.toPrecision(4), ns_per_event: +((bceAlone.wall * 1e9) / n).toFixed(1), cpu_ns_per_event: +((bceAlone.cpu * 1e9) / n).toFixed(1) });
}
