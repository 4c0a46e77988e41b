/**
 * Growth of one tree from per-event gradients g and hessians h on the binned matrix — the TypeScript twin of
 * gbdt_grow (native/src/gbdt.cc), the same sums in the same order, so tests can ask for identical trees.
 * XGBoost's second-order split (Chen & Guestrin 2016, eq. 7 with the L1 term of its code):
 *   gain = T(G_L)²/(H_L+λ) + T(G_R)²/(H_R+λ) − T(G)²/(H+λ),   T(G) = sign(G)·max(|G| − α, 0)
 * a split is kept if gain > γ; a leaf's weight is −T(G)/(H+λ), stored times η. Missing values (bin 255) go to the
 * side that gains more (both are tried); without missing values in the node they go right (XGBoost's default_left
 * false). A column without missing values may have 256 value bins; its code 255 is then a value bin.
 */
import { MISSING_BIN } from './binning.js';
import type { BinnedTree } from './native.js';

export interface GrowParams {
  /** ≤ 0: no depth limit (loss-guided growth with maxLeaves) */
  maxDepth: number;
  /** 0: no limit */
  maxLeaves: number;
  lossGuide: boolean;
  lambda: number;
  alpha: number;
  gamma: number;
  minChildWeight: number;
  /** minimum events (rows) in a child: TMVA's MinNodeSize × training rows */
  minChildRows: number;
  eta: number;
}

export function paramsArray(p: GrowParams): Float64Array {
  return Float64Array.of(p.maxDepth, p.maxLeaves, p.lossGuide ? 1 : 0, p.lambda, p.alpha, p.gamma, p.minChildWeight, p.minChildRows, p.eta);
}

const NB = 256;
const ROWS_PER_PART = 32768;
const MAX_PARTS = 8;
export const partsFor = (rows: number): number => Math.max(1, Math.min(MAX_PARTS, Math.ceil(rows / ROWS_PER_PART)));

const thresholdL1 = (G: number, a: number): number => (G > a ? G - a : G < -a ? G + a : 0);
const score = (G: number, H: number, p: GrowParams): number => { const t = thresholdL1(G, p.alpha); return (t * t) / (H + p.lambda); };

interface Split { gain: number; feature: number; bin: number; defaultLeft: boolean; GL: number; HL: number; CL: number }
const noSplit = (): Split => ({ gain: 0, feature: -1, bin: -1, defaultLeft: true, GL: 0, HL: 0, CL: 0 });
interface Node { begin: number; end: number; G: number; H: number; C: number; depth: number; id: number; hist: Float64Array | null; best: Split }

