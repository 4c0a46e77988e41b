import { FomlabError } from '../core/errors.js';
import { type Column, argsort, upperBound, weightedQuantiles } from './ordering.js';

import { type ResolutionTable, resolutionAt } from './resolution.js';

/** The variable the search scans: the (recoil) mass in GeV, or its square in GeV². */
export type ScannedVariable = 'mass' | 'mass2';

/**
 * One window per hypothesis on the scanned variable: an event of value x is inside window h when
 * low[h] < x < high[h] (open, as in the public reference code). Bounds may be ±∞.
 */
export interface MassWindows {
  variable: ScannedVariable;
  low: Float64Array;
  high: Float64Array;
}

/** Convert a mass interval [lo, hi] (GeV) to the scanned variable. */
function fromMassInterval(lo: number, hi: number, variable: ScannedVariable): [number, number] {
  if (variable === 'mass') return [lo, hi];
  return [lo > 0 ? lo * lo : -Infinity, hi > 0 ? hi * hi : 0];
}

/** Convert a mass² interval [lo, hi] (GeV²) to the scanned variable. */
function fromMass2Interval(lo: number, hi: number, variable: ScannedVariable): [number, number] {
  if (variable === 'mass2') return [lo, hi];
  return [lo > 0 ? Math.sqrt(lo) : -Infinity, hi > 0 ? Math.sqrt(hi) : 0];
}

/**
 * Windows ±nσ from a resolution table (seed study: n = 2). For a table of σ(M²) the window is on
 * M²: [m² − nσ(m), m² + nσ(m)] with σ interpolated at m (GeV); on the mass it is the square root
 * of that. A hypothesis outside the table is an error naming the mass and the table's range.
 */
export function resolutionWindows(masses: ArrayLike<number>, table: ResolutionTable, nSigma: number, variable: ScannedVariable): MassWindows {
  if (!(nSigma > 0)) throw new FomlabError(`search.window.nSigma must be > 0, got ${nSigma}`);
  const low = new Float64Array(masses.length), high = new Float64Array(masses.length);
  for (let h = 0; h < masses.length; h++) {
    const m = masses[h];
    const w = nSigma * resolutionAt(table, m);
    const [lo, hi] = table.of === 'mass2' ? fromMass2Interval(m * m - w, m * m + w, variable) : fromMassInterval(m - w, m + w, variable);
    low[h] = lo;
    high[h] = hi;
  }
  return { variable, low, high };
}

/** Windows of fixed half-width on the mass (GeV, e.g. 0.25 for ±250 MeV): [m − w, m + w]. */
export function fixedWindows(masses: ArrayLike<number>, halfWidth: number, variable: ScannedVariable): MassWindows {
  if (!(halfWidth > 0)) throw new FomlabError(`search.window.halfWidth must be > 0 (GeV), got ${halfWidth}`);
  const low = new Float64Array(masses.length), high = new Float64Array(masses.length);
  for (let h = 0; h < masses.length; h++) {
    [low[h], high[h]] = fromMassInterval(masses[h] - halfWidth, masses[h] + halfWidth, variable);
  }
  return { variable, low, high };
}

/** Columns the window functions read: scanned variable, label (1 signal), generated mass, weight. */
export interface WindowColumns {
  /** the scanned variable (mass or mass²) per event */
  mass: Column;
  label: Column;
  /**
   * generated mass (GeV) of signal events; ignored for background. null: no generated mass (a
   * single-resonance sample such as H→Zγ): a signal event counts for every window holding its mass
   */
  genMass: Column | null;
  weight?: Column | null;
}

/**
 * Index of the hypothesis each signal event was generated at (−1 for background and for signal
 * whose generated mass matches no hypothesis). A match is |genMass − m| ≤ tolerance·max(1, |m|).
 */
