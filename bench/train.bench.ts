// Issue 7's and 18's speed figures: a Punzi-net training epoch on 2.6 M events with 44 hypotheses (the seed study's
// training set), full-batch and in the seed recipe's batches of 50 000 (per event, batched vs full), the BCE epoch at
// batch 2048, the full recipe (200 BCE + 2000 Punzi epochs at batch 50 000, extrapolated from measured epochs) for one
// net and for the ensemble of 25, each beside ../shared/anchors/torch_punzi_bench.py on the same data shape in this
// run; and an ensemble of 25 nets on 2 workers vs 1 (the speed-up that makes 25 nets affordable).
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
import { keepKernelsSerial } from '../src/core/kernels/index.js';
import { epochSeconds, epochTimes } from './epoch-timer.js';
import { benchLine, runAnchor } from './anchor.js';
import { withThreadCpu, type ThreadCpu } from './thread-cpu.js';

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
/** wall and CPU seconds per epoch of a stage (minimum over epochs 2…k) */
const stageEpochTimes = (s: StageConfig) => epochTimes((onEpoch) => trainNet({ train, validation, model, stages: [s], seed: 1, sensitivity, onEpoch }));
// full-batch and batched back to back, twice (the machine is shared): the best of each
const fullTimes = [0, 1].map(() => stageEpochTimes(stage({ loss: 'punzi', lr: 5e-4, batchSize: 'full', epochs: 6 })));
const batchedTimes = [0, 1].map(() => stageEpochTimes(stage({ loss: 'punzi', lr: 5e-4, batchSize: 50000, epochs: 6 })));
const bestOf = (xs: Array<{ wall: number; cpu: number }>) => ({ wall: Math.min(...xs.map((x) => x.wall)), cpu: Math.min(...xs.map((x) => x.cpu)) });
const fullBest = bestOf(fullTimes), batchedBest = bestOf(batchedTimes);
const punzi = fullBest.wall, punziBatched = batchedBest.wall;
const anchor = runAnchor('torch_punzi_bench.py', [String(N), '2']);
const a = (key: string): number | string => (typeof anchor === 'string' ? anchor : anchor.get(key) ?? `skipped: no ${key}`);
const extra = { kernels: kernels.name, hypotheses: H };
benchLine('train_bce_epoch_batch2048', N, bce, a('bce_batch2048'), extra);
benchLine('train_punzi_epoch_fullbatch_44hyp', N, punzi, a('punzi_fullbatch'), extra);
benchLine('train_punzi_epoch_batch50000_44hyp', N, punziBatched, undefined, { ...extra, note: 'the seed recipe\'s batched Punzi stage (no anchor)' });
benchLine('train_punzi_batched_vs_fullbatch_per_event', N, punziBatched, undefined, { ...extra, fullbatch_seconds: +punzi.toPrecision(4), batched_over_full: +(punziBatched / punzi).toFixed(2),
  cpu_seconds_batched: +batchedBest.cpu.toPrecision(4), cpu_seconds_fullbatch: +fullBest.cpu.toPrecision(4), cpu_batched_over_full: +(batchedBest.cpu / fullBest.cpu).toFixed(2),
  note: 'seconds: one epoch at batch 50 000 (wall, all threads of the addon\'s pool); target batched_over_full ≤ 2' });
const recipe = 200 * bce + 2000 * punziBatched;
const aBce = a('bce_batch2048'), aPunzi = a('punzi_fullbatch');
// the anchor has no batched Punzi epoch: its full-batch epoch stands in (a batched one does the same arithmetic plus per-batch overheads)
const aRecipe = typeof aBce === 'number' && typeof aPunzi === 'number' ? 200 * aBce + 2000 * aPunzi : aBce;
const anchorNote = 'anchor: 200 BCE + 2000 full-batch Punzi epochs of torch_punzi_bench.py (it has no batched Punzi epoch)';
benchLine('train_full_recipe_one_net_200bce_2000punzi_batch50000_extrapolated', N, recipe, aRecipe, { ...extra, note: anchorNote });

