/**
 * The contract between evaluation and report: everything `writeReport` shows, as plain
 * JSON-serialisable data (no typed arrays, no NaN/Infinity — write `null` for "not available"
 * where a field says it may be null). `fomlab report RUN` reads it from `RUN/summary.json`.
 *
 * Units: masses in GeV, cross sections (σ_min) in fb, B in expected events at the run's
 * luminosity, ε as a fraction in [0, 1]. Cuts are on the net's final output (after the last
 * sigmoid, in (0, 1)); the report converts them to logits where it draws them on logit axes.
 */

import type { Judgements } from './judgement-summary.js';

export type * from './judgement-summary.js';

/** Version tag of this contract; bump on incompatible changes. */
export const RUN_SUMMARY_SCHEMA = 'fomlab.run-summary/1';

export interface RunSummary {
  /** Always `RUN_SUMMARY_SCHEMA` ('fomlab.run-summary/1'). */
  schema: string;
  meta: RunMeta;
  /** The methods compared, in display order (e.g. BCE-only nets, then Punzi-nets). */
  methods: MethodInfo[];
  /** Method the ratios divide by (σ_min(other)/σ_min(reference)); default 'BCE' if present, else the first. */
  reference?: string;
  /** One entry per mass hypothesis (trained and held out), any order; the report sorts by mass. */
  masses: MassPoint[];
  /** Training curves, one entry per method and stage (may be empty, e.g. for a run without history). */
  history: StageHistory[];
  /** Output distributions (logits) per method (may be empty). */
  outputs: OutputDistribution[];
  /** ROC, Z vs threshold, binned Z, sculpting, overtraining, per-mass judgements, correlations (optional; see evaluate/judgement-summary.ts). */
  judgements?: Judgements;
  /** Feature importances of boosted-tree models, one entry per method (optional; gbdt runs). */
  importances?: FeatureImportance[];
}

/**
 * A boosted-tree model's feature importances (src/models/gbdt/importance-summary.ts): per input feature, XGBoost's
 * get_score 'weight' (number of splits), 'total_gain' and 'total_cover', and the mean |TreeSHAP| attribution to the
 * raw score over `shapEvents` test events.
 */
export interface FeatureImportance {
  method: string;
  features: string[];
  frequency: number[];
  gain: number[];
  cover: number[];
  meanAbsShap: number[];
  shapEvents: number;
}

export interface RunMeta {
  /** Config name (file stem or the config's `name`). */
  configName: string;
  /** Base seed of the run (net k of an ensemble uses its own derived seed). */
  seed: number;
  /** fomlab version that produced the summary (package.json "version"). */
  fomlabVersion: string;
  /** ISO 8601 time the run (or the evaluation) finished. */
  createdAt: string;
  /** Event counts by sample, e.g. { train: 2.6e6, validation: 6.5e5, test: 1e6 }. */
  events: Record<string, number>;
  /** Wall-clock durations in seconds by phase, e.g. { simulate: 3.1, train: 140, evaluate: 8 }. */
  durations: Record<string, number>;
  /** Compute kernels that trained the nets ('native' C++, 'typescript'; both when a resume switched), optional. */
  kernels?: string[];
  /** Integrated luminosity the weights are scaled to, in fb⁻¹ (optional). */
  luminosityFb?: number;
  /** Symbol of the hypothesis mass for axis titles (optional; default 'm_Z′'). */
  massSymbol?: string;
  /** Free-form notes shown under the title (optional). */
  notes?: string;
  /**
   * The figure of merit the search chose its cuts and nets by (optional; absent = σ_min): its
   * registry name (e.g. 'sigmaMin', 'asimovZ'), label, unit ('' when dimensionless) and direction.
   */
  figure?: FigureInfo;
}

export interface FigureInfo {
  name: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
}

export interface MethodInfo {
  /** Short unique name, used as the key in `MassPoint.results` (e.g. 'BCE', 'Punzi'). */
  name: string;
  /** Longer label for legends and table headers (optional; default `name`). */
  label?: string;
  /** Number of nets in the ensemble (1 for a single net). */
  nNets: number;
  /** The common cut (one for all masses) on the output in (0, 1), used for `sigmaMinCommon`. */
  commonCut: number;
}

