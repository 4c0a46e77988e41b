// Exact resume (issue 12, item 2): for each optimiser and schedule, training N epochs without a
// break and training k epochs, stopping, saving the checkpoint to a file, loading it and resuming
// must give byte-identical parameters, stage snapshots and logs — for every stop point k. Before
// the checkpoint held the optimiser's state, SGD with momentum and Adam diverged at the first
// epoch after the stop (the moments restarted from zero).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import { Search } from '../../src/physics/search.js';
import { prepareRun } from '../../src/train/prepare.js';
import { trainNet, type TrainedNet, type TrainNetInput } from '../../src/train/trainer.js';
import { loadTrainerState, saveTrainerState } from '../../src/train/checkpoint.js';
import type { StageConfig } from '../../src/config/training.js';

const events = simulateTable({ ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 300, muonFourVectors: false, seed: 5 });
const search = new Search({ hypotheses: { masses: [1, 2, 3] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.25 } });
const prep = prepareRun(events, search, { split: { train: 0.6, validation: 0.2, test: 0.2, seed: 2 }, scaling: 'standard', generatedPerMass: 300 });
const dir = mkdtempSync(join(tmpdir(), 'fomlab-exact-'));

/** a stage; the loss's own options only with their loss (BCE balanced, Punzi's mean over hypotheses by default) */
const stage = (s: Partial<StageConfig>): StageConfig => ({
  loss: 'bce', optimizer: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0, batchSize: 256, epochs: 4,
  // patience 0: the lr is halved after every epoch without improvement, so the counters matter
  plateau: { factor: 0.5, patience: 0, threshold: 1e-3, minLr: 0 }, ...(s.loss === 'punzi' ? {} : { balance: true }), ...s,
});
const input = (stages: StageConfig[]): TrainNetInput => ({
  train: prep.train, validation: prep.validation, seed: 11, stages,
  model: { kind: 'mlp', hidden: [6, 3], activation: 'tanh', init: 'kaiming_normal' },
  sensitivity: { a: 3, b: 1.28155, lumi: 50, form: 'improved' },
});

/** Trains to the end, stopping after epoch k (counted over all stages) and resuming from the saved file. */
function stoppedAt(inp: TrainNetInput, k: number): TrainedNet {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const path = join(dir, `k${k}.ckpt.safetensors`);
  let epochs = 0;
  const first = trainNet({ ...inp, stop, onEpoch: (state) => { if (++epochs === k) { Atomics.store(stop, 0, 1); saveTrainerState(path, state()); } } });
  assert.equal(first.stopped, 'interrupted');
  return trainNet({ ...inp, resume: loadTrainerState(path) });
}

/** As if killed after the checkpoint of epoch k (the run goes on, unaware): resumes from that file. */
function killedAfter(inp: TrainNetInput, k: number): TrainedNet {
  const path = join(dir, `killed${k}.ckpt.safetensors`);
  let epochs = 0;
  trainNet({ ...inp, onEpoch: (state) => { if (++epochs === k) saveTrainerState(path, state()); } });
  return trainNet({ ...inp, resume: loadTrainerState(path) });
}

const bytes = (p: Record<string, Float32Array>): string => Object.entries(p).map(([k, v]) => `${k}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`).join('|');

function assertSame(a: TrainedNet, b: TrainedNet, what: string): void {
  assert.equal(bytes(b.params), bytes(a.params), `${what}: parameters`);
  for (const s of Object.keys(a.snapshots)) assert.equal(bytes(b.snapshots[s]), bytes(a.snapshots[s]), `${what}: snapshot ${s}`);
  assert.equal(JSON.stringify(b.logs), JSON.stringify(a.logs), `${what}: logs`);
}

const cases: Array<[string, StageConfig[]]> = [
  ['SGD momentum 0.9 (BCE) then Adam (Punzi, batched, sharpness 1 → 5), plateau schedules', [
    stage({ momentum: 0.9 }),
    stage({ loss: 'punzi', optimizer: 'adam', lr: 0.01, batchSize: 400, epochs: 4, sharpness: { from: 1, to: 5 } }),
  ]],
  ['AdamW with weight decay (BCE), then SGD momentum 0.5 (Punzi, full batch), no plateau', [
    stage({ optimizer: 'adamw', lr: 0.02, weightDecay: 0.05, plateau: false }),
    stage({ loss: 'punzi', momentum: 0.5, lr: 0.005, batchSize: 'full', epochs: 3, plateau: false }),
  ]],
  ['plain SGD, then Adam with early stopping after one epoch without improvement', [
    stage({ epochs: 3 }),
    stage({ loss: 'punzi', optimizer: 'adam', lr: 0.3, batchSize: 'full', epochs: 12, earlyStopping: 1 }),
  ]],
];

