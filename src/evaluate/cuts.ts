import { FomlabError } from '../core/errors.js';
import { type SensitivityParams, type SigmaMinForm, SEED_SENSITIVITY, sigmaMinOf } from '../physics/fom.js';
import { type Column, argsort } from '../physics/ordering.js';
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
 * The events of the incidence in descending output order, each with its own hypothesis (signal)
 * and the windows it is background in, laid out by sorted position for a sequential sweep.
 */
interface Sweep {
  order: Uint32Array;
  sigHyp: Int32Array;
  bOff: Int32Array;
  bHyp: Int32Array;
}

function prepareSweep(output: Column, inc: WindowIncidence): Sweep {
  if (output.length !== inc.nEvents) throw new FomlabError(`cuts: classifier output has ${output.length} values, the incidence ${inc.nEvents} events`);
  checkOutput(output, 'cuts');
  const n = inc.nEvents, H = inc.nHypotheses;
  const { background: bg, signal: sg } = inc;
  const bCount = new Int32Array(n);
  const sigOf = new Int32Array(n).fill(-1);
  for (let h = 0; h < H; h++) {
    for (let k = bg.offsets[h]; k < bg.offsets[h + 1]; k++) bCount[bg.events[k]]++;
    for (let k = sg.offsets[h]; k < sg.offsets[h + 1]; k++) sigOf[sg.events[k]] = h;
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (bCount[i] > 0 || sigOf[i] >= 0) m++;
  const rows = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (bCount[i] > 0 || sigOf[i] >= 0) rows[j++] = i;
  const order = argsort(output, true, rows);
  const pos = new Int32Array(n);
  const bOff = new Int32Array(m + 1);
  const sigHyp = new Int32Array(m);
  for (let p = 0; p < m; p++) {
    const i = order[p];
    pos[i] = p;
    bOff[p + 1] = bOff[p] + bCount[i];
    sigHyp[p] = sigOf[i];
  }
  const fill = bOff.slice(0, m);
  const bHyp = new Int32Array(bOff[m]);
  for (let h = 0; h < H; h++) for (let k = bg.offsets[h]; k < bg.offsets[h + 1]; k++) bHyp[fill[pos[bg.events[k]]]++] = h;
  return { order, sigHyp, bOff, bHyp };
}

/**
 * Sweep the output from high to low; after each group of equal outputs that added signal,
 * call `atCut(cut, S, B, touched, nTouched)` with the running signal counts and background sums.
 */
function sweep(
  output: Column, weight: Column | null, inc: WindowIncidence, sw: Sweep,
  atCut: (cut: number, S: Float64Array, B: Float64Array, touched: Int32Array, nTouched: number) => void,
): void {
  const H = inc.nHypotheses;
  const S = new Float64Array(H), B = new Float64Array(H);
  const touched = new Int32Array(H), isTouched = new Uint8Array(H);
  const { order, sigHyp, bOff, bHyp } = sw;
  const m = order.length;
  let p = 0;
  while (p < m) {
    const v = output[order[p]];
    let nT = 0;
    do {
      const i = order[p];
      const w = weight ? weight[i] : 1;
      for (let k = bOff[p]; k < bOff[p + 1]; k++) B[bHyp[k]] += w;
      const h = sigHyp[p];
      if (h >= 0) {
        S[h] += 1;
        if (!isTouched[h]) { isTouched[h] = 1; touched[nT++] = h; }
      }
      p++;
    } while (p < m && output[order[p]] === v);
    if (nT > 0) {
      atCut(v, S, B, touched, nT);
      for (let t = 0; t < nT; t++) isTouched[touched[t]] = 0;
    }
  }
}

/**
 * Per hypothesis, the cut with the smallest σ_min over all distinct outputs (exact: the best cut
 * always sits at a signal output, so the sweep evaluates σ_min there). One sort of the events in
 * windows (radix, linear time), then one pass: O(n + nnz + #signal).
 */
export function optimalCuts(output: Column, weight: Column | null, inc: WindowIncidence, opts: CutOptions = {}): HypothesisCuts {
  const p = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? 'paper';
  const res = emptyCuts(inc.nHypotheses);
  const nGen = inc.nGenerated;
  sweep(output, weight, inc, prepareSweep(output, inc), (cut, S, B, touched, nT) => {
    for (let t = 0; t < nT; t++) {
      const h = touched[t];
      const eff = nGen[h] > 0 ? S[h] / nGen[h] : 0;
      const s = sigmaMinOf(form, eff, B[h], p);
      if (s < res.sigmaMin[h]) {
        res.sigmaMin[h] = s; res.cut[h] = cut; res.efficiency[h] = eff; res.background[h] = B[h];
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
    for (let k = sg.offsets[h]; k < sg.offsets[h + 1]; k++) if (output[sg.events[k]] >= cut) S++;
    for (let k = bg.offsets[h]; k < bg.offsets[h + 1]; k++) {
      const i = bg.events[k];
      if (output[i] >= cut) B += weight ? weight[i] : 1;
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
 * over every distinct output that holds signal; `include` limits the aggregate to some
 * hypotheses (e.g. the training ones). Returns the per-hypothesis figures at that cut.
 */
export function bestCommonCut(
  output: Column, weight: Column | null, inc: WindowIncidence,
  opts: CutOptions & { aggregate?: CutAggregate; include?: ArrayLike<number | boolean> } = {},
): HypothesisCuts & { aggregate: number } {
  const p = opts.params ?? SEED_SENSITIVITY, form = opts.form ?? 'paper';
  const H = inc.nHypotheses;
  const incl: number[] = [];
  for (let h = 0; h < H; h++) if (!opts.include || opts.include[h]) incl.push(h);
  if (opts.include && opts.include.length !== H) throw new FomlabError(`cuts.include has ${opts.include.length} flags for ${H} hypotheses`);
  if (incl.length === 0) throw new FomlabError('cuts.include selects no hypothesis');
  const current = new Float64Array(H).fill(Infinity);
  const sel = new Float64Array(incl.length);
  let best = Infinity, bestCut = NaN;
  const nGen = inc.nGenerated;
  sweep(output, weight, inc, prepareSweep(output, inc), (cut, S, B) => {
    for (let j = 0; j < incl.length; j++) {
      const h = incl[j];
      current[h] = sigmaMinOf(form, nGen[h] > 0 ? S[h] / nGen[h] : 0, B[h], p);
      sel[j] = current[h];
    }
    const a = aggregateSigmaMin(sel, opts.aggregate);
    if (a < best) { best = a; bestCut = cut; }
  });
  if (Number.isNaN(bestCut)) return { ...emptyCuts(H), aggregate: Infinity };
  return { ...cutsAt(output, weight, inc, bestCut, opts), aggregate: best };
}
