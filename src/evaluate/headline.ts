import type { MassPoint, RunSummary } from './summary.js';
import { meanVariance } from './spread.js';

/**
 * The run's headline with error bars over nets: where a fine-tuned method (the Punzi-net) beats
 * its reference (the BCE-only nets it was fine-tuned from) and where it does not. Net k of both
 * methods shares seed and pre-training, so every statistic is first taken per net k on the paired
 * σ_min values (summary `perNet`), then averaged: mean ± standard error over nets (s.e. = s/√n).
 */
export interface MeanSe {
  mean: number;
  /** standard error of the mean over nets (0 for one net) */
  se: number;
  /** nets that had a value */
  n: number;
}

export type Verdict = 'helps' | 'hurts' | 'consistent';

export interface MassVerdict {
  mass: number;
  heldOut: boolean;
  /** σ_min(method)/σ_min(reference) per net at each one's optimal cut, mean ± s.e. */
  ratio: MeanSe;
  /** helps: ratio + 2 s.e. < 1; hurts: ratio − 2 s.e. > 1; else consistent with no change */
  verdict: Verdict;
}

/**
 * One common cut against per-mass cuts (both chosen on validation, judged on test), per net:
 * mean over masses of σ_min(common cut)/σ_min(per-mass cut) − 1.
 */
export interface CommonCutPenalty {
  /** over every mass with a value */
  all: MeanSe;
  /**
   * without the masses where the per-mass cut selects no background (B = 0, σ_min = c/(εL)):
   * there any cut that lets one background event through looks much worse
   */
  withoutZeroB: MeanSe;
  /** masses with B = 0 at the per-mass cut (mean over nets) */
  zeroBMasses: number;
}

export interface Headline {
  method: string;
  reference: string;
  nets: number;
  /** the mass below which `lowMassRatio` averages (GeV) */
  below: number;
  /** geometric mean over masses < `below` of σ_min(method)/σ_min(reference), per net */
  lowMassRatio: MeanSe;
  /** masses where the net's σ_min is below its reference's, per net */
  improved: MeanSe;
  /** the geometric-mean ratio over held-out masses divided by that over trained masses, per net (1: generalises as well as it fits) */
  heldOutVsTrained: MeanSe;
  /** the method's common cut against its own per-mass cuts */
  commonCut: CommonCutPenalty;
  /** the paper's fig. 7: the method at its common cut against the reference at the reference's per-mass cuts */
  commonCutVsReference: CommonCutPenalty;
  masses: MassVerdict[];
}

/** mean ± standard error of the finite values */
export function meanSe(values: ReadonlyArray<number | null>): MeanSe {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, se: NaN, n: 0 };
  const { mean, variance } = meanVariance(v);
  return { mean, se: Math.sqrt(variance / n), n };
}

/** net k's geometric mean over `masses` of σ_min(method)/σ_min(reference) */
function geometricRatio(masses: MassPoint[], method: string, reference: string, k: number): number | null {
  if (masses.length === 0) return null;
  let s = 0;
  for (const m of masses) s += Math.log(m.results[method].perNet!.sigmaMin[k] / m.results[reference].perNet!.sigmaMin[k]);
  return Math.exp(s / masses.length);
}

/**
 * Per net, the mean over masses of σ_min(`method` at its common cut)/σ_min(`against` at its cut
 * chosen on validation) − 1, over all masses and without those where `against`'s cut has B = 0.
 */
export function commonCutPenalty(masses: MassPoint[], method: string, against: string, nets: number): CommonCutPenalty {
  const all: Array<number | null> = [], clean: Array<number | null> = [], zeroB: number[] = [];
  for (let k = 0; k < nets; k++) {
    let sa = 0, na = 0, sc = 0, nc = 0, z = 0;
    for (const m of masses) {
      const common = m.results[method].perNet!.sigmaMinCommon[k];
      const own = m.results[against].perNet!;
      const ref = own.sigmaMinValidationCut[k], b = own.backgroundValidationCut[k];
      if (common === null || ref === null) continue;
      const r = common / ref - 1;
      sa += r; na++;
      if (b === 0) z++;
      else { sc += r; nc++; }
    }
    all.push(na ? sa / na : null);
    clean.push(nc ? sc / nc : null);
    zeroB.push(z);
  }
  return { all: meanSe(all), withoutZeroB: meanSe(clean), zeroBMasses: meanSe(zeroB).mean };
}

/**
 * The headline of `method` against `reference` (default: the summary's reference and its last
 * method), or null when the summary has no per-net results (runs of older fomlab versions).
 */
