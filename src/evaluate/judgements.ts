import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import type { Column } from '../physics/ordering.js';
import type { WindowIncidence } from '../physics/windows.js';
import { binnedSignificance } from './binned.js';
import { correlationMatrix } from './correlations.js';
import { cutsAt } from './cuts.js';
import type { ClassOvertraining, FeatureCorrelations, MassJudgement, MethodJudgements, OvertrainingSummary } from './judgement-summary.js';
import { weightedKs } from './overtraining.js';
import { maxPunziFom } from './punzi-scan.js';
import { rocAuc, rocCurve } from './roc.js';
import type { ScoredEvents } from './scored.js';
import { backgroundDisco, massSculpting } from './sculpting.js';
import { zCurve } from './zcurve.js';

/** One method's scored events: the test split with its windows, and optionally the training split. */
export interface JudgementInput {
  method: string;
  net: number;
  /** test split: output of the net, label, weight (≥ 0, scaled to the whole sample), mass, windows */
  test: { output: Column; label: Column; weight: Column; mass: Column | null; incidence: WindowIncidence };
  /** hypothesis masses (GeV) and which ones were trained on */
  masses: readonly number[];
  trained: readonly boolean[];
  /** the method's one cut for all masses (efficiency vs mass is drawn at it) */
  commonCut: number;
  /** axis title of the test split's mass column (the scanned variable), e.g. 'M² [GeV²]' */
  massTitle: string;
  /** Punzi's a (a/2 in the FOM's denominator) */
  punziA: number;
  /** the training split's events (all inside a training window) and the net's output on them */
  train?: { output: Column; label: Column; weight: Column } | null;
}

/** Rows of the events inside a window of one of `hs` (signal: inside its own), ascending. */
export function windowRows(inc: WindowIncidence, hs: readonly number[]): Uint32Array {
  if (hs.length === 1) {
    // one hypothesis: merge its two ascending rows (no pass over all events)
    const h = hs[0], s = inc.signal.events.subarray(inc.signal.offsets[h], inc.signal.offsets[h + 1]);
    const b = inc.background.events.subarray(inc.background.offsets[h], inc.background.offsets[h + 1]);
    const out = new Uint32Array(s.length + b.length);
    for (let i = 0, j = 0, k = 0; k < out.length; k++) out[k] = j >= b.length || (i < s.length && s[i] < b[j]) ? s[i++] : b[j++];
    return out;
  }
  const mark = new Uint8Array(inc.nEvents);
  for (const rows of [inc.signal, inc.background]) for (const h of hs) for (let k = rows.offsets[h]; k < rows.offsets[h + 1]; k++) mark[rows.events[k]] = 1;
  const out: number[] = [];
  for (let i = 0; i < mark.length; i++) if (mark[i]) out.push(i);
  return Uint32Array.from(out);
}

/** The values of `rows`, float32 kept float32 (its sorts are radix sorts). */
function gather(c: Column, rows: ArrayLike<number>): Column {
  return c instanceof Float32Array ? Float32Array.from(rows, (i) => c[i]) : Float64Array.from(rows, (i) => c[i]);
}

function subset(t: JudgementInput['test'], rows: Uint32Array): ScoredEvents {
  return { output: gather(t.output, rows), label: gather(t.label, rows), weight: gather(t.weight, rows), mass: t.mass ? gather(t.mass, rows) : null };
}

/** null instead of a FomlabError (a judgement that this sample cannot give, e.g. no background). */
function orNull<T>(f: () => T): T | null {
  try { return f(); } catch (e) { if (e instanceof FomlabError) return null; throw e; }
}

