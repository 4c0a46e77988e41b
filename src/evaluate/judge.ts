import { stageName, stageTerms, type ModelConfig, type StageConfig } from '../config/training.js';
import type { EventTable } from '../data/table.js';
import { termsLabel } from '../losses/registry.js';
import { scoreMatrix } from '../models/registry.js';
import { bestCommonCut, cutsAt, optimalCuts, type CutOptions, type HypothesisCuts } from './cuts.js';
import { featureCorrelations, judgeFully } from './judgements.js';
import type { SensitivityParams, SigmaMinForm } from '../physics/fom.js';
import { type FigureOfMerit, type FigureSpec, figureOf, isBetter, relativeLoss, worstValue } from '../physics/figures.js';
import type { Search } from '../physics/search.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { MethodResult, OutputDistribution, RunSummary, StageHistory, MassPoint } from './summary.js';
import { meanVariance } from './spread.js';

/** A split as judging sees it: scaled features, luminosity weights (of the whole sample), window incidence. */
export interface JudgedSplit {
  /** the split's events (label, mass and feature columns for the judgements) */
  table: EventTable;
  /** scaled features, n × nFeatures */
  x: Float32Array;
  incidence: WindowIncidence;
  /** luminosity weights divided by the split's fraction (B of the whole sample) */
  weights: Float32Array;
}

/** A trained net as judging sees it (the trainer's TrainedNet): parameters, per-stage snapshots, logs. */
export interface TrainedNet {
  params: Record<string, Float32Array>;
  snapshots: Record<string, Record<string, Float32Array>>;
  logs: Array<{ stage: string; bestEpoch: number; epochs: Array<{ epoch: number; trainLoss: number; validLoss: number; validFom: number; lr: number; significance?: number }> }>;
}

/**
 * A method compared in the report: which parameters of each trained net it uses. The BCE-only
 * net is the snapshot after the last BCE stage; the Punzi-net the parameters after all stages
 * (so both share the pre-training, as in the seed study).
 */
export interface Method {
  name: string;
  label: string;
  params: (net: TrainedNet) => Record<string, Float32Array>;
  /** stages whose history belongs to this method */
  stages: string[];
}

/**
 * One method per loss that leads a stage (its first term's `method`, e.g. BCE, Punzi): the
 * parameters after the last stage it leads, judged with the history of the stages up to there.
 * In stage order of that last stage (the BCE-only nets before the Punzi-nets fine-tuned from them).
 * `compareWithBce: false` keeps only the final method (e.g. no BCE-only nets beside the Punzi-net).
 */
export function methodsOf(stages: StageConfig[], compareWithBce = true): Method[] {
  const names = stages.map(stageName);
  const lead = stages.map((s) => stageTerms(s)[0].module.method);
  /** the stages a stage's parameters went through: its `from` chain (default each one's previous stage) */
  const lineage = (i: number): string[] => {
    const chain: number[] = [];
    for (let k = i; k >= 0; k = stages[k].from !== undefined ? names.indexOf(stages[k].from!) : k - 1) chain.unshift(k);
    return chain.map((k) => names[k]);
  };
  const parent = (i: number): string | null => stages[i].from ?? (i > 0 ? names[i - 1] : null);
  /** variants: stages that start from the same stage as another one (e.g. unbatched and batched Punzi from BCE) */
  const isVariant = (i: number): boolean => parent(i) !== null && stages.some((_, j) => j !== i && parent(j) === parent(i));
  const out: Method[] = [];
  lead.forEach((m, i) => {
    const variant = isVariant(i);
    // not its last stage (variants, which start from an earlier stage, are each a method)
    if (!variant && lead.slice(i + 1).some((later, j) => later.name === m.name && !isVariant(i + 1 + j))) return;
    const last = names[i];
    const name = variant ? last : m.name, label = variant ? `${m.label} (${last})` : m.label;
    out.push({ name, label, params: (n) => (i === stages.length - 1 ? n.params : n.snapshots[last] ?? n.params), stages: lineage(i) });
  });
  if (!compareWithBce) return out.slice(-1);
  return out;
}

