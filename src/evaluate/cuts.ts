import { FomlabError } from '../core/errors.js';
import { type SensitivityParams, type SigmaMinForm, SEED_SENSITIVITY, sigmaMinOf } from '../physics/fom.js';
import { type Column, descendingKeys, keyValue, radixSortKeys, sortableKey } from '../physics/ordering.js';
import type { WindowIncidence } from '../physics/windows.js';
import { checkOutput } from './scored.js';

/**
 * Cuts on the classifier output per mass hypothesis. An event passes a cut c when output ≥ c.
 * ε(h, c) = #(signal of h in window h with output ≥ c) / nGenerated[h] (signal counted, not
 * weighted, as in the public reference code); B(h, c) = Σ weight of background in window h with
 * output ≥ c. σ_min from `physics/fom` (paper eq. 9 by default, or Punzi 2003 `improved`).
 */
export interface CutOptions {
  params?: SensitivityParams;
  form?: SigmaMinForm;
  /**
   * flags per hypothesis: only the flagged ones are judged (optimalCuts: the others keep cut NaN
   * and σ_min ∞; bestCommonCut: the aggregate runs over them); default all
   */
  include?: ArrayLike<number | boolean>;
}

/** Per hypothesis: the cut, ε, B and σ_min there (cut NaN when the hypothesis has no signal). */
export interface HypothesisCuts {
  cut: Float64Array;
  efficiency: Float64Array;
  background: Float64Array;
  sigmaMin: Float64Array;
}

export type CutAggregate = 'mean' | 'median' | 'geometricMean' | 'max' | ((sigmaMin: Float64Array) => number);

function emptyCuts(H: number): HypothesisCuts {
  return {
    cut: new Float64Array(H).fill(NaN), efficiency: new Float64Array(H),
    background: new Float64Array(H), sigmaMin: new Float64Array(H).fill(Infinity),
  };
}

/**
 * Visit hypotheses `hs` with their window's signal and background sorted by output, high to low,
 * as inverted float32 sort keys (ascending key = descending output; see `descendingKeys`), the
 * background weights alongside. Each row is gathered in event order (a forward stream) and
 * radix-sorted in scratch buffers reused from row to row; no global sort, no transposition.
 */
function forEachSortedRow(
  output: Column, weight: Column | null, inc: WindowIncidence, hs: readonly number[],
  visit: (h: number, sk: Uint32Array, bk: Uint32Array, bw: Float64Array) => void,
): void {
  if (output.length !== inc.nEvents) throw new FomlabError(`cuts: classifier output has ${output.length} values, the incidence ${inc.nEvents} events`);
  if (weight && weight.length !== inc.nEvents) throw new FomlabError(`cuts: weight has ${weight.length} values, the incidence ${inc.nEvents} events`);
  checkOutput(output, 'cuts');
  const keys = descendingKeys(output);
  const { background: bg, signal: sg } = inc;
  let longest = 0;
  for (const h of hs) longest = Math.max(longest, bg.offsets[h + 1] - bg.offsets[h], sg.offsets[h + 1] - sg.offsets[h]);
  const bk = new Uint32Array(longest), bw = new Float64Array(longest), sk = new Uint32Array(longest);
  const tmpK = new Uint32Array(longest), tmpW = new Float64Array(longest);
  for (const h of hs) {
    const b0 = bg.offsets[h], nb = bg.offsets[h + 1] - b0;
    for (let k = 0; k < nb; k++) {
      const i = bg.events[b0 + k];
      bk[k] = keys[i];
      bw[k] = weight ? weight[i] : 1;
    }
    radixSortKeys(bk, bw, nb, tmpK, tmpW);
    const s0 = sg.offsets[h], ns = sg.offsets[h + 1] - s0;
    for (let k = 0; k < ns; k++) sk[k] = keys[sg.events[s0 + k]];
    radixSortKeys(sk, null, ns, tmpK, null);
    visit(h, sk.subarray(0, ns), bk.subarray(0, nb), bw.subarray(0, nb));
  }
}

