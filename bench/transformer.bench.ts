// Issue 13's speed figure: one BCE epoch of the event classifier transformer (200 k events, 15 features, batch 8192,
// Adam lr 1e-3, dropout 0.1) through the real trainer, beside ../shared/anchors/torch_etn_bench.py 200000 15 (the
// same network in PyTorch on 2 threads) in this run. Epoch = minimum over epochs 2…3; validation is a 1 % split.
// JSON line: transformer_bce_epoch_batch8192 {seconds, cpu_seconds, anchor_seconds, ratio (anchor / ours), kernels}
// FOMLAB_BENCH_EVENTS overrides the 200 k events.
import { Rng } from '../src/core/rng.js';
import { kernels } from '../src/core/kernels/index.js';
import type { StageConfig } from '../src/config/training.js';
import { trainNet, type SplitArrays } from '../src/train/trainer.js';
import { epochSeconds } from './epoch-timer.js';
import { benchLine, runAnchor } from './anchor.js';

const N = Number(process.env.FOMLAB_BENCH_EVENTS ?? 200_000), F = 15;

/** the anchor's data: features uniform in [0, 1), labels 50/50, one hypothesis holding every event */
function split(n: number, seed: number): SplitArrays {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * F }, () => rng.uniform());
  const labels = Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const sig = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === 1), bkg = Int32Array.from({ length: n }, (_, i) => i).filter((i) => labels[i] === 0);
  const ones = new Float32Array(n).fill(1);
  return {
    n, nFeatures: F, x, labels, weights: ones, bceWeights: ones, mass: ones,
    punzi: {
      nEvents: n, nHypotheses: 1, sigOffsets: Int32Array.from([0, sig.length]), sigEvents: sig, sigCoef: new Float64Array(sig.length).fill(1e-4),
      bkgOffsets: Int32Array.from([0, bkg.length]), bkgEvents: bkg, bkgCoef: new Float64Array(bkg.length).fill(1),
    },
  };
}

const stage = { loss: 'bce', optimizer: 'adam', lr: 1e-3, weightDecay: 0, momentum: 0, batchSize: 8192, epochs: 3, plateau: false, balance: false } as StageConfig;
const train = split(N, 1), validation = split(Math.round(N / 100), 2);
const cpu0 = process.cpuUsage();
let epochs = 0;
const seconds = epochSeconds((onEpoch) => trainNet({
  train, validation, seed: 1, sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' },
  model: { kind: 'transformer', dModel: 16, heads: 4, ffn: 64, embedHidden: 4, dropout: 0.1 },
  stages: [stage],
  onEpoch: () => { epochs++; onEpoch(); },
}));
const cpu = process.cpuUsage(cpu0);
const anchor = runAnchor('torch_etn_bench.py', [String(N), String(F)]);
benchLine('transformer_bce_epoch_batch8192', N, seconds, typeof anchor === 'string' ? anchor : anchor.get('etn_bce_batch8192') ?? 'skipped: no etn_bce_batch8192',
  { cpu_seconds_per_epoch: +((cpu.user + cpu.system) / 1e6 / epochs).toFixed(2), features: F, kernels: kernels.name });
