import { FomlabError } from '../core/errors.js';
import { asimovDiscovery, asimovExclusion, combineQuadrature } from '../physics/fom.js';
import { argsort, weightedQuantiles } from '../physics/ordering.js';
import { type ScoredEvents, checkScored } from './scored.js';

/**
 * Binned significance (seed 001 §3.3, the ETN paper): the classifier output is cut into `bins`
 * bins (e_k, e_k+1] holding equal (weighted) signal (edges: signal quantiles k/bins); in each bin a mass window [m_lo, m_hi] holds the central
 * `windowFrom`–`windowTo` (5–95 %) of that bin's signal; S and B are the weighted signal and
 * background in bin and window; Z_i is the Asimov median significance of (S, B); the bins combine
 * in quadrature, Z = √(Σ Z_i²). A bin with fewer than `minSignalEvents` signal or
 * `minBackgroundEvents` background events (raw counts; thesis §6.4.3 uses 10) contributes 0.
 */
export interface BinnedOptions {
  bins?: number;
  windowFrom?: number;
  windowTo?: number;
  minSignalEvents?: number;
  minBackgroundEvents?: number;
  /** Asimov discovery (default) or exclusion significance per bin */
  significance?: 'discovery' | 'exclusion';
}

export interface SignificanceBin {
  /** output range (outputLow, outputHigh] (−∞ / +∞ at the ends) */
  outputLow: number;
  outputHigh: number;
  /** mass window [massLow, massHigh] on the scanned variable */
  massLow: number;
  massHigh: number;
  /** weighted signal and background in bin and window */
  S: number;
  B: number;
  /** raw event counts in bin and window */
  nS: number;
  nB: number;
  z: number;
  /** false when the minimum-events rule dropped the bin */
  used: boolean;
}

export interface BinnedSignificance {
  /** combined significance √(Σ Z_i²) over the used bins */
  z: number;
  bins: SignificanceBin[];
}

export function binnedSignificance(ev: ScoredEvents, opts: BinnedOptions = {}): BinnedSignificance {
  const n = checkScored(ev, 'binned significance', true);
  const nb = opts.bins ?? 8;
  if (!(Number.isInteger(nb) && nb >= 1 && nb <= 255)) throw new FomlabError(`binned.bins must be an integer 1…255, got ${nb}`);
  const from = opts.windowFrom ?? 0.05, to = opts.windowTo ?? 0.95;
  if (!(from >= 0 && from < to && to <= 1)) throw new FomlabError(`binned.windowFrom/windowTo must satisfy 0 ≤ from < to ≤ 1, got ${from}, ${to}`);
  const minS = opts.minSignalEvents ?? 10, minB = opts.minBackgroundEvents ?? 10;
  const { output, label } = ev;
  const mass = ev.mass!;
  const weight = ev.weight ?? null;

  // equal-signal output edges: weighted signal quantiles k/nb
  let nSig = 0;
  for (let i = 0; i < n; i++) if (label[i] >= 0.5) nSig++;
  if (nSig === 0) throw new FomlabError('binned significance: no signal events (label column)');
  const sigRows = new Int32Array(nSig);
  for (let i = 0, j = 0; i < n; i++) if (label[i] >= 0.5) sigRows[j++] = i;
  const inner = weightedQuantiles(output, weight, argsort(output, false, sigRows), Array.from({ length: nb - 1 }, (_, k) => (k + 1) / nb));
  const edges = Float64Array.from([-Infinity, ...inner, Infinity]);
  const innerEdges = Float64Array.from(inner);

  // bin of every event; signal rows per bin
  const bin = new Uint8Array(n);
  const sigCount = new Int32Array(nb + 1);
  const ne = innerEdges.length;
  for (let i = 0; i < n; i++) {
    const o = output[i];
    let b = 0; // number of edges < o (bins are (e_k, e_k+1])
    while (b < ne && innerEdges[b] < o) b++;
    bin[i] = b;
    if (label[i] >= 0.5) sigCount[b + 1]++;
  }
  for (let b = 0; b < nb; b++) sigCount[b + 1] += sigCount[b];
  const fill = sigCount.slice(0, nb);
  const sigByBin = new Int32Array(nSig);
  for (let j = 0; j < nSig; j++) { const i = sigRows[j]; sigByBin[fill[bin[i]]++] = i; }

  // mass window per bin: windowFrom–windowTo of that bin's signal
  const lo = new Float64Array(nb).fill(NaN), hi = new Float64Array(nb).fill(NaN);
  for (let b = 0; b < nb; b++) {
    const rows = sigByBin.subarray(sigCount[b], sigCount[b + 1]);
    if (rows.length === 0) continue;
    [lo[b], hi[b]] = weightedQuantiles(mass, weight, argsort(mass, false, rows), [from, to]);
  }

  const S = new Float64Array(nb), B = new Float64Array(nb), nS = new Int32Array(nb), nB = new Int32Array(nb);
  for (let i = 0; i < n; i++) {
    const b = bin[i];
    const x = mass[i];
    if (!(x >= lo[b] && x <= hi[b])) continue;
    const w = weight ? weight[i] : 1;
    if (label[i] >= 0.5) { S[b] += w; nS[b]++; } else { B[b] += w; nB[b]++; }
  }
  const zf = opts.significance === 'exclusion' ? asimovExclusion : asimovDiscovery;
  const bins: SignificanceBin[] = [];
  for (let b = 0; b < nb; b++) {
    const used = nS[b] >= minS && nB[b] >= minB;
    bins.push({
      outputLow: edges[b], outputHigh: edges[b + 1], massLow: lo[b], massHigh: hi[b],
      S: S[b], B: B[b], nS: nS[b], nB: nB[b], z: used ? zf(S[b], B[b]) : 0, used,
    });
  }
  return { z: combineQuadrature(bins.map((b) => b.z)), bins };
}