export interface JudgeInput {
  search: Search;
  test: JudgedSplit;
  /** where each net's common cut is chosen (best geometric-mean σ_min over the training hypotheses) */
  validation: JudgedSplit;
  nets: TrainedNet[];
  model: ModelConfig;
  stages: StageConfig[];
  sensitivity: SensitivityParams & { form: SigmaMinForm };
  /** the search's figure of merit (default σ_min with `sensitivity`): it chooses every cut and the best net */
  figure?: FigureSpec;
  /** false: no BCE-only method beside the Punzi-net (training.compareWithBce) */
  compareWithBce?: boolean;
  /** the training split (events in a training window: scaled features, labels, weights), for the overtraining check */
  train?: { x: Float32Array; labels: Float32Array; weights: Float32Array };
}

/** Net output (probability) of each event of a scaled feature matrix, through the model registry. */
export function scoreSplit(params: Record<string, Float32Array>, model: ModelConfig, x: Float32Array, nFeatures: number): Float32Array {
  return scoreMatrix(model, params, x, nFeatures);
}

/** The net judged best: best validation figure (lowest mean σ_min) at its checkpoint in the last stage of the method. */
function bestNet(nets: TrainedNet[], m: Method, f: FigureOfMerit): number {
  let best = 0, bestFom = worstValue(f);
  nets.forEach((n, k) => {
    const log = n.logs.filter((l) => m.stages.includes(l.stage)).pop();
    const e = log?.epochs[Math.max(log.bestEpoch - 1, 0)] ?? log?.epochs[log.epochs.length - 1];
    const fom = e ? e.validFom : worstValue(f);
    if (isBetter(f, fom, bestFom)) { bestFom = fom; best = k; }
  });
  return best;
}

/**
 * Judges every net of every method on the test split: per hypothesis (trained and held out) the
 * optimal cut, ε, B and σ_min, and σ_min at the common cut; ensemble mean and standard error;
 * the best net's curves and output distributions. Returns the report's RunSummary parts.
 */
