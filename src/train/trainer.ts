import { Adam, AdamW, kernels, noGrad, ReduceLROnPlateau, reshape, Rng, SGD, Tensor, type Optimizer, type OptimizerState, type SchedulerState } from '../core/index.js';
import { stageName, stageTerms, type ModelConfig, type StageConfig } from '../config/training.js';
import { punziLoss, type PunziLossOptions } from '../losses/punzi.js';
import { termsName } from '../losses/registry.js';
import { buildModel, loadState, modelOptions, stateOf, type FitInputs, type TrainableModel } from '../models/registry.js';
import { optimalCuts } from '../evaluate/cuts.js';
import { type FigureSpec, figureOf } from '../physics/figures.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { SplitProcesses } from '../losses/process-weighted.js';
import type { PunziRows } from './punzi-data.js';
import { stageLoss, type StageLoss } from './terms.js';
import { balancedOrder, changesInputs, redrawMasses, type MassInputEpoch } from './mass-batches.js';
import { nativeBinding } from '../core/kernels/native.js';
import { recycleFloat, takeFloat } from '../core/recycle.js';
import { EpochBatches, epochOrder } from './epoch-batches.js';
import { significanceDue, validationSignificance, type SelectConfig, type SignificanceSplit } from './select.js';

export { stageName };
export { epochOrder } from './epoch-batches.js';

/** One split as the trainer sees it: scaled features, labels, BCE weights and the Punzi rows. */
export interface SplitArrays {
  n: number;
  nFeatures: number;
  /** n × nFeatures, row-major, already scaled */
  x: Float32Array;
  labels: Float32Array;
  /** per-event luminosity weights */
  weights: Float32Array;
  /** the same with signal scaled to the background's sum (BCE stage with `balance`) */
  bceWeights: Float32Array;
  /** the mass column (data.columns.mass) per event: mass-range loss scopes and DisCo */
  mass: Float32Array;
  punzi: PunziRows;
  /** 1 for the events inside some training window; null when every event is (no loss term widens the data) */
  inWindow?: Uint8Array | null;
  /** each event's process and the processes' σ_i, N_i (data.processes with a category column), for process-weighted losses */
  processes?: SplitProcesses;
  /** a parameterised net's training split: the per-epoch redraw or balanced batches of the mass input */
  massInput?: MassInputEpoch;
  /** each event's data.split.group id (e.g. the event number of candidate rows): k-fold CV keeps a group in one fold */
  groups?: Float32Array;
}

export interface EpochLog {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  /** validation figure: geometric mean over the training hypotheses of the search's figure (default σ_min, fb) at the optimal cuts (or the soft mean σ_min) */
  validFom: number;
  lr: number;
  /** expected significance on the validation split (train/select.ts), at the epochs the selection schedule names */
  significance?: number;
}

export interface StageLog {
  stage: string;
  /** the stage's loss terms by name, e.g. 'bce' or 'bce+disco' */
  loss: string;
  epochs: EpochLog[];
  bestEpoch: number;
  /** why the stage ended: 'epochs' | 'early-stopping' | 'diverged: …' | 'interrupted' */
  ended: string;
}

/**
 * The whole validation split for the validation figure: σ_min at each hypothesis's optimal cut
 * (hard selection, as the search reports it), combined as the geometric mean over the training
 * hypotheses so that no single mass dominates. It picks each stage's best checkpoint.
 */
export interface ValidationFigure {
  /** scaled features, n × nFeatures */
  x: Float32Array;
  incidence: WindowIncidence;
  /** luminosity weights / split fraction */
  weights: Float32Array;
  /** 1 for the hypotheses that count (the training ones) */
  include: Uint8Array;
  /** the search's figure of merit (plain data, it crosses to the worker threads); default σ_min */
  merit?: FigureSpec;
}

export interface TrainNetInput {
  train: SplitArrays;
  validation: SplitArrays;
  /** the hard validation figure; without it the soft mean σ_min of `validation` is used */
  figure?: ValidationFigure;
  model: ModelConfig;
  stages: StageConfig[];
  /** choose checkpoints by the validation significance or loss (default: the figure, else the loss) */
  select?: SelectConfig;
  /** the whole validation split for the significance (needed by select.by significance; recorded whenever given) */
  significance?: SignificanceSplit;
  seed: number;
  sensitivity: PunziLossOptions;
  /** the feature names and scaling, for fitted kinds that read a feature by name (regions) */
  inputs?: FitInputs;
  /** set stop[0] = 1 from outside (e.g. Ctrl-C) to end after the current epoch */
  stop?: Int32Array;
  /** a checkpoint to resume from (see checkpoint.ts) */
  resume?: TrainerState;
  /** called after every epoch with the state to checkpoint (cheap: no copy unless used) */
  onEpoch?: (state: () => TrainerState, log: EpochLog, stageIndex: number) => void;
}

