import { FomlabError } from '../core/errors.js';
import { type SensitivityParams, type SigmaMinForm, DEFAULT_SIGMA_MIN_FORM, SEED_SENSITIVITY, sigmaMinOf } from '../physics/fom.js';
import { type FigureOfMerit, type SelectionCounts, isBetter, sigmaMinFigure, worstValue } from '../physics/figures.js';
import { type Column, descendingKeys, keyValue, radixSortKeys, sortableKey } from '../physics/ordering.js';
import type { WindowIncidence } from '../physics/windows.js';
import { checkOutput } from './scored.js';

/**
 * Cuts on the classifier output per mass hypothesis. An event passes a cut c when output ≥ c.
 * ε(h, c) = #(signal of h in window h with output ≥ c) / nGenerated[h] (signal counted, not
 * weighted, as in the public reference code); S(h, c) = Σ weight of that signal; B(h, c) = Σ weight
 * of background in window h with output ≥ c. The cut is chosen by the search's figure of merit
 * (`physics/figures`, direction-aware; default σ_min, Punzi 2003 `improved` form unless `form`
 * says `paper` = seed paper eq. 9); σ_min is reported at every cut whatever the figure.
 */
export interface CutOptions {
  /** σ_min's a, b, L (default the seed study's) */
  params?: SensitivityParams;
  form?: SigmaMinForm;
  /** the figure that chooses the cut (default σ_min with `params` and `form`) */
  figure?: FigureOfMerit;
  /**
   * flags per hypothesis: only the flagged ones are judged (optimalCuts: the others keep cut NaN,
   * σ_min ∞ and the figure's worst value; bestCommonCut: the aggregate runs over them); default all
   */
  include?: ArrayLike<number | boolean>;
}

/** Per hypothesis: the cut, ε, S, B, σ_min and the figure there (cut NaN when the hypothesis has no signal). */
export interface HypothesisCuts {
  cut: Float64Array;
  efficiency: Float64Array;
  /** expected signal events (Σ weight of the selected signal; optimalCuts and bestCommonCut fill it only for figures that read S, else 0) */
  signal: Float64Array;
  background: Float64Array;
  sigmaMin: Float64Array;
  /** the figure of merit at the cut (= sigmaMin when the figure is σ_min) */
  value: Float64Array;
}

export type CutAggregate = 'mean' | 'median' | 'geometricMean' | 'max' | ((values: Float64Array) => number);

function emptyCuts(H: number, f: FigureOfMerit): HypothesisCuts {
  return {
    cut: new Float64Array(H).fill(NaN), efficiency: new Float64Array(H), signal: new Float64Array(H),
    background: new Float64Array(H), sigmaMin: new Float64Array(H).fill(Infinity), value: new Float64Array(H).fill(worstValue(f)),
  };
}

interface Resolved { figure: FigureOfMerit; params: SensitivityParams; form: SigmaMinForm }

function resolve(opts: CutOptions): Resolved {
  if (opts.figure) {
    const p = opts.figure.spec.params;
    return { figure: opts.figure, params: opts.params ?? { a: p.a, b: p.b, lumi: p.lumi }, form: opts.form ?? p.form };
  }
  const params = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? DEFAULT_SIGMA_MIN_FORM;
  return { figure: sigmaMinFigure(params, form), params, form };
}

/** A sorted window row: signal keys and weights (sw unset when the figure reads no S), background keys and weights (key ascending = output descending). */
interface SortedRow { sk: Uint32Array; sw: Float64Array; bk: Uint32Array; bw: Float64Array }

/**
 * Visit hypotheses `hs` with their window's signal and background sorted by output, high to low,
 * as inverted float32 sort keys (ascending key = descending output; see `descendingKeys`), the
 * weights alongside. Each row is gathered in event order (a forward stream) and radix-sorted in
 * scratch buffers reused from row to row; no global sort, no transposition.
 */
