/**
 * Weighted distance correlation of two one-dimensional variables and its exact gradient with
 * respect to the first, in O(n log n) — the TypeScript twin of native/src/disco.cc.
 *
 * Definitions as the DisCo reference (Kasieczka & Shih 2020, `distance_corr`, see
 * src/evaluate/disco.ts for the O(n²) form): weights w normalised to mean 1 (Σw = n),
 * a_ij = |x_i − x_j|, ā_i = (1/n) Σ_j w_j a_ij, ā = (1/n) Σ_i w_i ā_i,
 * A_ij = a_ij − ā_i − ā_j + ā, V(x,y) = (1/n²) Σ_ij w_i w_j A_ij B_ij,
 * R = V(x,y) / √(V(x,x) V(y,y)) (the reference's power = 1).
 *
 * Fast form (Huo & Székely 2016, Technometrics 58:435, weighted): the weighted double centring
 * makes Σ_j w_j A_ij = 0, so
 *   V(x,y) = S/n² − (2/n) Σ_i w_i ā_i b̄_i + ā b̄,   S = Σ_ij w_i w_j a_ij b_ij,
 * and S is one sweep in ascending x with a Fenwick tree over the ranks of y holding
 * Σw, Σwy, Σwx, Σwxy of the events below (their |y_k − y_j| split at y_k).
 * Gradient (the centring terms drop for the same reason; sign(0) = 0 as autograd's |·|):
 *   ∂V(x,y)/∂x_k = (2/n²) w_k Σ_j w_j B_kj s_kj,   ∂V(x,x)/∂x_k = (4/n²) w_k Σ_j w_j A_kj s_kj,
 * s_kj = sign(x_k − x_j); Σ_j w_j |y_k − y_j| s_kj from a forward and a backward sweep.
 * Everything in float64; x and y are centred first (distances do not change; less cancellation).
 */

import { FomlabError } from '../errors.js';
import { radixOrder } from '../ops/radix.js';

export interface DiscoFast {
  /** R = dCorr² (the reference's power-1 value); 0 when x or y is constant */
  value: number;
  /** V(x,y), V(x,x), V(y,y) */
  vxy: number;
  vxx: number;
  vyy: number;
}

/** a given order must be a permutation of 0…n−1 (else Fenwick ranks would be 0 or out of range) */
function checkPermutation(order: Int32Array, n: number): void {
  const seen = new Uint8Array(n);
  let ok = order.length === n;
  for (let i = 0; ok && i < n; i++) {
    const k = order[i];
    ok = k >= 0 && k < n && seen[k] === 0;
    if (ok) seen[k] = 1;
  }
  if (!ok) throw new FomlabError('discoFast: yOrder is not a permutation of the events');
}

function centred(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; }
  const mid = n ? (lo + hi) / 2 : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i] - mid;
  return out;
}

/** ā_i = (1/n) Σ_j w_j |v_i − v_j| given the ascending order of v (groups of equal values share the sums). */
function rowMeans(v: Float64Array, w: Float64Array, order: Int32Array, n: number, W: number, WV: number): Float64Array {
  const out = new Float64Array(v.length);
  let wB = 0, wvB = 0;
  for (let p = 0; p < order.length; ) {
    const val = v[order[p]];
    let q = p, gw = 0, gwv = 0;
    while (q < order.length && v[order[q]] === val) { gw += w[order[q]]; gwv += w[order[q]] * val; q++; }
    const m = (val * wB - wvB + (WV - wvB - gwv) - val * (W - wB - gw)) / n;
    for (let k = p; k < q; k++) out[order[k]] = m;
    wB += gw; wvB += gwv; p = q;
  }
  return out;
}

/**
 * Weighted DisCo R(x, y) and, when `grad` is given, ∂R/∂x_k written into it (length n).
 * `yOrder` (the ascending argsort of y) may be passed when y is fixed across calls (the mass).
 * Weights: null = all 1; they are normalised to mean 1 here (so their scale does not matter).
 */
