import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import { FeatureScaler, type ScalingKind } from '../data/scale.js';
import { splitIndices, thinByClass, type ClassFractions, type SplitConfig } from '../data/split.js';
import type { Search } from '../physics/search.js';
import type { WindowIncidence } from '../physics/windows.js';
import { bceWeights } from '../losses/bce.js';
import type { LossScope } from '../losses/registry.js';
import type { ProcessFacts } from '../losses/process-weighted.js';
import type { ProcessWeight } from '../physics/weights.js';
import type { FitInputs } from '../models/registry.js';
import { punziRows } from './punzi-data.js';
import type { ParameterisedConfig } from '../config/parameterised.js';
import { expandByHypothesis, parameterisedSplits, signalMasses, type SignalMasses } from './mass-input.js';
import type { MassInputEpoch } from './mass-batches.js';
import type { SplitArrays } from './trainer.js';

/** A held-out split kept whole for judging (all hypotheses, trained and held out). */
export interface JudgedSplit {
  table: EventTable;
  /** scaled features, n × nFeatures */
  x: Float32Array;
  incidence: WindowIncidence;
  /** luminosity weights divided by the split's fraction (B of the whole sample) */
  weights: Float32Array;
  fraction: number;
}

export interface PreparedRun {
  features: string[];
  scaler: FeatureScaler;
  /** indices (into search.hypotheses) of the training hypotheses */
  trainHypotheses: number[];
  train: SplitArrays;
  validation: SplitArrays;
  test: JudgedSplit;
  /** the whole validation split, for choosing the common cut without looking at the test split */
  validationJudged: JudgedSplit;
  counts: Record<string, number>;
}

export interface PrepareOptions {
  split: SplitConfig;
  scaling: ScalingKind;
  /** true number of signal events generated per hypothesis in the whole sample (else counted) */
  generatedPerMass?: number | readonly number[];
  /** signal scale factor s_sig (trigger efficiency etc.): ε → s_sig·ε, as the seed paper's s_sig (default 1) */
  signalScale?: number;
  /** the config's processes (data.processes) and the target luminosity: σ_i, N_i for process-weighted losses */
  processes?: { config: Readonly<Record<string, ProcessWeight>>; lumi: number };
  /** the scopes of every stage's loss terms: events of a scope with window 'any' reach training too (eq. 6's wide window) */
  scopes?: readonly LossScope[];
  /** per-class fractions of the training split to train on (data.trainFraction); weights scaled by 1/fraction */
  trainFraction?: ClassFractions;
  /** a parameterised net: the mass hypothesis as the last input (train/mass-input.ts) */
  parameterised?: ParameterisedConfig;
  /** data.trainWeights: 'unit' trains every event with weight 1 (balanced counts as balanced sets) */
  trainWeights?: 'events' | 'unit';
}

/**
 * The training events of a class-thinned training split (thesis TC2/TC3), weights × 1/fraction of
 * their class so that weighted sums (the expected background B) keep their value.
 */
function thinnedTrain(table: EventTable, rows: Uint32Array, f: ClassFractions, seed: number): EventTable {
  const kept = table.take(thinByClass(rows, table.labels(), f, seed));
  const labels = kept.labels();
  const w = Float32Array.from(kept.weights(), (v, i) => v / (labels[i] >= 0.5 ? f.signal : f.background));
  const name = table.roles.weight ?? '__weight';
  return kept.withColumn(name, w).withRoles({ weight: name });
}

/**
 * Splits the events (train / validation / test), keeps for training and validation only the
 * events inside at least one training window (a signal event: inside its own window) or in the
 * scope of a loss term with window 'any' (the union of the terms' scopes), fits the
 * feature scaling on the training split, and lays out what the trainer and the judge need.
 * Clear errors, before any training starts, for hypotheses without signal or background.
 */