/** The hypotheses flagged by `include` (all when absent); a wrong length or none flagged is an error. */
function includedHypotheses(inc: WindowIncidence, include: ArrayLike<number | boolean> | undefined): number[] {
  const H = inc.nHypotheses;
  if (include && include.length !== H) throw new FomlabError(`cuts.include has ${include.length} flags for ${H} hypotheses`);
  const incl: number[] = [];
  for (let h = 0; h < H; h++) if (!include || include[h]) incl.push(h);
  if (incl.length === 0) throw new FomlabError('cuts.include selects no hypothesis');
  return incl;
}

/** the output value of an inverted key */
function cutOf(invKey: number): number {
  return keyValue(~invKey >>> 0);
}

/**
 * Per hypothesis, the cut with the smallest σ_min over all distinct outputs. Exact: moving a cut
 * up between two signal outputs only removes background, so the best cut sits at a signal
 * output; a merge of the sorted signal and background of the window evaluates σ_min at each.
 * (With negative background weights the scan is exact at the signal outputs only.)
 */
export function optimalCuts(output: Column, weight: Column | null, inc: WindowIncidence, opts: CutOptions = {}): HypothesisCuts {
  const p = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? 'paper';
  const res = emptyCuts(inc.nHypotheses);
  forEachSortedRow(output, weight, inc, includedHypotheses(inc, opts.include), (h, sk, bk, bw) => {
    const nGen = inc.nGenerated[h];
    let i = 0, j = 0, S = 0, B = 0;
    while (i < sk.length) {
      const key = sk[i];
      while (j < bk.length && bk[j] <= key) B += bw[j++];
      while (i < sk.length && sk[i] === key) { S++; i++; }
      const eff = nGen > 0 ? S / nGen : 0;
      const s = sigmaMinOf(form, eff, B, p);
      if (s < res.sigmaMin[h]) {
        res.sigmaMin[h] = s; res.cut[h] = cutOf(key); res.efficiency[h] = eff; res.background[h] = B;
      }
    }
  });
  return res;
}

/** ε, B and σ_min of every hypothesis at one common cut (output ≥ cut). */
export function cutsAt(output: Column, weight: Column | null, inc: WindowIncidence, cut: number, opts: CutOptions = {}): HypothesisCuts {
  const p = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? 'paper';
  if (output.length !== inc.nEvents) throw new FomlabError(`cuts: classifier output has ${output.length} values, the incidence ${inc.nEvents} events`);
  const res = emptyCuts(inc.nHypotheses);
  const { background: bg, signal: sg } = inc;
  for (let h = 0; h < inc.nHypotheses; h++) {
    let S = 0, B = 0;
    for (let k = sg.offsets[h]; k < sg.offsets[h + 1]; k++) if (Math.fround(output[sg.events[k]]) >= cut) S++;
    for (let k = bg.offsets[h]; k < bg.offsets[h + 1]; k++) {
      const i = bg.events[k];
      if (Math.fround(output[i]) >= cut) B += weight ? weight[i] : 1;
    }
    const eff = inc.nGenerated[h] > 0 ? S / inc.nGenerated[h] : 0;
    res.cut[h] = cut; res.efficiency[h] = eff; res.background[h] = B;
    res.sigmaMin[h] = sigmaMinOf(form, eff, B, p);
  }
  return res;
}

/** Aggregate of σ_min over the included hypotheses (∞ stays ∞). */
export function aggregateSigmaMin(sigma: Float64Array, how: CutAggregate = 'mean'): number {
  if (typeof how === 'function') return how(sigma);
  const n = sigma.length;
  if (n === 0) return NaN;
  if (how === 'mean') { let s = 0; for (const x of sigma) s += x; return s / n; }
  if (how === 'max') { let s = -Infinity; for (const x of sigma) s = Math.max(s, x); return s; }
  if (how === 'geometricMean') { let s = 0; for (const x of sigma) s += Math.log(x); return Math.exp(s / n); }
  if (how === 'median') {
    const a = Float64Array.from(sigma).sort();
    return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }
  throw new FomlabError(`cuts.aggregate must be mean, median, geometricMean, max or a function, got '${String(how)}'`);
}