export function discoFast(x: ArrayLike<number>, y: ArrayLike<number>, weights: ArrayLike<number> | null, grad: Float64Array | Float32Array | null = null, yOrder: Int32Array | null = null): DiscoFast {
  const n = x.length;
  const xs = centred(x), ys = centred(y), w = new Float64Array(n);
  let wsum = 0;
  for (let i = 0; i < n; i++) { w[i] = weights ? weights[i] : 1; wsum += w[i]; }
  if (!Number.isFinite(wsum + xs.reduce((a, b) => a + b, 0) + ys.reduce((a, b) => a + b, 0))) {
    // a NaN or ±Inf anywhere (a diverged net): NaN, which the trainer reports, instead of sorting it
    grad?.fill(NaN);
    return { value: NaN, vxy: NaN, vxx: NaN, vyy: NaN };
  }
  if (!(wsum > 0)) throw new FomlabError(`DisCo: the event weights sum to ${wsum} (must be > 0)`);
  for (let i = 0; i < n; i++) w[i] *= n / wsum;
  if (yOrder) checkPermutation(yOrder, n);
  const ox = radixOrder(xs), oy = yOrder ?? radixOrder(ys);
  let W = 0, WX = 0, WY = 0, WXX = 0, WYY = 0;
  for (let i = 0; i < n; i++) { W += w[i]; WX += w[i] * xs[i]; WY += w[i] * ys[i]; WXX += w[i] * xs[i] * xs[i]; WYY += w[i] * ys[i] * ys[i]; }
  const abar = rowMeans(xs, w, ox, n, W, WX), bbar = rowMeans(ys, w, oy, n, W, WY);
  let ga = 0, gb = 0, cab = 0, caa = 0, cbb = 0;
  for (let i = 0; i < n; i++) { ga += w[i] * abar[i]; gb += w[i] * bbar[i]; cab += w[i] * abar[i] * bbar[i]; caa += w[i] * abar[i] * abar[i]; cbb += w[i] * bbar[i] * bbar[i]; }
  ga /= n; gb /= n;
  const rankY = new Int32Array(n);
  for (let r = 0; r < n; r++) rankY[oy[r]] = r + 1;

  // sweep in ascending x: Fenwick tree over y-ranks of the events with smaller x (tie groups queried before insertion)
  const tree = new Float64Array(4 * (n + 1));
  const below = grad ? new Float64Array(n) : null; // Σ_{x_j<x_k} w_j |y_k − y_j|
  let S = 0, tW = 0, tWY = 0, tWX = 0, tWXY = 0;
  for (let p = 0; p < n; ) {
    const val = xs[ox[p]];
    let q = p;
    while (q < n && xs[ox[q]] === val) q++;
    for (let m = p; m < q; m++) {
      const k = ox[m], yk = ys[k];
      let w1 = 0, wy1 = 0, wx1 = 0, wxy1 = 0;
      for (let r = rankY[k] - 1; r > 0; r -= r & -r) { const b = 4 * r; w1 += tree[b]; wy1 += tree[b + 1]; wx1 += tree[b + 2]; wxy1 += tree[b + 3]; }
      const G = yk * w1 - wy1 + (tWY - wy1) - yk * (tW - w1);
      const H = yk * wx1 - wxy1 + (tWXY - wxy1) - yk * (tWX - wx1);
      S += 2 * w[k] * (xs[k] * G - H);
      if (below) below[k] = G;
    }
    for (let m = p; m < q; m++) {
      const k = ox[m], wk = w[k], xk = xs[k], yk = ys[k];
      for (let r = rankY[k]; r <= n; r += r & -r) { const b = 4 * r; tree[b] += wk; tree[b + 1] += wk * yk; tree[b + 2] += wk * xk; tree[b + 3] += wk * xk * yk; }
      tW += wk; tWY += wk * yk; tWX += wk * xk; tWXY += wk * xk * yk;
    }
    p = q;
  }
  const n2 = n * n;
  const vxy = S / n2 - (2 / n) * cab + ga * gb;
  const vxx = (2 * n * WXX - 2 * WX * WX) / n2 - (2 / n) * caa + ga * ga;
  const vyy = (2 * n * WYY - 2 * WY * WY) / n2 - (2 / n) * cbb + gb * gb;
  const denom = Math.sqrt(vxx * vyy);
  const value = denom > 0 ? vxy / denom : 0;
  if (grad) {
    grad.fill(0);
    if (denom > 0 && below) gradient(xs, ys, w, ox, rankY, abar, bbar, ga, gb, WX, below, vxx, value / vxx, 1 / denom, grad);
  }
  return { value, vxy, vxx, vyy };
}