export function headlineOf(s: RunSummary, o: { method?: string; reference?: string; below?: number } = {}): Headline | null {
  const names = s.methods.map((m) => m.name);
  const reference = o.reference ?? s.reference ?? names[0];
  const method = o.method ?? names[names.length - 1];
  const below = o.below ?? 4;
  if (method === reference || !names.includes(method) || !names.includes(reference)) return null;
  const masses = [...s.masses].sort((a, b) => a.mass - b.mass);
  if (masses.length === 0 || masses.some((m) => !m.results[method].perNet || !m.results[reference].perNet)) return null;
  const nets = Math.min(masses[0].results[method].perNet!.sigmaMin.length, masses[0].results[reference].perNet!.sigmaMin.length);
  const low = masses.filter((m) => m.mass < below);
  const held = masses.filter((m) => m.heldOut), trained = masses.filter((m) => !m.heldOut);
  const perNet = <T>(f: (k: number) => T): T[] => Array.from({ length: nets }, (_, k) => f(k));
  const ratioOf = (m: MassPoint, k: number): number => m.results[method].perNet!.sigmaMin[k] / m.results[reference].perNet!.sigmaMin[k];
  return {
    method, reference, nets, below,
    lowMassRatio: meanSe(perNet((k) => geometricRatio(low, method, reference, k))),
    improved: meanSe(perNet((k) => masses.filter((m) => ratioOf(m, k) < 1).length)),
    heldOutVsTrained: meanSe(perNet((k) => {
      const h = geometricRatio(held, method, reference, k), t = geometricRatio(trained, method, reference, k);
      return h === null || t === null ? null : h / t;
    })),
    commonCut: commonCutPenalty(masses, method, method, nets),
    commonCutVsReference: commonCutPenalty(masses, method, reference, nets),
    masses: masses.map((m) => {
      const ratio = meanSe(perNet((k) => ratioOf(m, k)));
      const verdict: Verdict = ratio.mean + 2 * ratio.se < 1 ? 'helps' : ratio.mean - 2 * ratio.se > 1 ? 'hurts' : 'consistent';
      return { mass: m.mass, heldOut: m.heldOut, ratio, verdict };
    }),
  };
}

/** Consecutive masses with the same verdict, e.g. [{from: 0.1, to: 0.9, verdict: 'hurts'}, …] */
export function verdictRanges(h: Headline): Array<{ from: number; to: number; verdict: Verdict; count: number }> {
  const out: Array<{ from: number; to: number; verdict: Verdict; count: number }> = [];
  for (const m of h.masses) {
    const last = out[out.length - 1];
    if (last && last.verdict === m.verdict) { last.to = m.mass; last.count++; } else out.push({ from: m.mass, to: m.mass, verdict: m.verdict, count: 1 });
  }
  return out;
}

/** 'mean ± s.e.' with `digits` decimals; percent: times 100, signed, with ' %' ('–' without a value) */
export function formatMeanSe(v: MeanSe, digits: number, percent = false): string {
  if (!Number.isFinite(v.mean)) return '–';
  const f = percent ? 100 : 1;
  return `${percent && v.mean >= 0 ? '+' : ''}${(v.mean * f).toFixed(digits)} ± ${(v.se * f).toFixed(digits)}${percent ? ' %' : ''}`;
}

/** masses as ranges of consecutive hypotheses, e.g. '0.1–0.9, 1.7 GeV' */
function rangesText(h: Headline, verdict: Verdict): string {
  const step = h.masses.length > 1 ? Math.min(...h.masses.slice(1).map((m, i) => m.mass - h.masses[i].mass)) : 0;
  const parts: string[] = [];
  let from: number | null = null, to = 0;
  for (const m of h.masses) {
    if (m.verdict !== verdict) continue;
    if (from !== null && m.mass - to <= step * 1.5) { to = m.mass; continue; }
    if (from !== null) parts.push(from === to ? `${from}` : `${from}–${to}`);
    from = to = m.mass;
  }
  if (from !== null) parts.push(from === to ? `${from}` : `${from}–${to}`);
  return parts.length ? `${parts.join(', ')} GeV` : '';
}

/**
 * The headline as plain sentences (the console and the report print them): where the method
 * helps and where not, with standard errors over nets, and the common cut's penalty under both
 * definitions (all masses; without masses where the per-mass cut has B = 0).
 */
export function headlineSentences(h: Headline, label: (method: string) => string = (m) => m): string[] {
  const me = label(h.method), ref = label(h.reference);
  const count = (v: Verdict): number => h.masses.filter((m) => m.verdict === v).length;
  const where = (v: Verdict, what: string): string => (count(v) ? `${what} at ${count(v)} mass${count(v) === 1 ? '' : 'es'} (${rangesText(h, v)})` : `${what} at no mass`);
  return [
    `${me} vs ${ref}, ${h.nets} nets paired by seed (mean ± standard error over nets, test split): geometric-mean σ_min ratio below ${h.below} GeV ${formatMeanSe(h.lowMassRatio, 3)}; `
      + `lower σ_min at ${formatMeanSe(h.improved, 1)} of ${h.masses.length} masses; held-out/trained ratio ${formatMeanSe(h.heldOutVsTrained, 3)}.`,
    `${where('helps', 'Helps (ratio + 2 s.e. < 1)')}; ${where('hurts', 'hurts (ratio − 2 s.e. > 1)')}; consistent with no change at ${count('consistent')}.`,
    `One common cut on the ${me} output (chosen on validation: least mean σ_min(cut)/σ_min(own cut) over the trained masses) against its per-mass cuts (chosen on validation), judged on test: `
      + `${formatMeanSe(h.commonCut.all, 0, true)} σ_min over all masses; ${formatMeanSe(h.commonCut.withoutZeroB, 0, true)} without the ${h.commonCut.zeroBMasses.toFixed(1)} masses where the per-mass cut selects B = 0 (σ_min = c/(εL), which any cut letting background through loses to). `
      + `Against ${ref}'s per-mass cuts (the paper's fig. 7): ${formatMeanSe(h.commonCutVsReference.all, 0, true)} over all masses, ${formatMeanSe(h.commonCutVsReference.withoutZeroB, 0, true)} without B = 0 masses.`,
  ];
}
