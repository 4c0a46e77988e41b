/**
 * The boosting loop (Friedman 2001; XGBoost's second-order form, Chen & Guestrin 2016): each round takes the
 * gradient g_i and hessian h_i of the objective at the current raw scores, grows one tree on them (grow.ts, or its
 * C++ twin), adds η × the tree. Rows and columns are subsampled per tree from a seeded generator; early stopping
 * keeps the round with the best validation figure. Options carry XGBoost's names where they mean the same.
 */
import { Rng } from '../../core/rng.js';
import { FomlabError } from '../../core/errors.js';
import { binColumns, binColumnsTs, columnCuts, type CutMethod } from './binning.js';
import { margins as marginsOf, rawTree, type Forest } from './forest.js';
import { addTreeBinnedTs, growTreeTs, paramsArray, type GrowParams } from './grow.js';
import { gbdtNative, type BinnedTree } from './native.js';

export interface GbdtOptions {
  n_estimators: number;
  max_depth: number;
  learning_rate: number;
  reg_lambda: number;
  reg_alpha: number;
  gamma: number;
  min_child_weight: number;
  /** TMVA's MinNodeSize: a child holds at least this fraction of the tree's training rows (0.025 = 2.5 %) */
  min_node_fraction: number;
  subsample: number;
  colsample_bytree: number;
  /** value bins per feature, as XGBoost's max_bin (a feature with missing values: ≤ 255, NaN has its own slot) */
  max_bin: number;
  /** where the bin edges go: 'sketch' XGBoost 1.7's quantile sketch (its trees' split values), 'quantile' exact quantiles */
  binning: CutMethod;
  grow_policy: 'depthwise' | 'lossguide';
  max_leaves: number;
  /** 0: off */
  early_stopping_rounds: number;
  /** weight of signal rows in the logistic objective; 'balanced': Σw(background)/Σw(signal) */
  scale_pos_weight: number | 'balanced';
  /** prior probability: the raw score starts at logit(base_score) */
  base_score: number;
  seed: number;
}

export const GBDT_DEFAULTS: GbdtOptions = {
  n_estimators: 100, max_depth: 6, learning_rate: 0.3, reg_lambda: 1, reg_alpha: 0, gamma: 0, min_child_weight: 1, min_node_fraction: 0,
  subsample: 1, colsample_bytree: 1, max_bin: 256, binning: 'sketch', grow_policy: 'depthwise', max_leaves: 0, early_stopping_rounds: 0, scale_pos_weight: 1,
  base_score: 0.5, seed: 0,
};

export interface BoostData {
  /** feature columns, in the model's input order */
  columns: Float32Array[];
  /** 1 signal, 0 background */
  target: Float32Array;
  weight: Float32Array | null;
}

/** Gradient and hessian of the objective with respect to the raw scores (written into g, h). */
export type Objective = (margin: Float32Array, g: Float32Array, h: Float32Array) => void;
/** A validation figure of the raw scores, lower is better (early stopping). */
export type ValidationFigure = (margin: Float32Array) => number;

export interface BoostResult {
  forest: Forest;
  /** validation figure after each round (empty without validation data) */
  history: number[];
  /** `trainFigure` after each round (empty without it) */
  trainHistory: number[];
  /** `watch.figure` after each round (empty without `watch`) */
  watchHistory: number[];
  /** rounds kept (best validation round + 1, or all), not counting the trees of `init` */
  rounds: number;
}

/** A further set of events whose figure is recorded after each round (its raw scores updated tree by tree). */
export interface WatchedSet {
  columns: Float32Array[];
  figure: ValidationFigure;
  /** early stopping and the kept round follow this figure (lower is better) instead of `validationFigure` */
  stopOn?: boolean;
}

/** Weighted logistic objective: g = s·w·(p − y), h = s·w·max(p(1 − p), 1e−16), s = scale_pos_weight on signal. */
export function logisticObjective(d: BoostData, posScale: number, engine: 'native' | 'typescript'): Objective {
  return (m, g, h) => {
    if (engine === 'native' && gbdtNative) return gbdtNative.gbdtLogistic(m, d.target, d.weight, posScale, g, h);
    for (let i = 0; i < m.length; i++) {
      const p = 1 / (1 + Math.exp(-m[i]));
      const s = (d.weight ? d.weight[i] : 1) * (d.target[i] > 0.5 ? posScale : 1);
      g[i] = s * (p - d.target[i]);
      h[i] = s * Math.max(p * (1 - p), 1e-16);
    }
  };
}

/** Weighted mean log-loss of raw scores (XGBoost's 'logloss'). */
export function logLoss(d: BoostData): ValidationFigure {
  return (m) => {
    let s = 0, W = 0;
    for (let i = 0; i < m.length; i++) {
      const w = d.weight ? d.weight[i] : 1, z = m[i];
      // −[y log p + (1−y) log(1−p)] = log(1 + e^z) − y z, stably
      s += w * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - d.target[i] * z);
      W += w;
    }
    return s / W;
  };
}