/** Results of one method at one mass hypothesis. */
export interface MethodResult {
  /** σ_min in fb at the per-mass optimal cut, mean over the ensemble. */
  sigmaMinMean: number;
  /** Standard error of that mean over the ensemble (std / √nNets; 0 for a single net). */
  sigmaMinSe: number;
  /** σ_min in fb of the best net of the ensemble at this mass (its optimal cut). */
  sigmaMinBest: number;
  /** Optimal cut on the output in (0, 1) of the best net at this mass. */
  cut: number;
  /** Signal efficiency ε of the best net at `cut` (fraction of signal generated at this mass). */
  efficiency: number;
  /** Expected background B (weighted events in the mass window) of the best net at `cut`. */
  background: number;
  /** σ_min in fb at the method's `commonCut`, mean over the ensemble. */
  sigmaMinCommon: number;
  /**
   * σ_min in fb at each mass's own cut chosen on the validation split (not on the judged sample),
   * mean over the ensemble: the fair partner of `sigmaMinCommon`, whose cut is chosen there too
   * (optional; null when that cut passes no test signal, or validation had no signal to choose it).
   */
  sigmaMinValidationCut?: number | null;
  /**
   * The search's figure (`meta.figure`, when it is not σ_min) at the same cuts as the σ_min fields
   * above — ensemble mean and s.e. at the per-mass optimal cut, the best net, the common cut, the
   * cut chosen on validation (optional; null where it has no value).
   */
  figureMean?: number | null;
  figureSe?: number | null;
  figureBest?: number | null;
  figureCommon?: number | null;
  figureValidationCut?: number | null;
}

export interface MassPoint {
  /** Hypothesis mass in GeV. */
  mass: number;
  /** True if not trained on (judged only). */
  heldOut: boolean;
  /** Results keyed by `MethodInfo.name`; every method must be present. */
  results: Record<string, MethodResult>;
  /**
   * σ_min(method)/σ_min(reference) of the ensemble means, keyed by method name (optional: the
   * report derives it from `results` when absent).
   */
  ratio?: Record<string, number>;
}

export interface EpochRecord {
  /** Epoch number within the stage (0- or 1-based, as the trainer counts). */
  epoch: number;
  /** Mean training loss of the epoch. */
  trainLoss: number;
  /** Loss on the validation sample (null if not computed this epoch). */
  validLoss: number | null;
  /** Validation figure of merit: geometric mean over the training hypotheses of the search's figure (`meta.figure`; default σ_min in fb) at each one's optimal cut (null if not computed). */
  validFom: number | null;
  /** Learning rate used in this epoch. */
  lr: number;
}

export interface StageHistory {
  /** Method name (`MethodInfo.name`). */
  method: string;
  /** Stage name, e.g. 'bce' or 'punzi'. */
  stage: string;
  /** Loss name for the axis title, e.g. 'BCE' or 'Punzi loss (σ_min, fb)' (optional). */
  loss?: string;
  /** Which net of the ensemble these curves are from (optional; e.g. the best net). */
  net?: number;
  /** Epoch at which the checkpoint was taken (optional; drawn as a marker). */
  bestEpoch?: number;
  epochs: EpochRecord[];
}

export interface SignalHistogram {
  /** Hypothesis mass in GeV (matches a `MassPoint.mass`). */
  mass: number;
  /** Sum of weights (or counts) per bin of signal generated at this mass, inside its window. */
  counts: number[];
}

/** Distribution of the net output before the last sigmoid (logit) for one method. */
export interface OutputDistribution {
  /** Method name (`MethodInfo.name`). */
  method: string;
  /** Which net these are from (optional; e.g. the best net). */
  net?: number;
  /** Logit bin edges, increasing; length = number of bins + 1, shared by all histograms. */
  edges: number[];
  /** Background: sum of weights per bin (all background in any window). */
  background: number[];
  /** Signal, one histogram per hypothesis. */
  signal: SignalHistogram[];
}
