import type { AttributionSummary, BinnedSummary, ClassOvertraining, FeatureCorrelations, Judgements, MassJudgement, MethodJudgements, OvertrainingSummary, SculptingSummary, ZCurveSummary } from '../evaluate/judgement-summary.js';
import type { Checker } from './validate.js';

/** Validates the summary's `judgements` section (see evaluate/judgement-summary.ts); errors name the field. */
export function judgementsOf(c: Checker, v: unknown, names: string[]): Judgements {
  const o = c.obj(v, 'judgements');
  return {
    correlations: o.correlations === null || o.correlations === undefined ? null : correlations(c, o.correlations),
    punziA: c.num(o.punziA, 'judgements.punziA'),
    methods: c.arr(o.methods, 'judgements.methods').map((m, i) => method(c, m, `judgements.methods[${i}]`, names)),
    ...(o.attributions === undefined ? {} : { attributions: nullable(o.attributions, () => attributions(c, o.attributions)) }),
  };
}

function attributions(c: Checker, v: unknown): AttributionSummary {
  const p = 'judgements.attributions', o = c.obj(v, p);
  return {
    method: c.str(o.method, `${p}.method`), net: c.num(o.net, `${p}.net`), steps: c.num(o.steps, `${p}.steps`),
    baselinesPerEvent: c.num(o.baselinesPerEvent, `${p}.baselinesPerEvent`), events: c.num(o.events, `${p}.events`),
    completenessGap: c.num(o.completenessGap, `${p}.completenessGap`),
    features: c.arr(o.features, `${p}.features`).map((f, i) => {
      const q = `${p}.features[${i}]`, fo = c.obj(f, q);
      return { feature: c.str(fo.feature, `${q}.feature`), meanAbs: c.num(fo.meanAbs, `${q}.meanAbs`), meanSignal: c.num(fo.meanSignal, `${q}.meanSignal`), meanBackground: c.num(fo.meanBackground, `${q}.meanBackground`) };
    }),
  };
}

const nullable = <T>(v: unknown, f: () => T): T | null => (v === null || v === undefined ? null : f());

function sameLength(c: Checker, a: unknown[], n: number, p: string): void {
  if (a.length !== n) c.fail(p, `has ${a.length} values, expected ${n}`);
}

function square(c: Checker, v: unknown, n: number, p: string): number[][] {
  const rows = c.arr(v, p).map((r, i) => c.nums(r, `${p}[${i}]`));
  sameLength(c, rows, n, p);
  rows.forEach((r, i) => sameLength(c, r, n, `${p}[${i}]`));
  return rows;
}

function correlations(c: Checker, v: unknown): FeatureCorrelations {
  const o = c.obj(v, 'judgements.correlations');
  const features = c.arr(o.features, 'judgements.correlations.features').map((f, i) => c.str(f, `judgements.correlations.features[${i}]`));
  const m = (x: unknown, k: string): number[][] | null => nullable(x, () => square(c, x, features.length, `judgements.correlations.${k}`));
  return { features, signal: m(o.signal, 'signal'), background: m(o.background, 'background') };
}

function method(c: Checker, v: unknown, p: string, names: string[]): MethodJudgements {
  const o = c.obj(v, p);
  const roc = c.obj(o.roc, `${p}.roc`);
  const fpr = c.nums(roc.fpr, `${p}.roc.fpr`), tpr = c.nums(roc.tpr, `${p}.roc.tpr`);
  sameLength(c, tpr, fpr.length, `${p}.roc.tpr`);
  const auc = c.num(roc.auc, `${p}.roc.auc`);
  if (auc < 0 || auc > 1) c.fail(`${p}.roc.auc`, `is ${auc}, must be in [0, 1]`);
  return {
    method: c.methodName(o.method, `${p}.method`, names), net: c.num(o.net, `${p}.net`),
    roc: { fpr, tpr, auc }, zCurve: zCurve(c, o.zCurve, `${p}.zCurve`),
    binned: nullable(o.binned, () => binned(c, o.binned, `${p}.binned`)),
    sculpting: nullable(o.sculpting, () => sculpting(c, o.sculpting, `${p}.sculpting`)),
    overtraining: nullable(o.overtraining, () => overtraining(c, o.overtraining, `${p}.overtraining`)),
    perMass: c.arr(o.perMass, `${p}.perMass`).map((x, i) => massJudgement(c, x, `${p}.perMass[${i}]`)),
  };
}