function checkOptions(o: GbdtOptions): void {
  const bad = (k: string, why: string): never => { throw new FomlabError(`model.${k}: ${why}`); };
  if (!(Number.isInteger(o.n_estimators) && o.n_estimators >= 1)) bad('n_estimators', 'must be a positive integer');
  if (!(o.max_bin >= 2 && o.max_bin <= 256 && Number.isInteger(o.max_bin))) bad('max_bin', 'must be an integer in 2…256');
  if (!(o.learning_rate > 0)) bad('learning_rate', 'must be > 0');
  if (!(o.subsample > 0 && o.subsample <= 1)) bad('subsample', 'must be in (0, 1]');
  if (!(o.colsample_bytree > 0 && o.colsample_bytree <= 1)) bad('colsample_bytree', 'must be in (0, 1]');
  if (!(o.min_node_fraction >= 0 && o.min_node_fraction < 0.5)) bad('min_node_fraction', 'must be in [0, 0.5)');
  if (!(o.base_score > 0 && o.base_score < 1)) bad('base_score', 'must be in (0, 1)');
  if (o.binning !== 'sketch' && o.binning !== 'quantile') bad('binning', "must be 'sketch' or 'quantile'");
  if (o.grow_policy === 'depthwise' && o.max_depth < 1) bad('max_depth', 'must be ≥ 1 with grow_policy depthwise');
  if (o.grow_policy === 'lossguide' && o.max_depth <= 0 && o.max_leaves <= 0) bad('max_leaves', 'must be > 0 with grow_policy lossguide and no max_depth');
}

/** The prepared training matrix: quantile cuts and bin codes (row-major n × nf). */
export interface Binned { cuts: Float32Array[]; nBins: Int32Array; bins: Uint8Array; n: number; nf: number }

export function binTraining(d: BoostData, maxBin: number, engine: 'native' | 'typescript', method: CutMethod = 'sketch'): Binned {
  const n = d.target.length, nf = d.columns.length;
  const cuts = columnCuts(d.columns, d.weight, maxBin, method, engine);
  const bins = engine === 'native' ? binColumns(d.columns, cuts, n) : binColumnsTs(d.columns, cuts, n);
  return { cuts, nBins: Int32Array.from(cuts, (c) => c.length), bins, n, nf };
}

export interface BoostRun {
  options: Partial<GbdtOptions>;
  inputNames: string[];
  train: BoostData;
  valid?: BoostData;
  /** default: the weighted logistic objective */
  objective?: Objective;
  /** default: the weighted log-loss of `valid` */
  validationFigure?: ValidationFigure;
  /** 'native' (default when the addon is built) or the TypeScript twin */
  engine?: 'native' | 'typescript';
  /** the training loss of the raw scores, recorded after each round (e.g. for the run's history) */
  trainFigure?: ValidationFigure;
  /** continue from these trees (their raw scores are the starting point; the new trees are appended) */
  init?: Forest;
  /** a further set of events recorded after each round (e.g. the search's hard figure on the judged validation split) */
  watch?: WatchedSet;
  /** called after each round (progress lines) */
  onRound?: (round: number, figure: number | null) => void;
}

