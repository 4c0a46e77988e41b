import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { type Column, argsortDescendingExact } from '../physics/ordering.js';

/**
 * Weighted distance correlation as in the public DisCo reference (Kasieczka & Shih 2020,
 * `distance_corr(var_1, var_2, normedweight, power)`): weights normalised to mean 1, double-
 * centred distance matrices A_ij = a_ij − ā_i − ā_j + ā with ā_i = (1/n) Σ_j a_ij w_j and
 * ā = (1/n) Σ_i ā_i w_i, dCov²(x, y) = (1/n²) Σ_ij w_i w_j A_ij B_ij, and
 * power = 1: dCov²(x,y) / √(dCov²(x,x) dCov²(y,y)) — that is dCorr² in Székely's notation;
 * power = 2: its square, other powers: (power-1 value)^power.
 * Cost: row means by sorting (O(n log n)), the rest O(n²) time and O(n) memory; above
 * `maxEvents` (default 10,000) a deterministic random subset (Rng(`seed`)) is used and the result
 * says so. Constant x or y gives 0 (no dependence), never NaN.
 */
export interface DiscoOptions {
  power?: number;
  maxEvents?: number;
  seed?: number;
}

export interface DiscoResult {
  value: number;
  /** events used */
  events: number;
  subsampled: boolean;
}

export function distanceCorrelation(x: Column, y: Column, weights?: Column | null, opts: DiscoOptions = {}): DiscoResult {
  const N = x.length;
  if (y.length !== N) throw new FomlabError(`DisCo: x has ${N} values, y ${y.length}`);
  if (weights && weights.length !== N) throw new FomlabError(`DisCo: weights have ${weights.length} values, x ${N}`);
  if (N < 2) throw new FomlabError(`DisCo: needs at least 2 events, got ${N}`);
  const maxEvents = opts.maxEvents ?? 10000;
  let rows: Uint32Array | null = null;
  if (N > maxEvents) rows = new Rng(opts.seed ?? 0).permutation(N).subarray(0, maxEvents).sort();
  const n = rows ? rows.length : N;
  const xs = new Float64Array(n), ys = new Float64Array(n), w = new Float64Array(n);
  let wsum = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k;
    xs[k] = x[i]; ys[k] = y[i]; w[k] = weights ? weights[i] : 1;
    if (!(Number.isFinite(xs[k]) && Number.isFinite(ys[k]) && Number.isFinite(w[k]))) throw new FomlabError(`DisCo: non-finite value at event ${i}`);
    wsum += w[k];
  }
  if (!(wsum > 0)) throw new FomlabError('DisCo: the weights sum to ≤ 0');
  for (let k = 0; k < n; k++) w[k] *= n / wsum; // mean 1

  const abar = rowMeans(xs, w), bbar = rowMeans(ys, w);
  let ga = 0, gb = 0;
  for (let i = 0; i < n; i++) { ga += abar[i] * w[i]; gb += bbar[i] * w[i]; }
  ga /= n; gb /= n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    const xi = xs[i], yi = ys[i], ai = abar[i] - ga, bi = bbar[i] - gb, wi = w[i];
    // diagonal: a_ii = 0, so A_ii = −2ā_i + ā; it enters once, the pairs j > i twice
    const Ai = -abar[i] - ai, Bi = -bbar[i] - bi;
    let sab = (Ai * Bi * wi) / 2, saa = (Ai * Ai * wi) / 2, sbb = (Bi * Bi * wi) / 2;
    for (let j = i + 1; j < n; j++) {
      const A = Math.abs(xi - xs[j]) - ai - abar[j];
      const B = Math.abs(yi - ys[j]) - bi - bbar[j];
      const wj = w[j];
      sab += A * B * wj; saa += A * A * wj; sbb += B * B * wj;
    }
    ab += 2 * wi * sab; aa += 2 * wi * saa; bb += 2 * wi * sbb;
  }
  const denom = Math.sqrt(aa * bb);
  const r = denom > 0 ? ab / denom : 0;
  const power = opts.power ?? 1;
  const value = power === 1 ? r : power === 2 ? (ab * ab) / (denom > 0 ? aa * bb : 1) : Math.pow(r, power);
  return { value: Number.isNaN(value) ? 0 : value, events: n, subsampled: rows !== null };
}

/** ā_i = (1/n) Σ_j |v_i − v_j| w_j for all i, by sorting and prefix sums (O(n log n)). */
function rowMeans(v: Float64Array, w: Float64Array): Float64Array {
  const n = v.length;
  const order = argsortDescendingExact(v).reverse(); // ascending
  let W = 0, WV = 0;
  for (let i = 0; i < n; i++) { W += w[i]; WV += w[i] * v[i]; }
  const out = new Float64Array(n);
  let wBelow = 0, wvBelow = 0;
  let p = 0;
  while (p < n) {
    // a group of equal values shares the sums of the values below it
    let q = p, gw = 0, gwv = 0;
    const val = v[order[p]];
    while (q < n && v[order[q]] === val) { gw += w[order[q]]; gwv += w[order[q]] * val; q++; }
    const wAbove = W - wBelow - gw, wvAbove = WV - wvBelow - gwv;
    const m = (val * wBelow - wvBelow + wvAbove - val * wAbove) / n;
    for (let k = p; k < q; k++) out[order[k]] = m;
    wBelow += gw; wvBelow += gwv;
    p = q;
  }
  return out;
}
