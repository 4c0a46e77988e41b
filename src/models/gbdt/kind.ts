/**
 * The 'gbdt' model kind: boosted decision trees fitted by boost.ts (not by the gradient trainer). Config keys are
 * XGBoost's (`eta`, `lambda`, `alpha`, `min_split_loss` accepted as their aliases) plus `min_node_fraction`
 * (TMVA's MinNodeSize). Each training stage adds `n_estimators` trees: a `bce` stage with the weighted logistic
 * objective, a `punzi` stage with FOM-aware boosting (fom.ts) continuing from the trees before it, like the
 * Punzi-net's fine-tuning; each stage stops early on its own validation loss (`early_stopping_rounds`).
 * The trees see the scaled features of the trainer; the model file keeps the scaling and applies it when scoring.
 */
import { z } from 'zod';
import { FomlabError } from '../../core/errors.js';
import { oneOf, section } from '../../config/section.js';
import type { FitInput, FitResult, FitSplit, ModelKind, SavedModel } from '../registry.js';
import { boost, GBDT_DEFAULTS, logLoss, logisticObjective, type BoostData, type GbdtOptions, type WatchedSet } from './boost.js';
import { flatten, forestFromJson, forestToJson, probabilities, type Forest, type RawTree } from './forest.js';
import { encodeForestOnnx } from './onnx.js';
import { ADABOOST_DEFAULTS, adaBoost } from './adaboost.js';
import { forestFromXgboostJson } from './xgboost.js';
import { figureObjective, softAsimovLoss, softSigmaMinLoss, type SoftSigmaMinParams } from './fom.js';

export interface GbdtKindOptions extends GbdtOptions {
  fom_objective: 'sigma_min' | 'asimov';
  signal_cross_section: number;
  /** 'gbtree': gradient boosting (XGBoost); 'adaboost': TMVA's BDT (adaboost.ts; its defaults NTrees 850, MaxDepth 3, MinNodeSize 2.5 %) */
  booster: 'gbtree' | 'adaboost';
  /** TMVA nCuts (adaboost) */
  n_cuts: number;
  /** TMVA AdaBoostBeta (adaboost) */
  ada_beta: number;
}

const num = z.number({ error: 'expected a number' });
const int = (min: number) => z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(min, { error: `expected a whole number ≥ ${min}` });
const fraction = num.gt(0, { error: 'expected a number in (0, 1]' }).max(1, { error: 'expected a number in (0, 1]' });