/**
 * Everything needed to continue a training exactly where it stopped: the stage and epoch, the
 * parameters, the stage's best checkpoint and its figure, the optimiser's moments and step counts,
 * the plateau scheduler's counters and the random stream (batch shuffles). The sharpness schedule
 * is a function of (epoch, stage epochs) and needs no state of its own.
 */
export interface TrainerState {
  stageIndex: number;
  /** epochs completed in the current stage */
  epoch: number;
  params: Record<string, Float32Array>;
  best: Record<string, Float32Array>;
  bestMetric: number;
  bestEpoch: number;
  lr: number;
  /** the current stage's optimiser (null before its first epoch) */
  optimizer: OptimizerState | null;
  /** the current stage's ReduceLROnPlateau counters (null: no plateau schedule, or before its first epoch) */
  scheduler: SchedulerState | null;
  rng: Array<number | null>;
  logs: StageLog[];
  /** the parameters at the end of each finished stage, by stage name */
  snapshots: Record<string, Record<string, Float32Array>>;
  /** the compute kernels ('native', 'typescript') that ran this net's epochs so far */
  kernels: string[];
}

export interface TrainedNet {
  params: Record<string, Float32Array>;
  snapshots: Record<string, Record<string, Float32Array>>;
  logs: StageLog[];
  /** set when training stopped early: divergence message or 'interrupted' */
  stopped?: string;
  /** the compute kernels that trained it ('native', 'typescript'; both when a resume changed them) */
  kernels: string[];
}

function makeOptimizer(net: TrainableModel, s: StageConfig): Optimizer {
  const params = net.parameters();
  if (s.optimizer === 'adam') return new Adam(params, { lr: s.lr, weightDecay: s.weightDecay ?? 0 });
  // AdamW without a weightDecay: PyTorch's default λ = 0.01
  if (s.optimizer === 'adamw') return new AdamW(params, { lr: s.lr, ...(s.weightDecay !== undefined ? { weightDecay: s.weightDecay } : {}) });
  return new SGD(params, { lr: s.lr, momentum: s.momentum, weightDecay: s.weightDecay ?? 0 });
}

/** Output probabilities of the net for rows of an event matrix (all rows when null): one fused kernel call per pass. */
function forward(net: TrainableModel, x: Tensor, rows: Int32Array | null): Tensor {
  const n = rows ? rows.length : x.shape[0];
  return reshape(net.forwardRows(x, rows), [n]);
}

/**
 * Trains one net through the stages (e.g. BCE pre-training then Punzi fine-tuning). Each stage
 * monitors its own loss on the validation split for ReduceLROnPlateau, early stopping and the
 * best checkpoint, which is restored when the stage ends. A non-finite loss stops training with
 * a message and keeps the best parameters so far.
 */
