import { FomlabError } from '../core/errors.js';
import { asimovDiscovery, sOverSqrtB, sOverSqrtSB } from '../physics/fom.js';
import { argsortDescendingExact } from '../physics/ordering.js';
import { type ScoredEvents, checkScored } from './scored.js';

/**
 * Significance vs threshold on the classifier output: S(t), B(t) = weighted signal and
 * background with output ≥ t, Z(t) = Asimov discovery significance (or S/√B, S/√(S+B)). A
 * threshold keeping fewer than `minSignalEvents` signal or `minBackgroundEvents` background
 * events (raw counts, default 10 and 10 as the binned rule) has Z = 0 and valid = 0, so a
 * background-free tail never reads as Z = ∞.
 */
export interface ZCurveOptions {
  /** thresholds: a count of evenly spaced values over `range` (default 101), or the values */
  thresholds?: number | ArrayLike<number>;
  /** threshold range for the evenly spaced grid (default [0, 1]) */
  range?: [number, number];
  /** thresholds at which Z is reported exactly (default 0.3, 0.5, 0.8, 0.95) */
  workingPoints?: readonly number[];
  significance?: 'asimov' | 'sOverSqrtB' | 'sOverSqrtSB';
  minSignalEvents?: number;
  minBackgroundEvents?: number;
}

export interface ZCurve {
  thresholds: Float64Array;
  z: Float64Array;
  S: Float64Array;
  B: Float64Array;
  valid: Uint8Array;
  maxZ: number;
  /** threshold of the largest Z (NaN when no threshold is valid) */
  thresholdAtMax: number;
  workingPoints: Array<{ threshold: number; z: number; S: number; B: number }>;
  /** ∫ Z dt over the thresholds (trapezoids) */
  area: number;
  /** R10 %: fraction of thresholds with Z ≥ 0.9 · maxZ (0 when maxZ = 0) */
  r10: number;
}

export function zCurve(ev: ScoredEvents, opts: ZCurveOptions = {}): ZCurve {
  const n = checkScored(ev, 'Z curve');
  const { output, label } = ev;
  const weight = ev.weight ?? null;
  const minS = opts.minSignalEvents ?? 10, minB = opts.minBackgroundEvents ?? 10;
  const zOf = opts.significance === 'sOverSqrtB' ? sOverSqrtB : opts.significance === 'sOverSqrtSB' ? sOverSqrtSB : asimovDiscovery;

  // descending outputs with cumulative sums: position p holds the totals of the first p events
  const order = argsortDescendingExact(output);
  const sorted = new Float64Array(n);
  const cS = new Float64Array(n + 1), cB = new Float64Array(n + 1), cnS = new Int32Array(n + 1), cnB = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) {
    const i = order[p];
    sorted[p] = output[i];
    const w = weight ? weight[i] : 1;
    const sig = label[i] >= 0.5;
    cS[p + 1] = cS[p] + (sig ? w : 0);
    cB[p + 1] = cB[p] + (sig ? 0 : w);
    cnS[p + 1] = cnS[p] + (sig ? 1 : 0);
    cnB[p + 1] = cnB[p] + (sig ? 0 : 1);
  }
  /** number of events with output ≥ t */
  const kept = (t: number): number => {
    let lo = 0, hi = n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] >= t) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const at = (t: number): { S: number; B: number; z: number; ok: boolean } => {
    const k = kept(t);
    const ok = cnS[k] >= minS && cnB[k] >= minB;
    return { S: cS[k], B: cB[k], z: ok ? zOf(cS[k], cB[k]) : 0, ok };
  };

  let thresholds: Float64Array;
  const spec = opts.thresholds ?? 101;
  if (typeof spec === 'number') {
    const [a, b] = opts.range ?? [0, 1];
    if (!(Number.isInteger(spec) && spec >= 2)) throw new FomlabError(`zcurve.thresholds must be an integer ≥ 2 or a list, got ${spec}`);
    if (!(b > a)) throw new FomlabError(`zcurve.range must be [low, high] with high > low, got [${a}, ${b}]`);
    thresholds = Float64Array.from({ length: spec }, (_, k) => a + ((b - a) * k) / (spec - 1));
  } else {
    thresholds = Float64Array.from(spec).sort();
    if (thresholds.length < 1) throw new FomlabError('zcurve.thresholds is empty');
  }
  const T = thresholds.length;
  const z = new Float64Array(T), S = new Float64Array(T), B = new Float64Array(T), valid = new Uint8Array(T);
  let maxZ = 0, tMax = NaN;
  for (let k = 0; k < T; k++) {
    const r = at(thresholds[k]);
    z[k] = r.z; S[k] = r.S; B[k] = r.B; valid[k] = r.ok ? 1 : 0;
    if (r.ok && (Number.isNaN(tMax) || r.z > maxZ)) { maxZ = r.z; tMax = thresholds[k]; }
  }
  let area = 0;
  for (let k = 1; k < T; k++) area += ((thresholds[k] - thresholds[k - 1]) * (z[k] + z[k - 1])) / 2;
  let near = 0;
  if (maxZ > 0) for (let k = 0; k < T; k++) if (z[k] >= 0.9 * maxZ) near++;
  const workingPoints = (opts.workingPoints ?? [0.3, 0.5, 0.8, 0.95]).map((t) => {
    const r = at(t);
    return { threshold: t, z: r.z, S: r.S, B: r.B };
  });
  return { thresholds, z, S, B, valid, maxZ, thresholdAtMax: tMax, workingPoints, area, r10: near / T };
}