export function prepareRun(table: EventTable, search: Search, o: PrepareOptions): PreparedRun {
  let features = table.roles.features;
  if (features.length === 0) throw new FomlabError('data.columns.features: no features to train on');
  table.labels();
  const trainHyp = search.hypotheses.filter((h) => h.train).map((h) => h.index);
  if (trainHyp.length === 0) throw new FomlabError('search.hypotheses.train selects no hypothesis to train on');
  const idx = splitIndices(table, o.split);
  const n = table.length;
  const fraction = (k: Uint32Array): number => k.length / n;
  for (const part of ['train', 'validation', 'test'] as const) {
    if (idx[part].length === 0) throw new FomlabError(`data.split: the ${part} split is empty (${n} events)`);
  }
  const thin = o.trainFraction && (o.trainFraction.signal < 1 || o.trainFraction.background < 1) ? o.trainFraction : null;
  const splitSeed = 'seed' in o.split ? o.split.seed : 0;
  let parts = { train: thin ? thinnedTrain(table, idx.train, thin, splitSeed + 1) : table.take(idx.train), validation: table.take(idx.validation), test: table.take(idx.test) };
  // one window per hypothesis for every split (percentile windows: from the training split's signal)
  const windows = search.windows(parts.train);
  /** `signalKept`: the fraction of the split's signal trained on (data.trainFraction; counted N_gen follow by themselves) */
  const incOf = (t: EventTable, f: number, signalKept = 1): WindowIncidence => {
    const inc = search.incidence(t, windows);
    const g = o.generatedPerMass;
    if (g !== undefined) {
      for (let h = 0; h < inc.nHypotheses; h++) inc.nGenerated[h] = (typeof g === 'number' ? g : g[h]) * f * signalKept;
    }
    const s = o.signalScale ?? 1;
    if (s !== 1) for (let h = 0; h < inc.nHypotheses; h++) inc.nGenerated[h] /= s;
    return inc;
  };
  let trainInc = incOf(parts.train, fraction(idx.train), thin ? thin.signal : 1);
  checkHypotheses(search, trainInc, trainHyp);
  const hypMass = search.hypotheses.map((h) => h.mass);
  const pnn = o.parameterised;
  // a parameterised net: the mass input of the training and validation events (the judged splits are expanded below)
  const validInc = incOf(parts.validation, fraction(idx.validation));
  let mass: { sm: SignalMasses; free: Uint8Array; validation: EventTable; validationInc: WindowIncidence } | null = null;
  if (pnn) {
    const sm = signalMasses(trainInc, trainHyp, hypMass);
    const p = parameterisedSplits(parts, { train: trainInc, validation: validInc }, pnn, sm, hypMass, search.hypotheses.map((h) => h.train), splitSeed);
    mass = { sm, free: p.free, validation: p.validation, validationInc: p.validationIncidence };
    parts = { ...parts, train: p.train };
    trainInc = p.trainIncidence;
    features = p.train.roles.features;
  }
  const wide = (o.scopes ?? []).filter((sc) => sc.window === 'any');
  const scalerSource = keptEvents(trainInc, trainHyp, parts.train, wide);
  const trainKept = parts.train.take(scalerSource.rows);
  const scaler = FeatureScaler.fitTable(o.scaling, trainKept);
  const group = 'group' in o.split ? o.split.group : undefined;
  const facts = o.processes && table.hasRole('category') ? processFacts(table, o.processes.config) : null;
  const arrays = (t: EventTable, inc: WindowIncidence, f: number): SplitArrays => {
    const kept = keptEvents(inc, trainHyp, t, wide);
    const sub = t.take(kept.rows);
    const labels = sub.labels();
    const weights = sub.weights();
    return {
      n: sub.length, nFeatures: features.length, x: scaler.transform(sub.featureMatrix()), labels, weights,
      bceWeights: balancedInWindow(labels, weights, kept.inWindow), mass: sub.mass(), inWindow: kept.inWindow,
      punzi: punziRows(inc, trainHyp, t.weights(), f, kept.map, sub.length),
      ...(mass && pnn && t === parts.train ? { massInput: massInputEpoch(sub, kept.rows, mass.sm, mass.free, pnn, scaler) } : {}),
      ...(facts ? { processes: { category: Int32Array.from(sub.roleColumn('category')), facts, lumi: o.processes!.lumi } } : {}),
      ...(group !== undefined ? { groups: sub.column(group) } : {}),
    };
  };
  const train = arrays(parts.train, trainInc, fraction(idx.train));
  if (o.trainWeights === 'unit') {
    train.weights = new Float32Array(train.n).fill(1);
    train.bceWeights = balancedInWindow(train.labels, train.weights, train.inWindow ?? null);
  }
  // balanced batches hold as many signal as background events: the BCE's class balance scales signal to the background's MEAN weight
  if (pnn?.balanced) train.bceWeights = balancedByMean(train.labels, train.weights);
  const validation = arrays(mass ? mass.validation : parts.validation, mass ? mass.validationInc : validInc, fraction(idx.validation));
  if (validation.n === 0) throw new FomlabError('data.split: no validation event lies in a training window; enlarge the validation fraction');
  const judged = (raw: EventTable, f: number, rawInc: WindowIncidence): JudgedSplit => {
    // a parameterised net: each event once per hypothesis whose window holds it, the input set to that mass
    const { table: t, incidence: inc } = pnn ? expandByHypothesis(raw, rawInc, hypMass, pnn.input) : { table: raw, incidence: rawInc };
    return { table: t, x: scaler.transform(t.featureMatrix()), incidence: inc, weights: t.weights().map((w) => Math.max(w, 0) / f), fraction: f };
  };
  const fTest = fraction(idx.test);
  const test = judged(parts.test, fTest, incOf(parts.test, fTest));
  const validationJudged = judged(parts.validation, fraction(idx.validation), validInc);
  return {
    features, scaler, trainHypotheses: trainHyp, train, validation, test, validationJudged,
    counts: { train: train.n, validation: validation.n, test: parts.test.length },
  };
}