export function generatedHypothesis(masses: ArrayLike<number>, cols: WindowColumns, tolerance = 1e-5): Int32Array {
  const H = masses.length;
  const byMass = Array.from({ length: H }, (_, h) => h).sort((x, y) => masses[x] - masses[y]);
  const sorted = Float64Array.from(byMass, (h) => masses[h]);
  const n = cols.label.length;
  const out = new Int32Array(n).fill(-1);
  const { label, genMass } = cols;
  if (!genMass) return out;
  for (let i = 0; i < n; i++) {
    if (!(label[i] >= 0.5)) continue;
    const g = genMass[i];
    const k = upperBound(sorted, g);
    let best = -1, dist = Infinity;
    if (k > 0 && Math.abs(g - sorted[k - 1]) < dist) { best = k - 1; dist = Math.abs(g - sorted[k - 1]); }
    if (k < H && Math.abs(g - sorted[k]) < dist) { best = k; dist = Math.abs(g - sorted[k]); }
    if (best >= 0 && dist <= tolerance * Math.max(1, Math.abs(sorted[best]))) out[i] = byMass[best];
  }
  return out;
}

/**
 * Windows holding the central `from`–`to` percent (default 5–95 %) of each hypothesis's signal,
 * weighted (inverted empirical CDF; negative weights count as 0). A hypothesis without signal
 * events is an error. Without a generated mass (genMass null) the one hypothesis takes all signal.
 */
export function percentileWindows(
  masses: ArrayLike<number>, cols: WindowColumns, variable: ScannedVariable,
  opts: { from?: number; to?: number; genMassTolerance?: number; generated?: Int32Array } = {},
): MassWindows {
  const from = opts.from ?? 5, to = opts.to ?? 95;
  if (!(from >= 0 && from < to && to <= 100)) throw new FomlabError(`search.window.percentile must satisfy 0 ≤ from < to ≤ 100 (percent), got [${from}, ${to}]`);
  const H = masses.length;
  if (!cols.genMass && H !== 1) throw new FomlabError(`search.window.percentile: ${H} hypotheses but no generated-mass column (data.columns.genMass) to tell their signal apart; give a window by halfWidth or resolution, or one hypothesis`);
  const gen = cols.genMass ? opts.generated ?? generatedHypothesis(masses, cols, opts.genMassTolerance) : Int32Array.from(cols.label, (y) => (y >= 0.5 ? 0 : -1));
  const rows: number[][] = Array.from({ length: H }, () => []);
  for (let i = 0; i < gen.length; i++) if (gen[i] >= 0 && cols.mass[i] === cols.mass[i]) rows[gen[i]].push(i);
  const low = new Float64Array(H), high = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    if (rows[h].length === 0) throw new FomlabError(`search.window: no signal events ${cols.genMass ? `generated at ${masses[h]} GeV (genMass column) ` : ''}to take its ${from}–${to} % window from`);
    const order = argsort(cols.mass, false, Int32Array.from(rows[h]));
    [low[h], high[h]] = weightedQuantiles(cols.mass, cols.weight ?? null, order, [from / 100, to / 100]);
  }
  return { variable, low, high };
}

/** One window [from, to] on the mass (GeV) for a one-hypothesis search, e.g. 120–130 GeV for H→Zγ. */
export function rangeWindows(masses: ArrayLike<number>, from: number, to: number, variable: ScannedVariable): MassWindows {
  if (masses.length !== 1) throw new FomlabError(`search.window {from, to} is the window of one hypothesis; there are ${masses.length} (give halfWidth, resolution or percentile)`);
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to)) throw new FomlabError(`search.window: from must be below to (GeV), got from ${from}, to ${to}`);
  const [lo, hi] = fromMassInterval(from, to, variable);
  return { variable, low: Float64Array.of(lo), high: Float64Array.of(hi) };
}

/**
 * Sparse event → hypothesis incidence, the input of the Punzi loss (issue 7) and of the cuts.
 *
 * Layout (CSR, one row per hypothesis h = 0 … nHypotheses−1):
 * - `background.events[background.offsets[h] … background.offsets[h+1])` — indices of the
 *   background events (label 0) inside window h; an event appears in every window it sits in.
 * - `signal.events[signal.offsets[h] … signal.offsets[h+1])` — indices of the signal events
 *   generated at hypothesis h (genMass within tolerance) that are inside window h; a signal event
 *   counts only for its own generated mass, never for a neighbouring window.
 * - `nGenerated[h]` — all signal events generated at h (inside the window or not): the
 *   denominator of ε(h) = Σ_{signal row h} selected / nGenerated[h]. Can be overridden with the
 *   true generated count when the sample was preselected.
 * Within a row, event indices are ascending.
 */