export function growTreeTs(bins: Uint8Array, n: number, nf: number, nBins: Int32Array, g: Float32Array, h: Float32Array,
  rows: Int32Array | null, features: Uint8Array | null, p: GrowParams): BinnedTree {
  const idx = rows ? Int32Array.from(rows) : Int32Array.from({ length: n }, (_, i) => i);
  const T = { feature: [] as number[], bin: [] as number[], left: [] as number[], right: [] as number[], defaultLeft: [] as number[], value: [] as number[], gain: [] as number[], cover: [] as number[] };

  // histogram of idx[b0, b1) (ascending rows): [g, h, count] per (feature, bin), summed per part of the whole row
  // range [n·q/P, n·(q+1)/P), P = partsFor(n), then the parts in order (as gbdt.cc, whichever path it takes)
  const lowerBound = (lo: number, hi: number, row: number): number => {
    while (lo < hi) { const mid = (lo + hi) >> 1; if (idx[mid] < row) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const build = (b0: number, b1: number): Float64Array => {
    const parts = partsFor(n);
    const width = nf * NB * 3;
    let total: Float64Array | null = null;
    for (let q = 0; q < parts; q++) {
      const hh = new Float64Array(width);
      const r0 = lowerBound(b0, b1, Math.floor((n * q) / parts)), r1 = lowerBound(r0, b1, Math.floor((n * (q + 1)) / parts));
      for (let r = r0; r < r1; r++) {
        const i = idx[r], gi = g[i], hi = h[i];
        for (let f = 0; f < nf; f++) { const e = (f * NB + bins[i * nf + f]) * 3; hh[e] += gi; hh[e + 1] += hi; hh[e + 2] += 1; }
      }
      if (!total) total = hh;
      else for (let k = 0; k < width; k++) total[k] += hh[k];
    }
    return total as Float64Array;
  };
  const mayGrow = (nd: Node): boolean => p.maxDepth <= 0 || nd.depth < p.maxDepth;

  const evaluate = (nd: Node): void => {
    nd.best = noSplit();
    if (!mayGrow(nd)) return;
    const parent = score(nd.G, nd.H, p);
    const hist = nd.hist as Float64Array;
    let best = 0;
    for (let f = 0; f < nf; f++) {
      if (features && !features[f]) continue;
      const base = f * NB * 3, m = base + MISSING_BIN * 3;
      // slot 255 holds the missing values unless the column has 256 value bins (then it had none)
      const own = nBins[f] < NB;
      const mg = own ? hist[m] : 0, mh = own ? hist[m + 1] : 0, mc = own ? hist[m + 2] : 0;
      const hasMissing = mc > 0;
      let gl = 0, hl = 0, cl = 0;
      for (let b = 0; b + 1 < nBins[f]; b++) {
        gl += hist[base + b * 3]; hl += hist[base + b * 3 + 1]; cl += hist[base + b * 3 + 2];
        for (let dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
          const GL = gl + (dir ? mg : 0), HL = hl + (dir ? mh : 0), CL = cl + (dir ? mc : 0);
          const GR = nd.G - GL, HR = nd.H - HL, CR = nd.C - CL;
          if (CL <= 0 || CR <= 0 || HL < p.minChildWeight || HR < p.minChildWeight || CL < p.minChildRows || CR < p.minChildRows) continue;
          const gain = score(GL, HL, p) + score(GR, HR, p) - parent;
          if (gain > best) {
            best = gain;
            nd.best = { gain, feature: f, bin: b, defaultLeft: hasMissing && dir === 1, GL, HL, CL };
          }
        }
      }
    }
    if (!(best > p.gamma && best > 1e-6)) nd.best = noSplit();
  };

  const partition = (b0: number, b1: number, s: Split): number => {
    const left: number[] = [], right: number[] = [];
    for (let r = b0; r < b1; r++) {
      const i = idx[r], v = bins[i * nf + s.feature];
      if (v === MISSING_BIN ? s.defaultLeft : v <= s.bin) left.push(i); else right.push(i);
    }
    idx.set(left, b0);
    idx.set(right, b0 + left.length);
    return b0 + left.length;
  };
  const addNode = (nd: Node): number => {
    T.feature.push(-1); T.bin.push(-1); T.left.push(-1); T.right.push(-1); T.defaultLeft.push(1); T.value.push(0); T.gain.push(0); T.cover.push(nd.H);
    return T.feature.length - 1;
  };
  const setLeaf = (nd: Node): void => { T.value[nd.id] = Math.fround((-thresholdL1(nd.G, p.alpha) / (nd.H + p.lambda)) * p.eta); };

  const root: Node = { begin: 0, end: idx.length, G: 0, H: 0, C: 0, depth: 0, id: 0, hist: null, best: noSplit() };
  root.hist = build(root.begin, root.end);
  for (let b = 0; b < NB; b++) { root.G += root.hist[b * 3]; root.H += root.hist[b * 3 + 1]; root.C += root.hist[b * 3 + 2]; }
  root.id = addNode(root);
  evaluate(root);
  const open: Node[] = [root];
  let leaves = 1, head = 0;
  for (;;) {
    let pick = -1;
    if (!p.lossGuide) {
      while (head < open.length && open[head].best.feature < 0) { setLeaf(open[head]); head++; }
      if (head < open.length) pick = head++;
    } else {
      for (let k = head; k < open.length; k++)
        if (open[k].best.feature >= 0 && (pick < 0 || open[k].best.gain > open[pick].best.gain)) pick = k;
    }
    if (pick < 0 || (p.maxLeaves > 0 && leaves >= p.maxLeaves)) break;
    const nd = open[pick], s = nd.best;
    const mid = partition(nd.begin, nd.end, s);
    const L: Node = { begin: nd.begin, end: mid, G: s.GL, H: s.HL, C: s.CL, depth: nd.depth + 1, id: 0, hist: null, best: noSplit() };
    const R: Node = { begin: mid, end: nd.end, G: nd.G - s.GL, H: nd.H - s.HL, C: nd.C - s.CL, depth: nd.depth + 1, id: 0, hist: null, best: noSplit() };
    T.feature[nd.id] = s.feature; T.bin[nd.id] = s.bin; T.defaultLeft[nd.id] = s.defaultLeft ? 1 : 0; T.gain[nd.id] = s.gain;
    L.id = addNode(L); R.id = addNode(R);
    T.left[nd.id] = L.id; T.right[nd.id] = R.id;
    if (mayGrow(L)) {
      const small = L.end - L.begin <= R.end - R.begin ? L : R, large = small === L ? R : L;
      small.hist = build(small.begin, small.end);
      const big = nd.hist as Float64Array;
      for (let k = 0; k < big.length; k++) big[k] -= small.hist[k];
      large.hist = big;
      evaluate(L); evaluate(R);
    }
    nd.hist = null;
    nd.best = noSplit();
    leaves++;
    open.push(L, R);
  }
  for (const nd of open) if (T.feature[nd.id] < 0) setLeaf(nd);
  return {
    feature: Int32Array.from(T.feature), bin: Int32Array.from(T.bin), left: Int32Array.from(T.left), right: Int32Array.from(T.right),
    defaultLeft: Uint8Array.from(T.defaultLeft), value: Float32Array.from(T.value), gain: Float64Array.from(T.gain), cover: Float64Array.from(T.cover),
  };
}

/** margin[i] += leaf value of binned row i (TypeScript twin of gbdt_add_binned). */
export function addTreeBinnedTs(bins: Uint8Array, n: number, nf: number, t: BinnedTree, margin: Float32Array): void {
  for (let i = 0; i < n; i++) {
    let k = 0;
    while (t.feature[k] >= 0) {
      const v = bins[i * nf + t.feature[k]];
      k = (v === MISSING_BIN ? t.defaultLeft[k] === 1 : v <= t.bin[k]) ? t.left[k] : t.right[k];
    }
    margin[i] = Math.fround(margin[i] + t.value[k]);
  }
}