/**
 * The one cut shared by all hypotheses that minimises an aggregate of σ_min (default the mean),
 * `include` limiting the aggregate to some hypotheses (e.g. the training ones). For mean, max and
 * geometric mean every distinct signal output is a candidate (exact, accumulated per hypothesis);
 * for median or a custom function the candidates are thinned to at most `maxCandidates` (default
 * 2048) evenly spaced in signal rank. Returns the per-hypothesis figures at that cut.
 */
export function bestCommonCut(
  output: Column, weight: Column | null, inc: WindowIncidence,
  opts: CutOptions & { aggregate?: CutAggregate; maxCandidates?: number } = {},
): HypothesisCuts & { aggregate: number } {
  const p = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? 'paper';
  const H = inc.nHypotheses;
  const incl = includedHypotheses(inc, opts.include);
  checkOutput(output, 'cuts');
  // candidates: distinct signal keys of the included hypotheses, ascending (= output descending)
  const { signal: sg } = inc;
  let total = 0;
  for (const h of incl) total += sg.offsets[h + 1] - sg.offsets[h];
  const all = new Uint32Array(total);
  let off = 0;
  for (const h of incl) for (let k = sg.offsets[h]; k < sg.offsets[h + 1]; k++) all[off++] = ~sortableKey(output[sg.events[k]]) >>> 0;
  all.sort();
  let C = 0;
  for (let k = 0; k < total; k++) if (k === 0 || all[k] !== all[k - 1]) all[C++] = all[k];
  let cand = all.subarray(0, C);
  const agg = opts.aggregate ?? 'mean';
  const incremental = agg === 'mean' || agg === 'max' || agg === 'geometricMean';
  if (!incremental) {
    const most = opts.maxCandidates ?? 2048;
    if (C > most) cand = Uint32Array.from({ length: most }, (_, k) => cand[Math.round((k * (C - 1)) / (most - 1))]);
  }
  const nc = cand.length;
  const acc = new Float64Array(nc).fill(agg === 'max' ? -Infinity : 0);
  const matrix = incremental ? null : new Float64Array(nc * incl.length);
  const column = new Map(incl.map((h, col) => [h, col]));
  forEachSortedRow(output, weight, inc, incl, (h, sk, bk, bw) => {
    const col = column.get(h)!;
    const nGen = inc.nGenerated[h];
    let i = 0, j = 0, S = 0, B = 0;
    for (let c = 0; c < nc; c++) {
      const key = cand[c];
      while (j < bk.length && bk[j] <= key) B += bw[j++];
      while (i < sk.length && sk[i] <= key) { S++; i++; }
      const s = sigmaMinOf(form, nGen > 0 ? S / nGen : 0, B, p);
      if (matrix) matrix[c * incl.length + col] = s;
      else if (agg === 'mean') acc[c] += s;
      else if (agg === 'max') acc[c] = Math.max(acc[c], s);
      else acc[c] += Math.log(s);
    }
  });
  let best = Infinity, bestCut = NaN;
  for (let c = 0; c < nc; c++) {
    let a: number;
    if (matrix) a = aggregateSigmaMin(matrix.subarray(c * incl.length, (c + 1) * incl.length), agg);
    else a = agg === 'mean' ? acc[c] / incl.length : agg === 'max' ? acc[c] : Math.exp(acc[c] / incl.length);
    if (a < best) { best = a; bestCut = cutOf(cand[c]); }
  }
  if (Number.isNaN(bestCut)) return { ...emptyCuts(H), aggregate: Infinity };
  return { ...cutsAt(output, weight, inc, bestCut, opts), aggregate: best };
}
