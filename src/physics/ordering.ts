/**
 * Ordering helpers shared by windows, cuts and curves: a radix argsort for float columns (linear
 * time, no comparator calls — 5 M events in ~0.1 s) and weighted quantiles.
 */

export type Column = Float32Array | Float64Array;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Monotone map of a float32 onto uint32 (larger float → larger key; −0 and +0 equal). */
function sortableKey(x: number): number {
  f32[0] = x === 0 ? 0 : x;
  const b = u32[0];
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}

/**
 * Indices of `values` (or of the subset `rows`) ordered by value, descending when `descending`.
 * LSD radix sort on the float32 bit pattern, 3 passes of 11 bits; stable (equal values keep
 * index order). Float64 inputs are ordered by their float32 rounding. NaN must be excluded by
 * the caller.
 */
export function argsort(values: Column, descending = false, rows?: Int32Array | Uint32Array): Uint32Array {
  const n = rows ? rows.length : values.length;
  let keys = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    const k = sortableKey(values[r]);
    keys[i] = descending ? ~k >>> 0 : k;
    idx[i] = r;
  }
  let keys2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const count = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i] >>> shift) & 2047]++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const p = count[(k >>> shift) & 2047]++;
      keys2[p] = k;
      idx2[p] = idx[i];
    }
    [keys, keys2] = [keys2, keys];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/**
 * Weighted quantile by the inverted empirical CDF (numpy `method="inverted_cdf"`): the smallest
 * value x_k (in ascending order) whose cumulative weight reaches q·Σw. Negative weights count as
 * zero. `order` is the ascending argsort of `values` restricted to the rows of interest.
 */
export function weightedQuantiles(values: Column, weights: Column | null, order: ArrayLike<number>, qs: readonly number[]): number[] {
  let total = 0;
  for (let i = 0; i < order.length; i++) total += weights ? Math.max(0, weights[order[i]]) : 1;
  const out: number[] = [];
  for (const q of qs) {
    const target = q * total;
    let cum = 0;
    let x = NaN;
    for (let i = 0; i < order.length; i++) {
      cum += weights ? Math.max(0, weights[order[i]]) : 1;
      if (cum >= target && cum > 0) {
        x = values[order[i]];
        break;
      }
    }
    if (Number.isNaN(x) && order.length) x = values[order[order.length - 1]];
    out.push(x);
  }
  return out;
}

/** Number of entries of ascending `sorted` that are < x (first index with sorted[i] ≥ x). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries of ascending `sorted` that are ≤ x. */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