/**
 * Events of a split inside at least one of the hypotheses' windows or in a wide scope (events by
 * label, low ≤ m < high), their new indices, and which kept events lie in a window (null: all).
 */
function keptEvents(inc: WindowIncidence, hyps: number[], t: EventTable, wide: readonly LossScope[]): { rows: Uint32Array; map: Int32Array; inWindow: Uint8Array | null } {
  const n = t.length;
  const mark = new Uint8Array(n); // 1: in a window, 2: only in a wide scope
  for (const rows of [inc.signal, inc.background]) {
    for (const h of hyps) for (let j = rows.offsets[h]; j < rows.offsets[h + 1]; j++) mark[rows.events[j]] = 1;
  }
  if (wide.length) {
    const labels = t.labels(), mass = t.mass();
    for (let i = 0; i < n; i++) {
      if (mark[i]) continue;
      const signal = labels[i] >= 0.5;
      const inScope = (sc: LossScope): boolean => (sc.events === 'all' || (sc.events === 'signal') === signal) && (!sc.mass || (mass[i] >= sc.mass[0] && mass[i] < sc.mass[1]));
      if (wide.some(inScope)) mark[i] = 2;
    }
  }
  const map = new Int32Array(n).fill(-1);
  const out: number[] = [];
  let outside = 0;
  for (let i = 0; i < n; i++) if (mark[i]) { map[i] = out.length; out.push(i); if (mark[i] === 2) outside++; }
  const inWindow = outside ? Uint8Array.from(out, (i) => (mark[i] === 1 ? 1 : 0)) : null;
  return { rows: Uint32Array.from(out), map, inWindow };
}

/** BCE weights with signal scaled to the background's sum over the in-window events (the classifier term's events), as before widening. */
function balancedInWindow(labels: Float32Array, weights: Float32Array, inWindow: Uint8Array | null): Float32Array {
  if (!inWindow) return bceWeights(labels, weights, true);
  const inside = bceWeights(labels.filter((_, i) => inWindow[i]), weights.filter((_, i) => inWindow[i]), true);
  const out = bceWeights(labels, weights, false);
  for (let i = 0, k = 0; i < out.length; i++) if (inWindow[i]) out[i] = inside[k++];
  let f = 1; // the signal factor of the window, for signal outside it
  for (let i = 0, k = 0; i < out.length; i++) if (inWindow[i]) { if (labels[i] >= 0.5 && weights[i] > 0) { f = inside[k] / weights[i]; break; } k++; }
  for (let i = 0; i < out.length; i++) if (!inWindow[i] && labels[i] >= 0.5) out[i] *= f;
  return out;
}