export function trainNet(inp: TrainNetInput): TrainedNet {
  const { train, validation: valid, stages } = inp;
  const { kind, options } = modelOptions(inp.model);
  if (kind.fit) {
    // kinds trained without gradients (boosted trees) fit all stages at once
    const f = inp.figure;
    const figure = f ? { x: f.x, value: (p: Float32Array) => hardFigureOf(p, f, inp.sensitivity), better: f.merit ? figureOf(f.merit).better : 'lower' as const } : undefined;
    const r = kind.fit({ train, validation: valid, options, stages: stages.map((s, i) => ({ name: stageName(s, i), options: s as unknown as Record<string, unknown> })), seed: inp.seed, sensitivity: inp.sensitivity, ...(figure ? { figure } : {}), ...(inp.inputs ? { inputs: inp.inputs } : {}) });
    return { params: r.params, snapshots: r.snapshots, logs: r.logs, kernels: [kernels.name] };
  }
  const rng = new Rng(inp.seed);
  const net = buildModel(train.nFeatures, inp.model, rng);
  const st: TrainerState = inp.resume ?? {
    stageIndex: 0, epoch: 0, params: stateOf(net), best: stateOf(net), bestMetric: Infinity, bestEpoch: -1,
    lr: stages[0].lr, optimizer: null, scheduler: null, rng: [], logs: [], snapshots: {}, kernels: [],
  };
  if (!st.kernels.includes(kernels.name)) st.kernels = [...st.kernels, kernels.name].sort();
  if (inp.resume) {
    loadState(net, st.params);
    rng.setState(st.rng);
  }
  // a parameterised net whose epochs redraw the background's masses trains on its own copy of x
  const massInput = train.massInput;
  const xTrain = new Tensor(changesInputs(massInput) ? Float32Array.from(train.x) : train.x, [train.n, train.nFeatures]);
  const xValid = new Tensor(valid.x, [valid.n, valid.nFeatures]);
  let stopped: string | undefined;

  for (; st.stageIndex < stages.length && !stopped; st.stageIndex++) {
    const s = stages[st.stageIndex];
    const name = stageName(s, st.stageIndex);
    const terms = stageTerms(s);
    const fresh = st.epoch === 0;
    if (fresh) {
      st.logs.push({ stage: name, loss: termsName(terms), epochs: [], bestEpoch: -1, ended: 'epochs' });
      st.lr = s.lr;
      st.bestMetric = Infinity;
      st.bestEpoch = -1;
      st.optimizer = null;
      st.scheduler = null;
      if (s.from !== undefined) loadState(net, st.snapshots[s.from]); // a variant fine-tuned from an earlier stage
    }
    const log = st.logs[st.logs.length - 1];
    const opt = makeOptimizer(net, s);
    opt.lr = st.lr;
    if (st.optimizer) opt.loadStateDict(st.optimizer); // moments and step counts of the stage so far
    const plateau = s.plateau === false ? null : new ReduceLROnPlateau(opt, { factor: s.plateau.factor, patience: s.plateau.patience, threshold: s.plateau.threshold, minLr: s.plateau.minLr });
    if (plateau && st.scheduler) plateau.loadStateDict(st.scheduler);
    /** early stopping: no better figure in the `earlyStopping` epochs after the best one (of `done` epochs) */
    const patienceOver = (done: number): boolean => s.earlyStopping !== undefined && done - 1 - st.bestEpoch >= s.earlyStopping;
    if (!fresh && patienceOver(st.epoch)) {
      log.ended = 'early-stopping'; // resumed from the checkpoint of the epoch that ended the stage (its last one too)
      st.epoch = s.epochs;
    }
    const batchSize = s.batchSize === 'full' ? train.n : Math.min(s.batchSize, train.n);
    const ctx = { sensitivity: inp.sensitivity, epoch: st.epoch, epochs: s.epochs };
    const trainLoss: StageLoss = stageLoss(terms, train, ctx), validLoss: StageLoss = stageLoss(terms, valid, ctx);
    // ascending batches (Punzi's) with their features and window entries laid out batch by batch each epoch
    const batches = batchSize < train.n && trainLoss.ascendingBatches && !massInput?.balanced ? new EpochBatches(train.n, batchSize) : null;
    // the epoch's inputs laid out batch by batch: xEpoch (recycled at the stage's end), or the buffer alternating with it (EpochBatches.gather)
    const xEpoch = batches && net.rowFree ? takeFloat('float32', train.x.length, false) as Float32Array : null;
    let xNow: Float32Array | null = xEpoch;
    const nf = train.nFeatures;
    /** one optimisation step on `rows` (null: the whole split), at position `at` of the epoch's order; returns the batch loss */
    const step = (rows: Int32Array | null, at: number): number => {
      opt.zeroGrad();
      const fused = trainLoss.fusedStep(net, xTrain, rows); // e.g. forward + BCE + backward in one kernel call
      if (fused !== undefined) return fused;
      const p = rows && xNow ? forward(net, new Tensor(xNow.subarray(at * nf, (at + rows.length) * nf), [rows.length, nf]), null) : forward(net, xTrain, rows);
      try {
        const loss = trainLoss.value(p, rows, batches ? at : undefined);
        if (loss === null) return 0; // no event of any term's scope in this batch
        const value = loss.item();
        if (Number.isFinite(value)) loss.backward();
        return value;
      } finally {
        recycleFloat(p.data); // the batch's output is dead after its step: the next batch's output reuses it (core/recycle.ts)
      }
    };

    for (; st.epoch < s.epochs; st.epoch++) {
      ctx.epoch = st.epoch;
      net.train?.(true); // dropout and batch statistics while training, eval mode to validate
      // batches that gather window entries (Punzi's, tens of thousands of events) pay in ascending rows; BCE batches do not
      if (massInput?.redraw && !massInput.balanced) redrawMasses(massInput, xTrain.data as Float32Array, rng);
      const order = massInput?.balanced ? balancedOrder(massInput, xTrain.data as Float32Array, train.n, batchSize, rng, trainLoss.ascendingBatches)
        : batchSize >= train.n ? null : batches ? batches.shuffle(rng) : epochOrder(rng, train.n, batchSize, false);
      if (batches) {
        trainLoss.beginEpoch(batches);
        if (xEpoch) xNow = batches.gather(xTrain.data as Float32Array, nf, xEpoch); // the epoch's inputs (redrawn masses included)
        // the next epoch laid out on the addon's thread while this one trains (not when the epoch changes the inputs)
        if (!massInput && st.epoch + 1 < s.epochs) batches.prefetch(rng);
      }
      let sum = 0, steps = 0;
      for (let start = 0; start < train.n; start += batchSize) {
        const value = step(order ? order.subarray(start, Math.min(start + batchSize, train.n)) : null, start);
        if (!Number.isFinite(value)) {
          const kept = st.bestEpoch >= 0 ? `the best checkpoint of this stage (epoch ${st.bestEpoch + 1})` : st.stageIndex > 0 ? 'the parameters at the end of the previous stage' : 'the initial parameters';
          stopped = `diverged: the ${name} loss became ${value} in epoch ${st.epoch + 1}; kept the best parameters: ${kept}`;
          break;
        }
        opt.step();
        sum += value;
        steps++;
      }
      if (stopped) break;
      net.train?.(false);
      const validation = noGrad(() => {
        const p = forward(net, xValid, null);
        const loss = validLoss.value(p, null)?.item() ?? NaN;
        const fom = inp.figure ? hardFigure(net, inp.figure, train.nFeatures, inp.sensitivity) : punziLoss(p, validLoss.fullIncidence(), { ...inp.sensitivity, aggregate: 'mean' }).item();
        recycleFloat(p.data); // the next epoch's validation output
        return { loss, fom };
      });
      const entry: EpochLog = { epoch: st.epoch + 1, trainLoss: sum / Math.max(steps, 1), validLoss: validation.loss, validFom: validation.fom, lr: opt.lr };
      log.epochs.push(entry);
      if (inp.significance && significanceDue(st.epoch + 1, s.epochs, inp.select?.every ?? [[null, 1]])) {
        entry.significance = noGrad(() => validationSignificance(net, inp.significance!, train.nFeatures, inp.select?.bins ?? 8));
      }
      const metric = inp.select?.by === 'significance' ? (entry.significance === undefined ? NaN : -entry.significance)
        : inp.select?.by === 'loss' || !inp.figure ? validation.loss
          : inp.figure.merit && figureOf(inp.figure.merit).better === 'higher' ? -validation.fom : validation.fom;
      if (metric < st.bestMetric) {
        st.bestMetric = metric;
        st.bestEpoch = st.epoch;
        log.bestEpoch = st.epoch + 1;
        st.best = stateOf(net);
      }
      if (plateau) plateau.step(validation.loss);
      st.lr = opt.lr;
      const done = st.epoch + 1;
      inp.onEpoch?.(() => ({
        ...st, epoch: done, params: stateOf(net), rng: rng.getState(), logs: structuredClone(st.logs),
        optimizer: opt.stateDict(), scheduler: plateau ? plateau.stateDict() : null,
      }), entry, st.stageIndex);
      if (patienceOver(done)) {
        log.ended = 'early-stopping';
        st.epoch++;
        break;
      }
      if (inp.stop && Atomics.load(inp.stop, 0) !== 0) {
        stopped = 'interrupted';
        st.epoch++;
        break;
      }
    }
    batches?.close(); // the layout laid out ahead may be writing into xEpoch: waited for before it is recycled
    if (xEpoch) recycleFloat(xEpoch);
    if (stopped) log.ended = stopped;
    if (s.checkpoint === 'last' && !stopped) {
      log.bestEpoch = log.epochs.length; // the stage keeps its last epoch's parameters (no choice on validation)
    } else if (st.bestEpoch >= 0) loadState(net, st.best);
    st.snapshots[name] = stateOf(net);
    st.epoch = 0;
  }
  return { params: stateOf(net), snapshots: st.snapshots, logs: st.logs, ...(stopped ? { stopped } : {}), kernels: st.kernels };
}

/** Geometric mean over the included hypotheses of the figure (default σ_min) at each one's optimal cut. */
function hardFigure(net: TrainableModel, f: ValidationFigure, nFeatures: number, o: PunziLossOptions): number {
  return hardFigureOf(net.forwardRows(new Tensor(f.x, [f.x.length / nFeatures, nFeatures]), null).data, f, o);
}

/** hardFigure of given selection probabilities p of the rows of f.x. */
export function hardFigureOf(p: Float32Array | Float64Array, f: ValidationFigure, o: PunziLossOptions): number {
  const cuts = optimalCuts(p, f.weights, f.incidence, { params: o, form: o.form, include: f.include, ...(f.merit ? { figure: figureOf(f.merit) } : {}) });
  let s = 0, k = 0;
  for (let h = 0; h < f.include.length; h++) {
    if (!f.include[h]) continue;
    s += Math.log(cuts.value[h]);
    k++;
  }
  return Math.exp(s / Math.max(k, 1));
}