// Ensemble: 25 nets (1 BCE + 10 Punzi epochs at batch 50 000 on N/10 events: the recipe's work per epoch, fewer epochs)
// on 1 worker and on 2 workers (each worker's kernels serial: one thread per core), back to back, twice; the best of
// each. CPU seconds per net (whole process, all threads) are less disturbed by other load than the wall clock.
// Also 1 worker with the addon's pool (two threads for the big kernels): what `workers: 1` gives on this machine.
const small = split(Math.round(N / 10), 3);
const members = 25;
interface EnsembleRun { wall: number; cpuPerNet: number; threads: ThreadCpu | null }
/** the nets' data and Punzi epochs: the judged line's (N/10 events, 10 epochs) unless given */
interface Workload { data: SplitArrays; punziEpochs: number }
const judged: Workload = { data: small, punziEpochs: 10 };
const ensemble = async (workers: number, serial: boolean, work: Workload = judged): Promise<EnsembleRun> => {
  if (serial) keepKernelsSerial(true);
  const t0 = performance.now(), c0 = process.cpuUsage();
  let threads: ThreadCpu | null = null;
  try {
    threads = (await withThreadCpu(() => trainEnsemble(
      { train: work.data, validation, model, stages: [stage({ epochs: 1 }), stage({ loss: 'punzi', lr: 5e-4, batchSize: 50000, epochs: work.punziEpochs })], sensitivity },
      { members, baseSeed: 1, workers, checkpointDir: mkdtempSync(join(tmpdir(), 'fomlab-bench-')), resume: false, stop: new Int32Array(new SharedArrayBuffer(4)), checkpointEvery: 1000 },
    ))).cpu;
  } finally {
    if (serial) keepKernelsSerial(false);
  }
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpuPerNet: (c.user + c.system) / 1e6 / members, threads };
};
const runs = { one: [] as EnsembleRun[], two: [] as EnsembleRun[] };
for (let r = 0; r < 2; r++) {
  runs.one.push(await ensemble(1, true));
  runs.two.push(await ensemble(2, true));
}
const pooled = await ensemble(1, false);
const best = (xs: EnsembleRun[]) => ({ wall: Math.min(...xs.map((x) => x.wall)), cpuPerNet: Math.min(...xs.map((x) => x.cpuPerNet)) });
/** CPU seconds per net of the main thread, the workers and the other threads (V8's GC and compiler threads, …) in each run */
const perNet = (xs: EnsembleRun[]) => xs.map((x) => (x.threads ? { main: +(x.threads.main / members).toFixed(4), workers: +(x.threads.started / members).toFixed(4), others: +(x.threads.others / members).toFixed(4) } : 'no /proc'));
const one = best(runs.one), two = best(runs.two);
const p4 = (v: number) => +v.toPrecision(4);
benchLine(`train_ensemble_${members}nets_2workers`, small.n * members, two.wall, undefined, {
  ...extra, seconds_1_worker: p4(one.wall), speedup_2_workers: +(one.wall / two.wall).toFixed(2),
  seconds_1_worker_with_pool: p4(pooled.wall), speedup_over_1_worker_with_pool: +(pooled.wall / two.wall).toFixed(2),
  cpu_seconds_per_net_1_worker: p4(one.cpuPerNet), cpu_seconds_per_net_2_workers: p4(two.cpuPerNet),
  walls_1_worker: runs.one.map((x) => p4(x.wall)), walls_2_workers: runs.two.map((x) => p4(x.wall)),
  cpu_per_net_by_thread_1_worker: perNet(runs.one), cpu_per_net_by_thread_2_workers: perNet(runs.two),
  note: '1 BCE + 10 Punzi epochs (batch 50 000) per net on N/10 events; 1 worker: kernels serial (one core); target speedup_2_workers ≥ 1.8',
});
// 25 × the one-net recipe (its epochs timed one net at a time with the addon's pool) × the measured time of 2 workers over 1 worker with the pool
benchLine('train_ensemble_25nets_full_recipe_extrapolated', N * 25, 25 * recipe * (two.wall / pooled.wall), typeof aRecipe === 'number' ? 25 * aRecipe : aRecipe, {
  ...extra, note: `25 × one-net recipe × measured (2 workers / 1 worker with pool); ${anchorNote}, 25 nets one after another on 2 threads`,
});

// A heavier ensemble beside the judged one: 25 nets of 1 BCE + 4 Punzi epochs (batch 50 000) on all N events, ≈ 4× the
// work per net. The seed recipe's nets run thousands of epochs, so the fixed costs of the judged line's 0.2 s nets —
// worker start-up, the JIT compiling each worker's code, the 13th net alone — weigh far less there than in it.
const heavy: Workload = { data: train, punziEpochs: 4 };
const heavyRuns = { one: [] as EnsembleRun[], two: [] as EnsembleRun[] };
for (let r = 0; r < 2; r++) {
  heavyRuns.one.push(await ensemble(1, true, heavy));
  heavyRuns.two.push(await ensemble(2, true, heavy));
}
const hOne = best(heavyRuns.one), hTwo = best(heavyRuns.two);
benchLine(`train_ensemble_${members}nets_2workers_heavier`, train.n * members, hTwo.wall, undefined, {
  ...extra, seconds_1_worker: p4(hOne.wall), speedup_2_workers: +(hOne.wall / hTwo.wall).toFixed(2),
  cpu_seconds_per_net_1_worker: p4(hOne.cpuPerNet), cpu_seconds_per_net_2_workers: p4(hTwo.cpuPerNet),
  walls_1_worker: heavyRuns.one.map((x) => p4(x.wall)), walls_2_workers: heavyRuns.two.map((x) => p4(x.wall)),
  cpu_per_net_by_thread_1_worker: perNet(heavyRuns.one), cpu_per_net_by_thread_2_workers: perNet(heavyRuns.two),
  note: '1 BCE + 4 Punzi epochs (batch 50 000) per net on all N events (the judged line has N/10 and 10 epochs); kernels serial',
});