export const gbdtOptionsSchema = section({
  n_estimators: int(1).optional(), max_depth: int(0).optional(), learning_rate: num.positive({ error: 'expected a number > 0' }).optional(),
  eta: num.positive({ error: 'expected a number > 0' }).optional(), reg_lambda: num.min(0).optional(), lambda: num.min(0).optional(),
  reg_alpha: num.min(0).optional(), alpha: num.min(0).optional(), gamma: num.min(0).optional(), min_split_loss: num.min(0).optional(),
  min_child_weight: num.min(0).optional(), min_node_fraction: num.min(0).max(0.49).optional(), subsample: fraction.optional(),
  colsample_bytree: fraction.optional(), max_bin: int(2).max(256, { error: 'expected a whole number ≤ 256' }).optional(),
  binning: oneOf(['sketch', 'quantile']).optional(),
  grow_policy: oneOf(['depthwise', 'lossguide']).optional(), max_leaves: int(0).optional(), early_stopping_rounds: int(0).optional(),
  scale_pos_weight: z.union([num.positive(), z.literal('balanced')], { error: "expected a number > 0 or 'balanced'" }).optional(),
  base_score: num.gt(0).lt(1).optional(), seed: int(0).optional(),
  /** the figure a punzi stage boosts for: the soft σ_min (default) or the soft Asimov Z at signal_cross_section fb */
  fom_objective: oneOf(['sigma_min', 'asimov']).default('sigma_min'), signal_cross_section: num.positive().default(1),
  booster: oneOf(['gbtree', 'adaboost']).default('gbtree'), n_cuts: int(1).default(ADABOOST_DEFAULTS.n_cuts), ada_beta: num.positive().default(ADABOOST_DEFAULTS.ada_beta),
}).transform((o, ctx): GbdtKindOptions => {
  const pick = <K extends keyof GbdtOptions>(key: K, alias: keyof typeof o): GbdtOptions[K] | undefined => {
    if (o[key as keyof typeof o] !== undefined && o[alias] !== undefined) ctx.addIssue({ code: 'custom', path: [alias], message: `give ${String(key)} or its alias ${String(alias)}, not both` });
    return (o[key as keyof typeof o] ?? o[alias]) as GbdtOptions[K] | undefined;
  };
  const out: GbdtKindOptions = { ...GBDT_DEFAULTS, fom_objective: o.fom_objective, signal_cross_section: o.signal_cross_section, booster: o.booster, n_cuts: o.n_cuts, ada_beta: o.ada_beta };
  // TMVA's BDT defaults for what the config leaves out
  if (o.booster === 'adaboost') Object.assign(out, { n_estimators: ADABOOST_DEFAULTS.n_estimators, max_depth: ADABOOST_DEFAULTS.max_depth, min_node_fraction: ADABOOST_DEFAULTS.min_node_fraction });
  const set = <K extends keyof GbdtOptions>(k: K, v: GbdtOptions[K] | undefined): void => { if (v !== undefined) (out as GbdtOptions)[k] = v; };
  set('learning_rate', pick('learning_rate', 'eta'));
  set('reg_lambda', pick('reg_lambda', 'lambda'));
  set('reg_alpha', pick('reg_alpha', 'alpha'));
  set('gamma', pick('gamma', 'min_split_loss'));
  for (const k of ['n_estimators', 'max_depth', 'min_child_weight', 'min_node_fraction', 'subsample', 'colsample_bytree', 'max_bin', 'binning', 'grow_policy', 'max_leaves', 'early_stopping_rounds', 'scale_pos_weight', 'base_score', 'seed'] as const)
    set(k, o[k] as never);
  return out;
});

// ---- the forest as named parameters (what the trainer, the checkpoints and the judge pass around) ----

function forestParams(f: Forest): Record<string, Float32Array> {
  const flat = flatten(f.trees);
  return {
    feature: Float32Array.from(flat.feature), threshold: flat.threshold, left: Float32Array.from(flat.left), right: Float32Array.from(flat.right),
    defaultLeft: Float32Array.from(flat.defaultLeft), value: flat.value, roots: Float32Array.from(flat.roots), base: Float32Array.of(f.baseMargin),
    // split gain and cover (Σh) per node: importances and TreeSHAP need them in the saved model
    ...(f.trees.every((t) => t.gain && t.cover) ? { gain: Float32Array.from(f.trees.flatMap((t) => [...(t.gain as Float64Array)])), cover: Float32Array.from(f.trees.flatMap((t) => [...(t.cover as Float64Array)])) } : {}),
  };
}

function forestOfParams(p: Record<string, Float32Array>, inputNames: string[]): Forest {
  for (const k of ['feature', 'threshold', 'left', 'right', 'defaultLeft', 'value', 'roots', 'base']) if (!p[k]) throw new FomlabError(`gbdt: parameter ${k} missing in the trained state (was it trained as another model kind?)`);
  const roots = [...p.roots, p.feature.length];
  const trees: RawTree[] = [];
  for (let t = 0; t + 1 < roots.length; t++) {
    const a = roots[t], b = roots[t + 1], rel = (v: number) => (v < 0 ? -1 : v - a);
    trees.push({
      feature: Int32Array.from(p.feature.subarray(a, b)), threshold: p.threshold.slice(a, b), left: Int32Array.from(p.left.subarray(a, b), rel),
      right: Int32Array.from(p.right.subarray(a, b), rel), defaultLeft: Uint8Array.from(p.defaultLeft.subarray(a, b)), value: p.value.slice(a, b),
      ...(p.gain && p.cover ? { gain: Float64Array.from(p.gain.subarray(a, b)), cover: Float64Array.from(p.cover.subarray(a, b)) } : {}),
    });
  }
  return { inputNames, baseMargin: p.base[0], trees };
}