export function boost(run: BoostRun): BoostResult {
  const o: GbdtOptions = { ...GBDT_DEFAULTS, ...run.options };
  checkOptions(o);
  const engine = run.engine ?? (gbdtNative ? 'native' : 'typescript');
  if (engine === 'native' && !gbdtNative) throw new FomlabError('gbdt: the native engine is not built (node scripts/build-native.mjs)');
  const d = run.train, n = d.target.length, nf = d.columns.length;
  if (run.inputNames.length !== nf) throw new FomlabError(`gbdt: ${nf} columns but ${run.inputNames.length} input names`);
  const B = binTraining(d, o.max_bin, engine, o.binning);
  let posScale = typeof o.scale_pos_weight === 'number' ? o.scale_pos_weight : 1;
  if (o.scale_pos_weight === 'balanced') {
    let s = 0, b = 0;
    for (let i = 0; i < n; i++) { const w = d.weight ? d.weight[i] : 1; if (d.target[i] > 0.5) s += w; else b += w; }
    if (!(s > 0 && b > 0)) throw new FomlabError('model.scale_pos_weight: balanced needs signal and background of positive total weight');
    posScale = b / s;
  }
  const objective = run.objective ?? logisticObjective(d, posScale, engine);
  const baseMargin = run.init ? run.init.baseMargin : Math.fround(Math.log(o.base_score / (1 - o.base_score)));
  const margin = run.init ? marginsOf(run.init, d.columns, n) : new Float32Array(n).fill(baseMargin);
  const g = new Float32Array(n), h = new Float32Array(n);
  const rng = new Rng(o.seed);
  const gp: GrowParams = {
    maxDepth: o.max_depth, maxLeaves: o.max_leaves, lossGuide: o.grow_policy === 'lossguide', lambda: o.reg_lambda, alpha: o.reg_alpha,
    gamma: o.gamma, minChildWeight: o.min_child_weight, minChildRows: 0, eta: o.learning_rate,
  };
  const pArr = paramsArray(gp);
  // validation: binned with the training cuts, its raw scores updated tree by tree
  const v = run.valid;
  const vn = v ? v.target.length : 0;
  const vBins = v ? (engine === 'native' ? binColumns(v.columns, B.cuts, vn) : binColumnsTs(v.columns, B.cuts, vn)) : null;
  const vMargin = run.init && v ? marginsOf(run.init, v.columns, vn) : new Float32Array(vn).fill(baseMargin);
  const figure = v ? run.validationFigure ?? logLoss(v) : null;
  const w = run.watch, wn = w ? w.columns[0]?.length ?? 0 : 0;
  if (w && w.columns.length !== nf) throw new FomlabError(`gbdt: the watched set has ${w.columns.length} columns, the training set ${nf}`);
  const wBins = w ? (engine === 'native' ? binColumns(w.columns, B.cuts, wn) : binColumnsTs(w.columns, B.cuts, wn)) : null;
  const wMargin = run.init && w ? marginsOf(run.init, w.columns, wn) : new Float32Array(wn).fill(baseMargin);
  const history: number[] = [], trainHistory: number[] = [], watchHistory: number[] = [];
  const trees: BinnedTree[] = [];
  let best = Infinity, bestRound = -1;
  for (let r = 0; r < o.n_estimators; r++) {
    objective(margin, g, h);
    let rows: Int32Array | null = null;
    if (o.subsample < 1) {
      const keep: number[] = [];
      for (let i = 0; i < n; i++) if (rng.uniform() < o.subsample) keep.push(i);
      rows = Int32Array.from(keep);
    }
    let features: Uint8Array | null = null;
    if (o.colsample_bytree < 1) {
      const k = Math.max(1, Math.floor(o.colsample_bytree * nf));
      const perm = Array.from({ length: nf }, (_, j) => j);
      for (let j = 0; j < k; j++) { const s = j + rng.int(nf - j); [perm[j], perm[s]] = [perm[s], perm[j]]; }
      features = new Uint8Array(nf);
      for (let j = 0; j < k; j++) features[perm[j]] = 1;
    }
    const rowsInTree = rows ? rows.length : n;
    gp.minChildRows = o.min_node_fraction * rowsInTree;
    pArr[7] = gp.minChildRows;
    // the native grower adds the tree to the training margins itself (XGBoost's prediction cache)
    let tree: BinnedTree;
    if (engine === 'native') tree = (gbdtNative as NonNullable<typeof gbdtNative>).gbdtGrow(B.bins, n, nf, B.nBins, g, h, rows, features, pArr, margin);
    else { tree = growTreeTs(B.bins, n, nf, B.nBins, g, h, rows, features, gp); addTreeBinnedTs(B.bins, n, nf, tree, margin); }
    trees.push(tree);
    if (run.trainFigure) trainHistory.push(run.trainFigure(margin));
    const addTo = (bins: Uint8Array, rowsOf: number, m: Float32Array): void => {
      if (engine === 'native') (gbdtNative as NonNullable<typeof gbdtNative>).gbdtAddBinned(bins, rowsOf, nf, tree, m);
      else addTreeBinnedTs(bins, rowsOf, nf, tree, m);
    };
    let fig: number | null = null, stopFigure: number | null = null;
    if (v && vBins && figure) {
      addTo(vBins, vn, vMargin);
      fig = figure(vMargin);
      history.push(fig);
      stopFigure = fig;
    }
    if (w && wBins) {
      addTo(wBins, wn, wMargin);
      const wf = w.figure(wMargin);
      watchHistory.push(wf);
      if (w.stopOn) stopFigure = wf;
    }
    if (stopFigure !== null && stopFigure < best) { best = stopFigure; bestRound = r; }
    run.onRound?.(r, fig);
    if (o.early_stopping_rounds > 0 && bestRound >= 0 && r - bestRound >= o.early_stopping_rounds) break;
  }
  const rounds = o.early_stopping_rounds > 0 && bestRound >= 0 ? bestRound + 1 : trees.length;
  const kept = trees.slice(0, rounds).map((t) => rawTree(t, B.cuts));
  return { forest: { inputNames: run.inputNames, baseMargin, trees: [...(run.init?.trees ?? []), ...kept] }, history, trainHistory, watchHistory, rounds };
}