function forEachSortedRow(output: Column, weight: Column | null, inc: WindowIncidence, hs: readonly number[], visit: (h: number, row: SortedRow) => void, signalWeights = true): void {
  if (output.length !== inc.nEvents) throw new FomlabError(`cuts: classifier output has ${output.length} values, the incidence ${inc.nEvents} events`);
  if (weight && weight.length !== inc.nEvents) throw new FomlabError(`cuts: weight has ${weight.length} values, the incidence ${inc.nEvents} events`);
  checkOutput(output, 'cuts');
  const keys = descendingKeys(output);
  const { background: bg, signal: sg } = inc;
  let longest = 0;
  for (const h of hs) longest = Math.max(longest, bg.offsets[h + 1] - bg.offsets[h], sg.offsets[h + 1] - sg.offsets[h]);
  const bk = new Uint32Array(longest), bw = new Float64Array(longest), sk = new Uint32Array(longest), sw = new Float64Array(longest);
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
    if (signalWeights) {
      for (let k = 0; k < ns; k++) {
        const i = sg.events[s0 + k];
        sk[k] = keys[i];
        sw[k] = weight ? weight[i] : 1;
      }
      radixSortKeys(sk, sw, ns, tmpK, tmpW);
    } else {
      for (let k = 0; k < ns; k++) sk[k] = keys[sg.events[s0 + k]];
      radixSortKeys(sk, null, ns, tmpK, null);
    }
    visit(h, { sk: sk.subarray(0, ns), sw: sw.subarray(0, ns), bk: bk.subarray(0, nb), bw: bw.subarray(0, nb) });
  }
}

/**
 * Walks the candidate cuts of one row (output descending) and gives the figure at each: the
 * cumulative signal count, S and B above the cut, and for binned figures the bins of equal
 * signal count above the cut (bin edges at signal outputs; Z combined in quadrature).
 */
class RowScan {
  /** S above signal rank r: Σ sw[0…r) (figures that read S) */
  private readonly scum: Float64Array;
  /** binned figures: B with key ≤ sk[r − 1], i.e. above the r-th signal output (it does not depend on the cut) */
  private readonly bcum: Float64Array;
  private j = 0;
  /** the selection at the last `at` (read after the call; no allocation per candidate) */
  readonly c: SelectionCounts = { eff: 0, S: 0, B: 0 };
  private readonly bin: SelectionCounts = { eff: 0, S: 0, B: 0 };
  private readonly sigma: { p: SensitivityParams; form: SigmaMinForm } | null;
  constructor(private readonly row: SortedRow, private readonly f: FigureOfMerit, private readonly nGen: number) {
    const { sk, sw, bk, bw } = row;
    const n = sk.length;
    this.scum = new Float64Array(f.usesS ? n + 1 : 0);
    if (f.usesS) for (let r = 0; r < n; r++) this.scum[r + 1] = this.scum[r] + sw[r];
    this.bcum = new Float64Array(f.bins ? n + 1 : 0);
    if (f.bins) {
      let j = 0, B = 0;
      for (let r = 1; r <= n; r++) {
        while (j < bk.length && bk[j] <= sk[r - 1]) B += bw[j++];
        this.bcum[r] = B;
      }
    }
    const p = f.spec.params;
    // σ_min, the default, without the generic call
    this.sigma = f.name === 'sigmaMin' ? { p: { a: p.a, b: p.b, lumi: p.lumi }, form: p.form } : null;
  }

  /** the figure of the selection above the cut at `key` holding the top `n` signal events (keys ascending as the scan goes); ε, S, B in `c` */
  at(key: number, n: number): number {
    const { bk, bw } = this.row;
    const c = this.c;
    let B = c.B, j = this.j;
    while (j < bk.length && bk[j] <= key) B += bw[j++];
    this.j = j;
    c.B = B;
    c.eff = this.nGen > 0 ? n / this.nGen : 0;
    c.S = this.f.usesS ? this.scum[n] : 0;
    if (this.sigma) return sigmaMinOf(this.sigma.form, c.eff, B, this.sigma.p);
    return this.f.bins ? this.binned(n) : this.f.of(c);
  }

