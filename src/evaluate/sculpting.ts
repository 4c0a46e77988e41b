import { FomlabError } from '../core/errors.js';
import { argsort, lowerBound, weightedQuantiles } from '../physics/ordering.js';
import { type DiscoOptions, type DiscoResult, distanceCorrelation } from './disco.js';
import { type ScoredEvents, checkScored } from './scored.js';

/**
 * Mass sculpting (seed 001 §4.4): the output is cut into `outputBins` bins (e_k, e_k+1] of equal
 * (weighted) signal; in each, the background mass histogram (`massBins` bins over `massRange`, default the
 * background's min…max) is normalised to unit sum. Per mass bin the standard deviation across
 * output bins (population, over output bins holding background) measures how much the selection
 * reshapes the background; `meanStd` averages it over the mass bins. 0 = no sculpting.
 */
export interface SculptingOptions {
  outputBins?: number;
  massBins?: number;
  massRange?: [number, number];
}

export interface MassSculpting {
  /** output bin edges (−∞ … +∞), outputBins + 1 */
  outputEdges: Float64Array;
  /** mass bin edges, massBins + 1 */
  massEdges: Float64Array;
  /** per output bin, the background mass histogram normalised to unit sum (zeros if empty) */
  histograms: Float64Array[];
  /** output bins with background weight > 0 (the ones the spread is taken over) */
  filled: boolean[];
  stdPerMassBin: Float64Array;
  meanStd: number;
}

export function massSculpting(ev: ScoredEvents, opts: SculptingOptions = {}): MassSculpting {
  const n = checkScored(ev, 'mass sculpting', true);
  const nOut = opts.outputBins ?? 5, nMass = opts.massBins ?? 40;
  if (!(Number.isInteger(nOut) && nOut >= 2)) throw new FomlabError(`sculpting.outputBins must be an integer ≥ 2, got ${nOut}`);
  if (!(Number.isInteger(nMass) && nMass >= 1)) throw new FomlabError(`sculpting.massBins must be an integer ≥ 1, got ${nMass}`);
  const { output, label } = ev;
  const mass = ev.mass!;
  const weight = ev.weight ?? null;

  const sig: number[] = [];
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (label[i] >= 0.5) sig.push(i);
    else if (Number.isFinite(mass[i])) { lo = Math.min(lo, mass[i]); hi = Math.max(hi, mass[i]); }
  }
  if (sig.length === 0) throw new FomlabError('mass sculpting: no signal events to set the equal-signal output bins (label column)');
  if (!(hi >= lo)) throw new FomlabError('mass sculpting: no background events with a finite mass');
  const [m0, m1] = opts.massRange ?? [lo, hi > lo ? hi : lo + 1];
  if (!(m1 > m0)) throw new FomlabError(`sculpting.massRange must be [low, high] with high > low, got [${m0}, ${m1}]`);
  const inner = weightedQuantiles(output, weight, argsort(output, false, Int32Array.from(sig)), Array.from({ length: nOut - 1 }, (_, k) => (k + 1) / nOut));
  const innerEdges = Float64Array.from(inner);
  const massEdges = Float64Array.from({ length: nMass + 1 }, (_, k) => m0 + ((m1 - m0) * k) / nMass);

  const hist = Array.from({ length: nOut }, () => new Float64Array(nMass));
  for (let i = 0; i < n; i++) {
    if (label[i] >= 0.5) continue;
    const x = mass[i];
    if (!(x >= m0 && x <= m1)) continue;
    const mb = Math.min(nMass - 1, Math.floor(((x - m0) / (m1 - m0)) * nMass));
    hist[lowerBound(innerEdges, output[i])][mb] += weight ? weight[i] : 1;
  }
  const filled = hist.map((h) => {
    const s = h.reduce((a, b) => a + b, 0);
    if (s > 0) for (let k = 0; k < nMass; k++) h[k] /= s;
    else h.fill(0);
    return s > 0;
  });
  const used = hist.filter((_, b) => filled[b]);
  const std = new Float64Array(nMass);
  if (used.length > 0) {
    for (let k = 0; k < nMass; k++) {
      let mean = 0;
      for (const h of used) mean += h[k];
      mean /= used.length;
      let v = 0;
      for (const h of used) v += (h[k] - mean) ** 2;
      std[k] = Math.sqrt(v / used.length);
    }
  }
  return {
    outputEdges: Float64Array.from([-Infinity, ...inner, Infinity]), massEdges, histograms: hist, filled,
    stdPerMassBin: std, meanStd: std.reduce((a, b) => a + b, 0) / nMass,
  };
}

/** DisCo between classifier output and mass for the background events (negative weights set to 0). */
export function backgroundDisco(ev: ScoredEvents, opts: DiscoOptions = {}): DiscoResult {
  const n = checkScored(ev, 'DisCo', true);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (!(ev.label[i] >= 0.5)) rows.push(i);
  if (rows.length < 2) throw new FomlabError('DisCo: fewer than 2 background events');
  const out = Float64Array.from(rows, (i) => ev.output[i]);
  const m = Float64Array.from(rows, (i) => ev.mass![i]);
  const w = ev.weight ? Float64Array.from(rows, (i) => Math.max(0, ev.weight![i])) : null;
  return distanceCorrelation(out, m, w, opts);
}
