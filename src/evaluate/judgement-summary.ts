/**
 * The `judgements` section of the run summary (plain JSON: no typed arrays, no NaN/∞; `null`
 * where a field says so): every judgement a physicist expects of each method, on the test split
 * (overtraining: training vs test split). Filled by `judgeFully` (judgements.ts), drawn by the
 * report's judgement plots.
 */
export interface Judgements {
  /** weighted Pearson correlations of the input features (test split), by class; null without features */
  correlations: FeatureCorrelations | null;
  /** Punzi's a of the search (the FOM's denominator is a/2 + √B) */
  punziA: number;
  /** one entry per method, in the order of `RunSummary.methods` */
  methods: MethodJudgements[];
  /** integrated-gradient attributions per feature (written by `fomlab explain`; absent before) */
  attributions?: AttributionSummary | null;
}

/** `fomlab explain`: mean integrated gradients per feature of one net (evaluate/attributions.ts). */
export interface AttributionSummary {
  method: string;
  net: number;
  /** m, the path steps (trapezoid rule) */
  steps: number;
  /** baselines per event, drawn from the test background ∝ weight (each process ∝ σ) */
  baselinesPerEvent: number;
  /** test events explained (inside a window) */
  events: number;
  /** largest |Σ_i IG_i − (f(x) − mean f(x′))| over the events */
  completenessGap: number;
  features: Array<{ feature: string; meanAbs: number; meanSignal: number; meanBackground: number }>;
}

export interface FeatureCorrelations {
  features: string[];
  /** ρ rows (features × features) of the signal and of the background events (null when a class is absent) */
  signal: number[][] | null;
  background: number[][] | null;
}

export interface MethodJudgements {
  /** `MethodInfo.name` */
  method: string;
  /** which net of the ensemble (the best one, as the output distributions) */
  net: number;
  /** ROC of the events in any window (signal in its own), thinned for drawing; AUC from the full curve */
  roc: { fpr: number[]; tpr: number[]; auc: number };
  zCurve: ZCurveSummary;
  /** binned Asimov Z of the events in any window (null when not computable, e.g. no mass column) */
  binned: BinnedSummary | null;
  /** background mass shape per output bin and DisCo(mass, output) of the background (null without mass) */
  sculpting: SculptingSummary | null;
  /** train vs test output distributions per class (null when the training scores are not given) */
  overtraining: OvertrainingSummary | null;
  /** per mass hypothesis */
  perMass: MassJudgement[];
}

export interface ZCurveSummary {
  /** what Z is: the Asimov discovery significance of S, B with output ≥ threshold */
  significance: string;
  thresholds: number[];
  z: number[];
  maxZ: number;
  /** threshold of maxZ (null when no threshold holds the minimum counts) */
  thresholdAtMax: number | null;
  workingPoints: Array<{ threshold: number; z: number; S: number; B: number }>;
  /** ∫ Z dt over the thresholds */
  area: number;
  /** fraction of thresholds with Z ≥ 0.9 maxZ */
  r10: number;
  /** raw-count minima below which Z is 0 (thesis: N_S, N_B ≥ 10) */
  minSignalEvents: number;
  minBackgroundEvents: number;
}

export interface BinnedSummary {
  /** √(Σ Z_i²) */
  z: number;
  bins: Array<{ outputLow: number | null; outputHigh: number | null; massLow: number | null; massHigh: number | null; S: number; B: number; z: number; used: boolean }>;
}

export interface SculptingSummary {
  /** axis title of the mass variable the histograms are over, e.g. 'M² [GeV²]' */
  massTitle: string;
  /** output bin edges, null for −∞ / +∞ at the ends */
  outputEdges: Array<number | null>;
  massEdges: number[];
  /** per output bin, the background mass histogram with unit sum */
  histograms: number[][];
  /** mean over mass bins of the spread across output bins (0 = no sculpting) */
  meanStd: number;
  /** weighted distance correlation (power 1) of output and mass, background */
  disco: number;
  discoEvents: number;
}

export interface ClassOvertraining {
  /** unit-sum histograms of the logit of the output */
  train: number[];
  test: number[];
  ks: number;
  pValue: number;
  nTrainEff: number;
  nTestEff: number;
}

export interface OvertrainingSummary {
  /** which test, e.g. 'weighted Kolmogorov–Smirnov (effective counts, asymptotic p)' */
  test: string;
  /** logit bin edges */
  edges: number[];
  signal: ClassOvertraining;
  background: ClassOvertraining;
}

export interface MassJudgement {
  mass: number;
  /** AUC of signal of this hypothesis vs background, both in its window (null if either is absent) */
  auc: number | null;
  /** max Z over the thresholds for the events in this window */
  maxZ: number;
  /** binned Asimov Z for this hypothesis (null when not computable) */
  binnedZ: number | null;
  /** signal efficiency at the method's common cut */
  efficiencyCommon: number;
  /** max over the cut of the Punzi FOM ε/(a/2 + √B), B in events, and the cut where it is reached */
  punziFom: number;
  punziCut: number | null;
}