const columnsOf = (x: Float32Array, n: number, nf: number): Float32Array[] =>
  Array.from({ length: nf }, (_, j) => { const c = new Float32Array(n); for (let i = 0; i < n; i++) c[i] = x[i * nf + j]; return c; });

// ---- the saved model: scaling then the trees ----

function savedForest(f: Forest, shift?: Float32Array, scale?: Float32Array): SavedModel {
  const nf = f.inputNames.length;
  return {
    kind: 'gbdt',
    inputNames: f.inputNames,
    scoresMissing: true,
    score(x, n) {
      const cols = columnsOf(x, n, nf);
      if (shift && scale) cols.forEach((c, j) => { for (let i = 0; i < n; i++) c[i] = Math.fround(Math.fround(c[i] - shift[j]) * scale[j]); });
      return probabilities(f, cols, n);
    },
    toJson: () => ({ ...forestToJson(f), ...(shift && scale ? { inputShift: [...shift], inputScale: [...scale] } : {}) }),
    toOnnx: (opts) => encodeForestOnnx(f, opts, shift && scale ? { shift, scale } : undefined),
    describe: () => `gbdt (${f.trees.length} trees)`,
  };
}

// ---- fitting: one boosting run per training stage ----

function stageLossOf(s: Record<string, unknown>): 'bce' | 'punzi' {
  if (s.loss === 'bce' || s.loss === 'punzi') return s.loss;
  throw new FomlabError(`training.stages: loss ${JSON.stringify(s.loss)} cannot train a gbdt model (bce: logistic boosting, punzi: FOM-aware boosting)`);
}

/**
 * The validation figure of each round, as the gradient trainer's validFom: the hard figure of the search on its judged
 * validation rows when the trainer gives it (the kept round follows it, as the trainer's best epoch), else the soft
 * mean σ_min of the validation split (recorded only; the kept round follows the stage's loss).
 */
function watchedFigure(inp: FitInput<GbdtKindOptions>, punzi: SoftSigmaMinParams): { set: WatchedSet; sign: number } {
  const f = inp.figure, nf = inp.train.nFeatures;
  if (!f) return { set: { columns: columnsOf(inp.validation.x, inp.validation.n, nf), figure: (m) => softSigmaMinLoss(m, inp.validation.punzi, { ...punzi, aggregate: 'mean' }) }, sign: 1 };
  // the boosting loop minimises: a higher-is-better figure enters negated
  const sign = f.better === 'higher' ? -1 : 1;
  const figure = (m: Float32Array): number => sign * f.value(Float32Array.from(m, (z) => 1 / (1 + Math.exp(-z))));
  return { set: { columns: columnsOf(f.x, f.x.length / nf, nf), figure, stopOn: true }, sign };
}