export function judge(j: JudgeInput): Pick<RunSummary, 'methods' | 'reference' | 'masses' | 'history' | 'outputs' | 'judgements'> & { dropped: number[] } {
  const { search, test, nets } = j;
  const nf = test.x.length / test.table.length;
  const methods = methodsOf(j.stages, j.compareWithBce ?? true);
  const figure = figureOf(j.figure ?? { name: 'sigmaMin', params: { ...j.sensitivity, halfA: 1.5 } });
  const opts: JudgeCutOptions = { params: j.sensitivity, form: j.sensitivity.form, figure };
  const perMethod = methods.map((m) => {
    const scores = nets.map((n) => scoreSplit(m.params(n), j.model, test.x, nf));
    const optimal = scores.map((s) => optimalCuts(s, test.weights, test.incidence, opts));
    const include = search.hypotheses.map((h) => h.train);
    const v = j.validation;
    // cuts chosen on the validation split, judged on the test split: per mass, and one for all masses
    const chosen = nets.map((n) => {
      const pv = scoreSplit(m.params(n), j.model, v.x, nf);
      const own = optimalCuts(pv, v.weights, v.incidence, opts);
      return { own, common: commonCutOf(pv, v, own.value, include, opts) };
    });
    const commonCuts = chosen.map((c) => c.common);
    const common = scores.map((s, k) => cutsAt(s, test.weights, test.incidence, commonCuts[k], opts));
    const perMassChosen = scores.map((s, k) => atOwnCuts(s, test, chosen[k].own.cut, opts));
    return { m, scores, optimal, common, commonCuts, perMassChosen, best: bestNet(nets, m, figure) };
  });
  // a mass where no test signal passes a cut (σ_min = ∞) has no result: left out of the summary
  const dropped: number[] = [];
  const masses: MassPoint[] = [];
  for (const h of search.hypotheses) {
    const results: Record<string, MethodResult> = {};
    for (const pm of perMethod) {
      const s = pm.optimal.map((c) => c.sigmaMin[h.index]);
      const b: HypothesisCuts = pm.optimal[pm.best];
      const [mean, se] = meanSe(s);
      const common = meanSe(pm.common.map((c) => c.sigmaMin[h.index]))[0];
      if (!Number.isFinite(mean) || !Number.isFinite(common) || !Number.isFinite(b.cut[h.index])) break;
      results[pm.m.name] = {
        sigmaMinMean: mean, sigmaMinSe: se, sigmaMinBest: b.sigmaMin[h.index],
        cut: b.cut[h.index], efficiency: b.efficiency[h.index], background: b.background[h.index],
        sigmaMinCommon: common,
        sigmaMinValidationCut: finiteOrNull(meanSe(pm.perMassChosen.map((c) => c.sigmaMin[h.index]))[0]),
        perNet: {
          sigmaMin: s, sigmaMinCommon: pm.common.map((c) => finiteOrNull(c.sigmaMin[h.index])),
          sigmaMinValidationCut: pm.perMassChosen.map((c) => finiteOrNull(c.sigmaMin[h.index])),
          backgroundValidationCut: pm.perMassChosen.map((c) => (Number.isFinite(c.sigmaMin[h.index]) ? c.background[h.index] : null)),
        },
        ...(figure.name === 'sigmaMin' ? {} : figureResult(pm.optimal.map((c) => c.value[h.index]), b.value[h.index], pm.common.map((c) => c.value[h.index]), pm.perMassChosen.map((c) => c.value[h.index]))),
      };
    }
    if (Object.keys(results).length === perMethod.length) masses.push({ mass: h.mass, heldOut: !h.train, results });
    else dropped.push(h.mass);
  }
  const history: StageHistory[] = [];
  for (const pm of perMethod) {
    for (const log of nets[pm.best].logs.filter((l) => pm.m.stages.includes(l.stage))) {
      history.push({
        method: pm.m.name, stage: log.stage, loss: lossLabel(j.stages, log.stage), net: pm.best, bestEpoch: log.bestEpoch,
        epochs: log.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, validLoss: finiteOrNull(e.validLoss), validFom: finiteOrNull(e.validFom), lr: e.lr, ...(e.significance !== undefined && Number.isFinite(e.significance) ? { significance: e.significance } : {}) })),
      });
    }
  }
  const outputs = perMethod.map((pm) => outputDistribution(pm.m.name, pm.best, pm.scores[pm.best], j));
  // ROC, Z vs threshold, binned Z, sculpting, overtraining, per-mass ε and Punzi FOM (a/2 of the figure spec) of each method's best net
  const punziA = 2 * (j.figure?.params.halfA ?? 1.5);
  const judgements = {
    correlations: featureCorrelations(test.table), punziA,
    methods: perMethod.map((pm) => judgeFully({
      method: pm.m.name, net: pm.best, masses: search.hypotheses.map((h) => h.mass), trained: search.hypotheses.map((h) => h.train),
      test: { output: pm.scores[pm.best], label: test.table.labels(), weight: test.weights, mass: test.table.mass(), incidence: test.incidence },
      commonCut: pm.commonCuts[pm.best], punziA, massTitle: search.variable === 'mass2' ? 'M² [GeV²]' : 'M [GeV]',
      train: j.train && { output: scoreSplit(pm.m.params(nets[pm.best]), j.model, j.train.x, nf), label: j.train.labels, weight: j.train.weights },
    })),
  };
  // the reference of the ratios: the first method (the one the later stages are fine-tuned from)
  const reference = perMethod.length ? { reference: perMethod[0].m.name } : {};
  return { methods: perMethod.map((pm) => ({ name: pm.m.name, label: pm.m.label, nNets: nets.length, commonCut: pm.commonCuts[pm.best] })), ...reference, masses, history, outputs, judgements, dropped };
}

type JudgeCutOptions = CutOptions & { figure: FigureOfMerit };

/** The figure's values at one mass beside the σ_min fields (a figure other than σ_min); null: no value. */
function figureResult(perNet: number[], best: number, common: number[], validationCut: number[]): Pick<MethodResult, 'figureMean' | 'figureSe' | 'figureBest' | 'figureCommon' | 'figureValidationCut'> {
  const [mean, se] = meanSe(perNet);
  return {
    figureMean: finiteOrNull(mean), figureSe: finiteOrNull(se), figureBest: finiteOrNull(best),
    figureCommon: finiteOrNull(meanSe(common)[0]), figureValidationCut: finiteOrNull(meanSe(validationCut)[0]),
  };
}