for (const [name, stages] of cases) {
  test(`exact resume at every epoch: ${name}`, () => {
    const whole = trainNet(input(stages));
    const total = whole.logs.reduce((s, l) => s + l.epochs.length, 0);
    if (stages.some((s) => s.earlyStopping)) assert.equal(whole.logs.at(-1)!.ended, 'early-stopping', 'the case exercises early stopping');
    if (name.includes('plateau schedules')) {
      assert.ok(whole.logs.some((l) => new Set(l.epochs.map((e) => e.lr)).size > 1), 'the case exercises a plateau lr reduction');
    }
    for (let k = 1; k < total; k++) assertSame(whole, stoppedAt(input(stages), k), `stopped after epoch ${k} of ${total}`);
    for (let k = 1; k <= total; k++) assertSame(whole, killedAfter(input(stages), k), `killed after the checkpoint of epoch ${k} of ${total}`);
  });
}

test('exact resume when early stopping falls on the last epoch of the stage', () => {
  const [, stages] = cases[2];
  const stopsAt = trainNet(input(stages)).logs[1].epochs.length; // the epoch early stopping ended the stage
  const tight = [stages[0], { ...stages[1], epochs: stopsAt }];
  const whole = trainNet(input(tight));
  assert.equal(whole.logs[1].ended, 'early-stopping');
  for (let k = 1; k <= stages[0].epochs + stopsAt; k++) assertSame(whole, killedAfter(input(tight), k), `killed after the checkpoint of epoch ${k}`);
});

test('optimiser and scheduler state dicts restore the same update sequence (PyTorch state_dict)', async () => {
  const { Adam, SGD, AdamW, ReduceLROnPlateau, tensor } = await import('../../src/core/index.js');
  for (const make of [(p: never) => new SGD([p], { lr: 0.1, momentum: 0.9 }), (p: never) => new Adam([p], { lr: 0.1 }), (p: never) => new AdamW([p], { lr: 0.1 })]) {
    const run = (restoreAfter: number | null): number[] => {
      let p = tensor([1, -2], undefined, { dtype: 'float32', requiresGrad: true });
      let opt = make(p as never);
      let plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
      for (let t = 0; t < 6; t++) {
        if (t === restoreAfter) { // a fresh optimiser over a copy of the parameters, loaded from the dicts
          const saved = opt.stateDict(), sched = JSON.parse(JSON.stringify(plateau.stateDict())) as Record<string, number>;
          p = tensor(Array.from(p.data), undefined, { dtype: 'float32', requiresGrad: true });
          opt = make(p as never);
          opt.loadStateDict(saved);
          plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
          plateau.loadStateDict(sched);
        }
        opt.zeroGrad();
        p.grad = Float32Array.from([Math.sin(t + 1), Math.cos(3 * t)]);
        opt.step();
        plateau.step(Math.abs(Math.sin(t))); // not monotone: some epochs are bad
      }
      return [...Array.from(p.data), opt.lr, opt.stepCount];
    };
    const ref = run(null);
    for (let k = 1; k < 6; k++) assert.deepEqual(run(k), ref, `${make.toString()} restored after step ${k}`);
  }
  // StepLR and CosineAnnealingLR: the epoch counter is their whole state
  const { StepLR, CosineAnnealingLR } = await import('../../src/core/index.js');
  for (const make of [(o: never) => new StepLR(o, 2, 0.5), (o: never) => new CosineAnnealingLR(o, 5, 0.01)]) {
    const lrs = (restoreAfter: number | null): number[] => {
      const opt = new SGD([tensor([1], undefined, { requiresGrad: true })], { lr: 0.1 });
      let sched = make(opt as never);
      const out: number[] = [];
      for (let t = 0; t < 6; t++) {
        if (t === restoreAfter) { const saved = sched.stateDict(); sched = make(opt as never); sched.loadStateDict(saved); }
        out.push(sched.step());
      }
      return out;
    };
    for (let k = 1; k < 6; k++) assert.deepEqual(lrs(k), lrs(null));
  }
  // a state of another optimiser is refused with one line
  const p = tensor([1], undefined, { requiresGrad: true });
  assert.throws(() => new SGD([p], { lr: 1 }).loadStateDict(new Adam([p]).stateDict()), /adam optimiser cannot be loaded into sgd/);
});