function checkHypotheses(search: Search, inc: WindowIncidence, hyps: number[]): void {
  const noSignal = hyps.filter((h) => inc.signal.offsets[h + 1] === inc.signal.offsets[h]);
  if (noSignal.length === hyps.length) {
    throw new FomlabError(`search: no training hypothesis has signal inside its window in the training split (masses ${search.hypotheses[hyps[0]].mass}…${search.hypotheses[hyps[hyps.length - 1]].mass} GeV); do the hypotheses lie in the data's mass range, and is search.variable right?`);
  }
  if (noSignal.length > 0) {
    const m = noSignal.map((h) => search.hypotheses[h].mass).slice(0, 8).join(', ');
    throw new FomlabError(`search: no signal inside the window of training hypothesis ${m} GeV${noSignal.length > 8 ? ` and ${noSignal.length - 8} more` : ''}; remove it or mark it held out`);
  }
}

/**
 * σ_i (fb) and N_i of each configured process: nGenerated (else its events in the whole data) and
 * crossSection·scale (else N_i·scale/simulatedLumi, so that σ_i·L/N_i is its weight either way).
 */
function processFacts(table: EventTable, config: Readonly<Record<string, ProcessWeight>>): Record<string, ProcessFacts> {
  const counts = new Map<number, number>(), background = new Set<number>();
  const category = table.roleColumn('category'), labels = table.labels();
  for (let i = 0; i < category.length; i++) {
    const c = category[i];
    counts.set(c, (counts.get(c) ?? 0) + 1);
    if (labels[i] < 0.5) background.add(c);
  }
  const out: Record<string, ProcessFacts> = {};
  for (const [id, p] of Object.entries(config)) {
    const N = p.nGenerated ?? counts.get(Number(id)) ?? 0;
    const sigma = p.crossSection !== undefined ? p.crossSection * (p.scale ?? 1) : p.simulatedLumi ? (N * (p.scale ?? 1)) / p.simulatedLumi : NaN;
    out[id] = { crossSection: sigma, nGenerated: N, ...(counts.has(Number(id)) && !background.has(Number(id)) ? { signal: true } : {}) };
  }
  return out;
}

/** The feature names and scaling of a prepared run (for fitted kinds that read a feature by name: regions). */
export function inputsOf(prep: PreparedRun): FitInputs {
  const sc = prep.scaler.toJSON();
  return { names: [...prep.features], offset: sc.offset, scale: sc.scale };
}

/** The trainer's per-epoch plan of a parameterised net's training split (train/mass-batches.ts), masses scaled as x. */
function massInputEpoch(sub: EventTable, rows: Uint32Array, sm: SignalMasses, free: Uint8Array, cfg: ParameterisedConfig, scaler: FeatureScaler): MassInputEpoch {
  const sc = scaler.toJSON(), column = sc.features.length - 1;
  const scaled = (m: number): number => (m - sc.offset[column]) / sc.scale[column];
  const labels = sub.labels(), input = sub.column(cfg.input);
  const signalGroup = Int32Array.from(labels, (l, i) => (l < 0.5 ? -1 : sm.masses.findIndex((m) => Math.abs(m - input[i]) <= 1e-6 * Math.max(1, Math.abs(m)))));
  return {
    column, nFeatures: sc.features.length, masses: Float32Array.from(sm.masses, scaled), pool: Float32Array.from(sm.pool, scaled),
    signalGroup, free: Uint8Array.from(rows, (r) => free[r]), redraw: cfg.redraw, balanced: cfg.balanced,
  };
}

/** Signal weights scaled so that the mean signal weight equals the mean background weight (balanced batches: equal counts, equal sums). */
function balancedByMean(labels: Float32Array, weights: Float32Array): Float32Array {
  let ss = 0, ns = 0, sb = 0, nb = 0;
  labels.forEach((l, i) => { if (l >= 0.5) { ss += weights[i]; ns++; } else { sb += weights[i]; nb++; } });
  const f = ss > 0 && nb > 0 ? (sb / nb) / (ss / ns) : 1;
  return Float32Array.from(weights, (w, i) => (labels[i] >= 0.5 ? w * f : w));
}