/**
 * The one cut for all masses, chosen on the validation split: it minimises the mean over the
 * training hypotheses of the relative loss against each one's own optimal cut — σ_min(cut) /
 * σ_min(own), or own/value for a higher-is-better figure — each capped at 10³ (the seed study's
 * criterion for one common cut), so that neither the masses with the largest σ_min nor a
 * hypothesis whose signal all fails the cut (σ_min = ∞) decides alone.
 */
function commonCutOf(p: Float32Array, v: JudgedSplit, own: Float64Array, include: boolean[], opts: JudgeCutOptions): number {
  const ref = include.flatMap((inc, h) => (inc ? [own[h]] : []));
  const f = opts.figure;
  const aggregate = (values: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += relativeLoss(f, values[i], ref[i]);
    return s / values.length;
  };
  const c = bestCommonCut(p, v.weights, v.incidence, { ...opts, include, aggregate, aggregateBetter: 'lower' });
  return Number.isFinite(c.cut[0]) ? c.cut[0] : 0.5;
}

/**
 * ε, B, σ_min and the figure on `split` of each hypothesis at its own cut (chosen elsewhere, e.g.
 * on the validation split): the unbiased per-mass figure, since a cut tuned on the judged sample
 * profits from its fluctuations (most where the background MC in a window runs out, B → 0).
 */
function atOwnCuts(p: Float32Array, split: JudgedSplit, cuts: Float64Array, opts: JudgeCutOptions): { sigmaMin: Float64Array; value: Float64Array; background: Float64Array } {
  const out = { sigmaMin: new Float64Array(cuts.length).fill(Infinity), value: new Float64Array(cuts.length).fill(worstValue(opts.figure)), background: new Float64Array(cuts.length).fill(NaN) };
  const byCut = new Map<number, number[]>();
  cuts.forEach((c, h) => { if (Number.isFinite(c)) byCut.set(c, [...(byCut.get(c) ?? []), h]); });
  for (const [c, hs] of byCut) {
    const r = cutsAt(p, split.weights, split.incidence, c, opts);
    for (const h of hs) { out.sigmaMin[h] = r.sigmaMin[h]; out.value[h] = r.value[h]; out.background[h] = r.background[h]; }
  }
  return out;
}

/** Histograms of the logit of the output: background in any window (weighted), signal per hypothesis in its window. */
function outputDistribution(method: string, net: number, p: Float32Array, j: JudgeInput): OutputDistribution {
  const inc = j.test.incidence;
  const logit = (v: number): number => Math.log(Math.max(v, 1e-7) / Math.max(1 - v, 1e-7));
  let lo = Infinity, hi = -Infinity;
  for (const v of p) { const l = logit(v); if (l < lo) lo = l; if (l > hi) hi = l; }
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const nb = 50;
  const edges = Array.from({ length: nb + 1 }, (_, i) => lo + ((hi - lo) * i) / nb);
  const bin = (v: number): number => Math.min(nb - 1, Math.max(0, Math.floor(((logit(v) - lo) / (hi - lo)) * nb)));
  const background = new Array<number>(nb).fill(0);
  const inAny = new Uint8Array(p.length);
  for (let k = 0; k < inc.background.events.length; k++) inAny[inc.background.events[k]] = 1;
  for (let i = 0; i < p.length; i++) if (inAny[i]) background[bin(p[i])] += j.test.weights[i];
  const signal = j.search.hypotheses.map((h) => {
    const counts = new Array<number>(nb).fill(0);
    for (let k = inc.signal.offsets[h.index]; k < inc.signal.offsets[h.index + 1]; k++) counts[bin(p[inc.signal.events[k]])]++;
    return { mass: h.mass, counts };
  });
  return { method, net, edges, background, signal };
}

function lossLabel(stages: StageConfig[], stage: string): string {
  const s = stages.find((st, i) => stageName(st, i) === stage);
  return s ? termsLabel(stageTerms(s)) : stage;
}

function meanSe(v: number[]): [number, number] {
  const { mean, variance } = meanVariance(v);
  return [mean, Math.sqrt(variance / Math.max(v.length, 1))];
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