function fit(inp: FitInput<GbdtKindOptions>): FitResult {
  const { train, validation: valid, options } = inp;
  const names = Array.from({ length: train.nFeatures }, (_, j) => `f${j}`);
  const trainCols = columnsOf(train.x, train.n, train.nFeatures), validCols = columnsOf(valid.x, valid.n, valid.nFeatures);
  let forest: Forest | undefined;
  const snapshots: FitResult['snapshots'] = {};
  const logs: FitResult['logs'] = [];
  inp.stages.forEach((s, k) => {
    const loss = stageLossOf(s.options);
    const balanced = s.options.balance === true;
    const data = (sp: FitSplit, cols: Float32Array[]): BoostData => ({ columns: cols, target: sp.labels, weight: loss === 'bce' && balanced ? sp.bceWeights : sp.weights });
    const d = data(train, trainCols), v = data(valid, validCols);
    const punzi: SoftSigmaMinParams = { ...inp.sensitivity, aggregate: s.options.aggregate === 'logMean' ? 'logMean' : 'mean' };
    const asimov = { lumi: inp.sensitivity.lumi, signalCrossSection: options.signal_cross_section };
    const fomLoss = (sp: FitSplit) => (m: Float32Array, dm?: Float64Array) =>
      options.fom_objective === 'asimov' ? softAsimovLoss(m, sp.punzi, asimov, dm) : softSigmaMinLoss(m, sp.punzi, punzi, dm);
    const objective = loss === 'bce' ? logisticObjective(d, 1, 'native') : figureObjective(fomLoss(train));
    const figure = (sp: FitSplit, bd: BoostData) => (loss === 'bce' ? logLoss(bd) : (m: Float32Array) => fomLoss(sp)(m));
    if (options.booster === 'adaboost') {
      if (loss !== 'bce') throw new FomlabError(`training.stages: stage ${s.name}: booster adaboost boosts classification trees; only a bce stage can train it (loss ${loss})`);
      if (forest) throw new FomlabError(`training.stages: booster adaboost trains in one stage; stage ${s.name} would continue another`);
      forest = adaBoost(d, names, options).forest;
      logs.push({ stage: s.name, loss, bestEpoch: forest.trees.length - 1, ended: 'epochs', epochs: [] });
      snapshots[s.name] = forestParams(forest);
      return;
    }
    const watch = watchedFigure(inp, punzi);
    const r = boost({
      options: { ...options, seed: options.seed + inp.seed * 1000 + k }, inputNames: names, train: d, valid: v, objective,
      validationFigure: figure(valid, v), trainFigure: figure(train, d), init: forest, watch: watch.set,
    });
    forest = r.forest;
    logs.push({
      stage: s.name, loss, bestEpoch: r.rounds - 1, ended: r.history.length > r.rounds ? 'early-stopping' : 'epochs',
      // validLoss: the stage's own loss; validFom: the search's figure (as the gradient trainer logs them)
      epochs: r.history.map((fig, e) => ({ epoch: e + 1, trainLoss: r.trainHistory[e], validLoss: fig, validFom: watch.sign * r.watchHistory[e], lr: options.learning_rate })),
    });
    snapshots[s.name] = forestParams(forest);
  });
  return { params: forestParams(forest as Forest), snapshots, logs };
}

export const gbdt: ModelKind<GbdtKindOptions> = {
  kind: 'gbdt',
  options: gbdtOptionsSchema as unknown as z.ZodType<GbdtKindOptions>,
  build() {
    throw new FomlabError('gbdt models are fitted by boosting, not built as a net');
  },
  fit,
  scoreParams: (params, x, nFeatures) => probabilities(forestOfParams(params, Array.from({ length: nFeatures }, (_, j) => `f${j}`)), columnsOf(x, x.length / nFeatures, nFeatures), x.length / nFeatures),
  save: (_nf, _o, params, inputNames, shift, scale) => savedForest(forestOfParams(params, inputNames), shift, scale),
  load(json, source) {
    if ('learner' in json && json.kind === undefined) return savedForest(forestFromXgboostJson(json, source));
    const f = forestFromJson(json, source);
    const arr = (k: string): Float32Array | undefined => {
      const v = json[k];
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length !== f.inputNames.length || v.some((e) => typeof e !== 'number' || !Number.isFinite(e))) throw new FomlabError(`${source}: ${k} must be ${f.inputNames.length} finite numbers`);
      return Float32Array.from(v as number[]);
    };
    return savedForest(f, arr('inputShift'), arr('inputScale'));
  },
};