/** ∂R/∂x_k = (∂V(x,y)/∂x_k)/√(V(x,x)V(y,y)) − ½ R (∂V(x,x)/∂x_k)/V(x,x); the sign sums by a backward sweep. */
function gradient(xs: Float64Array, ys: Float64Array, w: Float64Array, ox: Int32Array, rankY: Int32Array, abar: Float64Array, bbar: Float64Array, ga: number, gb: number, WX: number, below: Float64Array, _vxx: number, rOverVxx: number, invDenom: number, grad: Float64Array | Float32Array): void {
  const n = xs.length;
  // backward sweep: Σ_{x_j>x_k} w_j |y_k − y_j| (2-field tree)
  const tree = new Float64Array(2 * (n + 1));
  const above = new Float64Array(n);
  let tW = 0, tWY = 0;
  for (let q = n; q > 0; ) {
    const val = xs[ox[q - 1]];
    let p = q;
    while (p > 0 && xs[ox[p - 1]] === val) p--;
    for (let m = p; m < q; m++) {
      const k = ox[m], yk = ys[k];
      let w1 = 0, wy1 = 0;
      for (let r = rankY[k] - 1; r > 0; r -= r & -r) { w1 += tree[2 * r]; wy1 += tree[2 * r + 1]; }
      above[k] = yk * w1 - wy1 + (tWY - wy1) - yk * (tW - w1);
    }
    for (let m = p; m < q; m++) {
      const k = ox[m], wk = w[k], yk = ys[k];
      for (let r = rankY[k]; r <= n; r += r & -r) { tree[2 * r] += wk; tree[2 * r + 1] += wk * yk; }
      tW += wk; tWY += wk * yk;
    }
    q = p;
  }
  // strict below/above sums of w, w·ā, w·b̄ in x order, by tie groups
  let Wt = 0, At = 0, Bt = 0;
  for (let i = 0; i < n; i++) { Wt += w[i]; At += w[i] * abar[i]; Bt += w[i] * bbar[i]; }
  const n2 = n * n;
  let wB = 0, aB = 0, bB = 0;
  for (let p = 0; p < n; ) {
    const val = xs[ox[p]];
    let q = p, gw = 0, ga_ = 0, gb_ = 0;
    while (q < n && xs[ox[q]] === val) { const k = ox[q]; gw += w[k]; ga_ += w[k] * abar[k]; gb_ += w[k] * bbar[k]; q++; }
    const sW = wB - (Wt - wB - gw), sA = aB - (At - aB - ga_), sB = bB - (Bt - bB - gb_);
    for (let m = p; m < q; m++) {
      const k = ox[m];
      const T = below[k] - above[k] - (bbar[k] - gb) * sW - sB; // Σ_j w_j B_kj s_kj
      const U = xs[k] * n - WX - (abar[k] - ga) * sW - sA; // Σ_j w_j A_kj s_kj
      grad[k] = ((2 / n2) * w[k] * T) * invDenom - 0.5 * rOverVxx * (4 / n2) * w[k] * U;
    }
    wB += gw; aB += ga_; bB += gb_; p = q;
  }
}