const round = (v: number): number => Number(v.toPrecision(6));
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Every judgement of one method (see judgement-summary.ts). */
export function judgeFully(j: JudgementInput): MethodJudgements {
  const H = j.masses.length;
  const all = subset(j.test, windowRows(j.test.incidence, Array.from({ length: H }, (_, h) => h)));
  const roc = rocCurve(all);
  const stride = Math.max(1, Math.ceil(roc.fpr.length / 400));
  const keep = Array.from(roc.fpr.keys()).filter((k) => k % stride === 0 || k === roc.fpr.length - 1);
  const zc = zCurve(all);
  const binned = all.mass ? orNull(() => binnedSignificance(all)) : null;
  const sculpt = all.mass ? orNull(() => ({ s: massSculpting(all), d: backgroundDisco(all) })) : null;
  const eff = cutsAt(j.test.output, j.test.weight, j.test.incidence, j.commonCut).efficiency;
  const punzi = maxPunziFom(j.test.output, j.test.weight, j.test.incidence, j.punziA);
  const perMass: MassJudgement[] = j.masses.map((mass, h) => {
    const ev = subset(j.test, windowRows(j.test.incidence, [h]));
    return {
      mass, auc: orNull(() => rocAuc(ev)), maxZ: ev.output.length ? zCurve(ev, { thresholds: 201 }).maxZ : 0,
      binnedZ: ev.mass ? orNull(() => binnedSignificance(ev).z) : null,
      efficiencyCommon: eff[h], punziFom: punzi.fom[h], punziCut: finiteOrNull(punzi.cut[h]),
    };
  });
  return {
    method: j.method, net: j.net,
    roc: { fpr: keep.map((k) => round(roc.fpr[k])), tpr: keep.map((k) => round(roc.tpr[k])), auc: roc.auc },
    zCurve: {
      significance: 'Asimov discovery Z of S, B (weighted test events with output ≥ threshold, in any window)',
      thresholds: Array.from(zc.thresholds, round), z: Array.from(zc.z, round), maxZ: zc.maxZ, thresholdAtMax: finiteOrNull(zc.thresholdAtMax),
      workingPoints: zc.workingPoints, area: zc.area, r10: zc.r10, minSignalEvents: 10, minBackgroundEvents: 10,
    },
    binned: binned && {
      z: binned.z,
      bins: binned.bins.map((b) => ({ outputLow: finiteOrNull(b.outputLow), outputHigh: finiteOrNull(b.outputHigh), massLow: finiteOrNull(b.massLow), massHigh: finiteOrNull(b.massHigh), S: b.S, B: b.B, z: b.z, used: b.used })),
    },
    sculpting: sculpt && {
      massTitle: j.massTitle,
      outputEdges: Array.from(sculpt.s.outputEdges, finiteOrNull), massEdges: Array.from(sculpt.s.massEdges, round),
      histograms: sculpt.s.histograms.map((h) => Array.from(h, round)), meanStd: sculpt.s.meanStd, disco: sculpt.d.value, discoEvents: sculpt.d.events,
    },
    overtraining: j.train ? overtraining(j.train, subset(j.test, windowRows(j.test.incidence, j.trained.flatMap((t, h) => (t ? [h] : []))))) : null,
    perMass,
  };
}

const logit = (p: number): number => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));

/** Train vs test output per class: unit-sum logit histograms (40 bins) and the weighted KS test. */
function overtraining(train: NonNullable<JudgementInput['train']>, test: ScoredEvents): OvertrainingSummary | null {
  const nb = 40;
  let lo = Infinity, hi = -Infinity;
  for (const c of [train.output, test.output]) for (const v of c) { const l = logit(v); lo = Math.min(lo, l); hi = Math.max(hi, l); }
  if (!(hi > lo)) { lo -= 1; hi += 1; }
  const edges = Array.from({ length: nb + 1 }, (_, k) => round(lo + ((hi - lo) * k) / nb));
  const side = (sig: boolean): ClassOvertraining | null => {
    const part = (ev: { output: Column; label: Column; weight?: Column | null }): { x: Column; w: Float64Array; hist: number[] } => {
      const rows: number[] = [];
      for (let i = 0; i < ev.output.length; i++) if ((ev.label[i] >= 0.5) === sig) rows.push(i);
      const x = gather(ev.output, rows), w = Float64Array.from(rows, (i) => Math.max(0, ev.weight ? ev.weight[i] : 1));
      const hist = new Array<number>(nb).fill(0);
      let sum = 0;
      x.forEach((v, k) => { hist[Math.min(nb - 1, Math.max(0, Math.floor(((logit(v) - lo) / (hi - lo)) * nb)))] += w[k]; sum += w[k]; });
      return { x, w, hist: hist.map((c) => round(sum > 0 ? c / sum : 0)) };
    };
    const a = part(train), b = part(test);
    const ks = orNull(() => weightedKs(a.x, a.w, b.x, b.w));
    return ks && { train: a.hist, test: b.hist, ks: ks.statistic, pValue: ks.pValue, nTrainEff: ks.nA, nTestEff: ks.nB };
  };
  const signal = side(true), background = side(false);
  if (!signal || !background) return null;
  return { test: 'weighted Kolmogorov–Smirnov (effective counts (Σw)²/Σw², asymptotic p)', edges, signal, background };
}

/** Weighted feature correlations of a table's features, signal and background separately. */
export function featureCorrelations(table: EventTable): FeatureCorrelations | null {
  const features = table.roles.features;
  if (features.length === 0) return null;
  const cols = features.map((name) => ({ name, values: table.column(name) }));
  const w = table.hasRole('weight') ? table.weights() : null;
  const label = table.hasRole('label') ? table.labels() : null;
  const of = (sig: boolean): number[][] | null => {
    const rows: number[] = [];
    for (let i = 0; i < table.length; i++) if (!label || (label[i] >= 0.5) === sig) rows.push(i);
    if (rows.length < 2) return null;
    return correlationMatrix(cols, w, rows).matrix.map((r) => r.map(round));
  };
  return { features, signal: label ? of(true) : null, background: of(false) };
}