export interface WindowIncidence {
  nHypotheses: number;
  nEvents: number;
  background: { offsets: Int32Array; events: Int32Array };
  signal: { offsets: Int32Array; events: Int32Array };
  nGenerated: Float64Array;
  /** signal events whose generated mass matches no hypothesis (left out everywhere) */
  unmatchedSignal: number;
}

/**
 * Build the incidence in two passes over the events (count, fill), with no sort of the events:
 * the window edges (≤ 2H values) are sorted once, each background event finds its stretch of
 * edges by binary search (O(log H)) and is checked against the few windows overlapping it.
 */
export function windowIncidence(
  masses: ArrayLike<number>, windows: MassWindows, cols: WindowColumns,
  opts: { genMassTolerance?: number; nGenerated?: ArrayLike<number>; generated?: Int32Array } = {},
): WindowIncidence {
  const H = masses.length;
  if (windows.low.length !== H) throw new FomlabError(`search: ${windows.low.length} windows for ${H} hypotheses`);
  if (!cols.genMass) return incidenceByMassOnly(masses, windows, cols, opts.nGenerated);
  const { mass, label } = cols;
  const n = mass.length;
  const gen = opts.generated ?? generatedHypothesis(masses, cols, opts.genMassTolerance);
  const { low, high } = windows;

  // Elementary stretches between sorted edges, each with the windows that overlap it.
  const edges = Float64Array.from(new Set([...low, ...high])).sort();
  const S = edges.length + 1;
  if (S > 0xfffe) throw new FomlabError(`search: too many window edges (${edges.length}); at most 65534`);
  const candOff = new Int32Array(S + 1);
  const cand: number[] = [];
  for (let k = 0; k < S; k++) {
    const a = k === 0 ? -Infinity : edges[k - 1], b = k === S - 1 ? Infinity : edges[k];
    for (let h = 0; h < H; h++) if (low[h] <= b && high[h] >= a && low[h] < high[h]) cand.push(h);
    candOff[k + 1] = cand.length;
  }
  const candidates = Int32Array.from(cand);

  const bCount = new Int32Array(H + 1), sCount = new Int32Array(H + 1);
  const nGen = new Float64Array(H);
  const nEdges = edges.length;
  // a uniform grid over the edges gives each mass a starting stretch (then a step or two): no
  // binary search, whose unpredictable branches were most of pass 1
  const G = 4096;
  const e0 = nEdges > 0 ? edges[0] : 0, span = nEdges > 1 ? edges[nEdges - 1] - e0 : 0;
  const perCell = span > 0 ? G / span : 0;
  const cellStart = new Int32Array(G + 1);
  for (let c = 0, k = 0; c <= G; c++) {
    const x = e0 + (span * c) / G;
    while (k < nEdges && edges[k] <= x) k++;
    cellStart[c] = k;
  }
  // the windows that hold the whole open interior of each stretch (= hold every mass strictly inside it)
  const inside = (h: number, k: number): boolean => k > 0 && k < S - 1 && low[h] <= edges[k - 1] && high[h] >= edges[k];
  const holds = new Uint8Array(S);
  for (let k = 0; k < S; k++) for (let c = candOff[k]; c < candOff[k + 1]; c++) if (inside(candidates[c], k)) holds[k] = 1;
  // pass 1: count (background per stretch; a mass exactly on an edge per window), and remember each
  // background event's stretch (0xffff: in no window)
  const perStretch = new Float64Array(S);
  const stretch = new Uint16Array(n);
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    const x = mass[i];
    if (label[i] >= 0.5) {
      stretch[i] = 0xffff;
      const h = gen[i];
      if (h < 0) { unmatched++; continue; }
      nGen[h]++;
      if (x > low[h] && x < high[h]) sCount[h + 1]++;
    } else if (x === x) {
      // first edge > x
      let lo: number;
      if (x < e0) lo = 0;
      else {
        const c = (x - e0) * perCell;
        lo = cellStart[c < G ? c | 0 : G];
        while (lo > 0 && edges[lo - 1] > x) lo--;
        while (lo < nEdges && edges[lo] <= x) lo++;
      }
      if (lo === 0 || edges[lo - 1] !== x) {
        perStretch[lo]++;
        stretch[i] = holds[lo] ? lo : 0xffff;
      } else {
        let any = false;
        for (let c = candOff[lo]; c < candOff[lo + 1]; c++) {
          const h = candidates[c];
          if (x > low[h] && x < high[h]) { bCount[h + 1]++; any = true; }
        }
        stretch[i] = any ? lo : 0xffff;
      }
    } else stretch[i] = 0xffff;
  }
  for (let k = 0; k < S; k++) {
    if (perStretch[k] === 0) continue;
    for (let c = candOff[k]; c < candOff[k + 1]; c++) if (inside(candidates[c], k)) bCount[candidates[c] + 1] += perStretch[k];
  }
  for (let h = 0; h < H; h++) { bCount[h + 1] += bCount[h]; sCount[h + 1] += sCount[h]; }
  const bEvents = new Int32Array(bCount[H]), sEvents = new Int32Array(sCount[H]);
  const bPos = bCount.slice(0, H), sPos = sCount.slice(0, H);
  // pass 2: fill, in event order
  for (let i = 0; i < n; i++) {
    const k = stretch[i];
    if (k !== 0xffff) {
      const x = mass[i];
      for (let c = candOff[k]; c < candOff[k + 1]; c++) {
        const h = candidates[c];
        if (x > low[h] && x < high[h]) bEvents[bPos[h]++] = i;
      }
    } else if (label[i] >= 0.5) {
      const h = gen[i];
      const x = mass[i];
      if (h >= 0 && x > low[h] && x < high[h]) sEvents[sPos[h]++] = i;
    }
  }
  if (opts.nGenerated) {
    if (opts.nGenerated.length !== H) throw new FomlabError(`search.nGenerated has ${opts.nGenerated.length} entries for ${H} hypotheses`);
    for (let h = 0; h < H; h++) nGen[h] = opts.nGenerated[h];
  }
  return {
    nHypotheses: H, nEvents: n,
    background: { offsets: bCount, events: bEvents },
    signal: { offsets: sCount, events: sEvents },
    nGenerated: nGen, unmatchedSignal: unmatched,
  };
}