  /**
   * `bins` bins of equal signal count above the cut (ranks [round(b·n/bins), round((b+1)·n/bins))),
   * each holding its signal and the background down to its lowest signal output; Z = √(Σ Z_b²).
   */
  private binned(n: number): number {
    const nb = this.f.bins!;
    const bin = this.bin;
    let z2 = 0;
    for (let b = 0; b < nb; b++) {
      const lo = Math.round((b * n) / nb), hi = Math.round(((b + 1) * n) / nb);
      if (hi <= lo) continue;
      bin.eff = this.nGen > 0 ? (hi - lo) / this.nGen : 0;
      bin.S = this.scum[hi] - this.scum[lo];
      bin.B = this.bcum[hi] - this.bcum[lo];
      const z = this.f.of(bin);
      z2 += z * z;
    }
    return Math.sqrt(z2);
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
 * Per hypothesis, the cut with the best figure (smallest σ_min by default) over all distinct
 * outputs. Exact: moving a cut up between two signal outputs only removes background, so the best
 * cut sits at a signal output; a merge of the sorted signal and background of the window
 * evaluates the figure at each. Among equal values the highest cut wins. (With negative
 * background weights the scan is exact at the signal outputs only.)
 */
export function optimalCuts(output: Column, weight: Column | null, inc: WindowIncidence, opts: CutOptions = {}): HypothesisCuts {
  const { figure, params, form } = resolve(opts);
  const res = emptyCuts(inc.nHypotheses, figure);
  forEachSortedRow(output, weight, inc, includedHypotheses(inc, opts.include), (h, row) => {
    const scan = new RowScan(row, figure, inc.nGenerated[h]);
    const { sk } = row;
    let i = 0;
    while (i < sk.length) {
      const key = sk[i];
      while (i < sk.length && sk[i] === key) i++;
      const value = scan.at(key, i);
      if (isBetter(figure, value, res.value[h])) {
        const c = scan.c;
        res.value[h] = value; res.cut[h] = cutOf(key); res.efficiency[h] = c.eff; res.signal[h] = c.S; res.background[h] = c.B;
      }
    }
    if (!Number.isNaN(res.cut[h])) res.sigmaMin[h] = sigmaMinOf(form, res.efficiency[h], res.background[h], params);
  }, figure.usesS);
  return res;
}

/** ε, S, B, σ_min and the figure of every hypothesis at one common cut (output ≥ cut). */
export function cutsAt(output: Column, weight: Column | null, inc: WindowIncidence, cut: number, opts: CutOptions = {}): HypothesisCuts {
  const { figure, params, form } = resolve(opts);
  if (output.length !== inc.nEvents) throw new FomlabError(`cuts: classifier output has ${output.length} values, the incidence ${inc.nEvents} events`);
  const res = emptyCuts(inc.nHypotheses, figure);
  const { background: bg, signal: sg } = inc;
  for (let h = 0; h < inc.nHypotheses; h++) {
    res.cut[h] = cut;
    if (figure.bins) continue;
    let n = 0, S = 0, B = 0;
    for (let k = sg.offsets[h]; k < sg.offsets[h + 1]; k++) {
      const i = sg.events[k];
      if (Math.fround(output[i]) >= cut) { n++; S += weight ? weight[i] : 1; }
    }
    for (let k = bg.offsets[h]; k < bg.offsets[h + 1]; k++) {
      const i = bg.events[k];
      if (Math.fround(output[i]) >= cut) B += weight ? weight[i] : 1;
    }
    const eff = inc.nGenerated[h] > 0 ? n / inc.nGenerated[h] : 0;
    res.efficiency[h] = eff; res.signal[h] = S; res.background[h] = B;
    res.value[h] = figure.of({ eff, S, B });
  }
  if (figure.bins) {
    // binned figures need the ordering above the cut: each row's scan stops at the last signal output ≥ cut
    const limit = ~sortableKey(Math.fround(cut)) >>> 0;
    const all = Array.from({ length: inc.nHypotheses }, (_, h) => h);
    forEachSortedRow(output, weight, inc, all, (h, row) => {
      let n = 0;
      while (n < row.sk.length && row.sk[n] <= limit) n++;
      const scan = new RowScan(row, figure, inc.nGenerated[h]);
      res.value[h] = scan.at(limit, n);
      res.efficiency[h] = scan.c.eff; res.signal[h] = scan.c.S; res.background[h] = scan.c.B;
    });
  }
  for (let h = 0; h < inc.nHypotheses; h++) res.sigmaMin[h] = sigmaMinOf(form, res.efficiency[h], res.background[h], params);
  return res;
}

/** Aggregate of a figure over the included hypotheses (∞ stays ∞). */
export function aggregateSigmaMin(values: Float64Array, how: CutAggregate = 'mean'): number {
  if (typeof how === 'function') return how(values);
  const n = values.length;
  if (n === 0) return NaN;
  if (how === 'mean') { let s = 0; for (const x of values) s += x; return s / n; }
  if (how === 'max') { let s = -Infinity; for (const x of values) s = Math.max(s, x); return s; }
  if (how === 'geometricMean') { let s = 0; for (const x of values) s += Math.log(x); return Math.exp(s / n); }
  if (how === 'median') {
    const a = Float64Array.from(values).sort();
    return n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }
  throw new FomlabError(`cuts.aggregate must be mean, median, geometricMean, max or a function, got '${String(how)}'`);
}

/**
 * The one cut shared by all hypotheses with the best aggregate of the figure (default: the mean of
 * σ_min, smallest), `include` limiting the aggregate to some hypotheses (e.g. the training ones);
 * the aggregate is better in the figure's direction unless `aggregateBetter` says otherwise (a
 * custom aggregate such as a relative loss). For mean, max and geometric mean every distinct
 * signal output is a candidate (exact, accumulated per hypothesis); for median or a custom
 * function the candidates are thinned to at most `maxCandidates` (default 2048) evenly spaced in
 * signal rank. Returns the per-hypothesis figures at that cut.
 */
export function bestCommonCut(
  output: Column, weight: Column | null, inc: WindowIncidence,
  opts: CutOptions & { aggregate?: CutAggregate; aggregateBetter?: 'lower' | 'higher'; maxCandidates?: number } = {},
): HypothesisCuts & { aggregate: number } {
  const { figure } = resolve(opts);
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
  forEachSortedRow(output, weight, inc, incl, (h, row) => {
    const col = column.get(h)!;
    const scan = new RowScan(row, figure, inc.nGenerated[h]);
    const { sk } = row;
    let i = 0;
    for (let c = 0; c < nc; c++) {
      const key = cand[c];
      while (i < sk.length && sk[i] <= key) i++;
      const s = scan.at(key, i);
      if (matrix) matrix[c * incl.length + col] = s;
      else if (agg === 'mean') acc[c] += s;
      else if (agg === 'max') acc[c] = Math.max(acc[c], s);
      else acc[c] += Math.log(s);
    }
  }, figure.usesS);
  const direction = { better: opts.aggregateBetter ?? figure.better };
  let best = worstValue(direction), bestCut = NaN;
  for (let c = 0; c < nc; c++) {
    let a: number;
    if (matrix) a = aggregateSigmaMin(matrix.subarray(c * incl.length, (c + 1) * incl.length), agg);
    else a = agg === 'mean' ? acc[c] / incl.length : agg === 'max' ? acc[c] : Math.exp(acc[c] / incl.length);
    if (isBetter(direction, a, best)) { best = a; bestCut = cutOf(cand[c]); }
  }
  if (Number.isNaN(bestCut)) return { ...emptyCuts(H, figure), aggregate: worstValue(direction) };
  return { ...cutsAt(output, weight, inc, bestCut, opts), aggregate: best };
}