function zCurve(c: Checker, v: unknown, p: string): ZCurveSummary {
  const o = c.obj(v, p);
  const thresholds = c.nums(o.thresholds, `${p}.thresholds`), z = c.nums(o.z, `${p}.z`);
  sameLength(c, z, thresholds.length, `${p}.z`);
  return {
    significance: c.str(o.significance, `${p}.significance`), thresholds, z, maxZ: c.num(o.maxZ, `${p}.maxZ`), thresholdAtMax: c.numOrNull(o.thresholdAtMax, `${p}.thresholdAtMax`),
    workingPoints: c.arr(o.workingPoints, `${p}.workingPoints`).map((w, i) => {
      const q = `${p}.workingPoints[${i}]`, wo = c.obj(w, q);
      return { threshold: c.num(wo.threshold, `${q}.threshold`), z: c.num(wo.z, `${q}.z`), S: c.num(wo.S, `${q}.S`), B: c.num(wo.B, `${q}.B`) };
    }),
    area: c.num(o.area, `${p}.area`), r10: c.num(o.r10, `${p}.r10`),
    minSignalEvents: c.num(o.minSignalEvents, `${p}.minSignalEvents`), minBackgroundEvents: c.num(o.minBackgroundEvents, `${p}.minBackgroundEvents`),
  };
}

function binned(c: Checker, v: unknown, p: string): BinnedSummary {
  const o = c.obj(v, p);
  return {
    z: c.num(o.z, `${p}.z`),
    bins: c.arr(o.bins, `${p}.bins`).map((b, i) => {
      const q = `${p}.bins[${i}]`, bo = c.obj(b, q);
      return {
        outputLow: c.numOrNull(bo.outputLow, `${q}.outputLow`), outputHigh: c.numOrNull(bo.outputHigh, `${q}.outputHigh`),
        massLow: c.numOrNull(bo.massLow, `${q}.massLow`), massHigh: c.numOrNull(bo.massHigh, `${q}.massHigh`),
        S: c.num(bo.S, `${q}.S`), B: c.num(bo.B, `${q}.B`), z: c.num(bo.z, `${q}.z`), used: c.bool(bo.used, `${q}.used`),
      };
    }),
  };
}

function sculpting(c: Checker, v: unknown, p: string): SculptingSummary {
  const o = c.obj(v, p);
  const outputEdges = c.arr(o.outputEdges, `${p}.outputEdges`).map((x, i) => c.numOrNull(x, `${p}.outputEdges[${i}]`));
  const massEdges = c.nums(o.massEdges, `${p}.massEdges`);
  const histograms = c.arr(o.histograms, `${p}.histograms`).map((h, i) => c.nums(h, `${p}.histograms[${i}]`));
  sameLength(c, histograms, outputEdges.length - 1, `${p}.histograms`);
  histograms.forEach((h, i) => sameLength(c, h, massEdges.length - 1, `${p}.histograms[${i}]`));
  return { massTitle: c.str(o.massTitle, `${p}.massTitle`), outputEdges, massEdges, histograms, meanStd: c.num(o.meanStd, `${p}.meanStd`), disco: c.num(o.disco, `${p}.disco`), discoEvents: c.num(o.discoEvents, `${p}.discoEvents`) };
}

function overtraining(c: Checker, v: unknown, p: string): OvertrainingSummary {
  const o = c.obj(v, p);
  const edges = c.nums(o.edges, `${p}.edges`);
  const side = (x: unknown, q: string): ClassOvertraining => {
    const so = c.obj(x, q);
    const train = c.nums(so.train, `${q}.train`), test = c.nums(so.test, `${q}.test`);
    sameLength(c, train, edges.length - 1, `${q}.train`);
    sameLength(c, test, edges.length - 1, `${q}.test`);
    const pValue = c.num(so.pValue, `${q}.pValue`);
    if (pValue < 0 || pValue > 1) c.fail(`${q}.pValue`, `is ${pValue}, must be in [0, 1]`);
    return { train, test, ks: c.num(so.ks, `${q}.ks`), pValue, nTrainEff: c.num(so.nTrainEff, `${q}.nTrainEff`), nTestEff: c.num(so.nTestEff, `${q}.nTestEff`) };
  };
  return { test: c.str(o.test, `${p}.test`), edges, signal: side(o.signal, `${p}.signal`), background: side(o.background, `${p}.background`) };
}

function massJudgement(c: Checker, v: unknown, p: string): MassJudgement {
  const o = c.obj(v, p);
  return {
    mass: c.num(o.mass, `${p}.mass`), auc: c.numOrNull(o.auc, `${p}.auc`), maxZ: c.num(o.maxZ, `${p}.maxZ`), binnedZ: c.numOrNull(o.binnedZ, `${p}.binnedZ`),
    efficiencyCommon: c.num(o.efficiencyCommon, `${p}.efficiencyCommon`), punziFom: c.num(o.punziFom, `${p}.punziFom`), punziCut: c.numOrNull(o.punziCut, `${p}.punziCut`),
  };
}