/**
 * The incidence without a generated mass: a signal event belongs to every window holding its
 * (reconstructed) mass, as background does; ε's denominator is all signal events (unless given).
 * Two passes of the window search: background as is, then signal in the background's place.
 */
function incidenceByMassOnly(masses: ArrayLike<number>, windows: MassWindows, cols: WindowColumns, nGenerated?: ArrayLike<number>): WindowIncidence {
  const none = new Float32Array(cols.label.length).fill(NaN);
  const asBackground = windowIncidence(masses, windows, { mass: cols.mass, label: cols.label, genMass: none });
  const swapped = Float32Array.from(cols.label, (y) => (y >= 0.5 ? 0 : 1));
  const signal = windowIncidence(masses, windows, { mass: cols.mass, label: swapped, genMass: none }).background;
  const H = masses.length;
  let nSignal = 0;
  for (let i = 0; i < cols.label.length; i++) if (cols.label[i] >= 0.5) nSignal++;
  const nGen = new Float64Array(H).fill(nSignal);
  if (nGenerated) {
    if (nGenerated.length !== H) throw new FomlabError(`search.nGenerated has ${nGenerated.length} entries for ${H} hypotheses`);
    for (let h = 0; h < H; h++) nGen[h] = nGenerated[h];
  }
  return { ...asBackground, signal, nGenerated: nGen, unmatchedSignal: 0 };
}
