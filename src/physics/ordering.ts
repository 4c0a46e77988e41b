/**
 * Ordering helpers shared by windows, cuts and curves: a radix argsort for float columns (linear
 * time, no comparator calls — 5 M events in ~0.1 s) and weighted quantiles.
 */

export type Column = Float32Array | Float64Array;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Monotone map of a float32 onto uint32 (larger float → larger key; −0 and +0 equal). */
export function sortableKey(x: number): number {
  f32[0] = x === 0 ? 0 : x;
  const b = u32[0];
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}

/** The float32 whose `sortableKey` is `key`. */
export function keyValue(key: number): number {
  u32[0] = key & 0x80000000 ? (key ^ 0x80000000) >>> 0 : ~key >>> 0;
  return f32[0];
}

/**
 * Sort `keys[0…n)` ascending in place, carrying `payload` along (LSD radix: 2 passes of 16 bits
 * for long arrays, 3 of 11 bits for short ones; a pass whose digit is the same for every key is
 * skipped). `tmpKeys`/`tmpPayload` are scratch buffers of at least n entries.
 */
export function radixSortKeys(keys: Uint32Array, payload: Float64Array | null, n: number, tmpKeys: Uint32Array, tmpPayload: Float64Array | null): void {
  const bits = n > 150000 ? 16 : 11;
  const size = 1 << bits, mask = size - 1;
  const count = new Uint32Array(size);
  let src = keys, dst = tmpKeys, ps = payload, pd = tmpPayload;
  for (let shift = 0; shift < 32; shift += bits) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(src[i] >>> shift) & mask]++;
    if (n === 0 || count[(src[0] >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d < size; d++) { const c = count[d]; count[d] = sum; sum += c; }
    if (ps && pd) {
      for (let i = 0; i < n; i++) { const k = src[i]; const p = count[(k >>> shift) & mask]++; dst[p] = k; pd[p] = ps[i]; }
      [ps, pd] = [pd, ps];
    } else {
      for (let i = 0; i < n; i++) { const k = src[i]; dst[count[(k >>> shift) & mask]++] = k; }
    }
    [src, dst] = [dst, src];
  }
  if (src !== keys) {
    keys.set(src.subarray(0, n));
    if (payload && ps) payload.set(ps.subarray(0, n));
  }
}

/**
 * Inverted sort keys of a whole column: ascending key = descending value, −0 and +0 equal.
 * Float32 columns are read through their bit pattern (no per-value conversion).
 */
export function descendingKeys(values: Column): Uint32Array {
  const n = values.length;
  const out = new Uint32Array(n);
  if (values instanceof Float32Array) {
    const bits = new Uint32Array(values.buffer, values.byteOffset, n);
    for (let i = 0; i < n; i++) {
      let b = bits[i];
      if (b === 0x80000000) b = 0;
      // key = sign ? ~b : b | 2^31, inverted: sign ? b : ~b & 0x7fffffff
      out[i] = b & 0x80000000 ? b : ~b & 0x7fffffff;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = ~sortableKey(values[i]) >>> 0;
  }
  return out;
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
  const n = order.length;
  const out = new Array<number>(qs.length).fill(NaN);
  if (n === 0) return out;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? Math.max(0, weights[order[i]]) : 1;
  const byQ = qs.map((q, j) => [q, j] as const).sort((x, y) => x[0] - y[0]);
  let cum = 0, i = 0;
  for (const [q, j] of byQ) {
    const target = q * total;
    while (i < n) {
      const c = cum + (weights ? Math.max(0, weights[order[i]]) : 1);
      if (c >= target && c > 0) break;
      cum = c;
      i++;
    }
    out[j] = values[order[Math.min(i, n - 1)]];
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

/**
 * Indices of `values` ordered descending, exact for any column: radix for Float32, a comparator
 * sort for Float64 (so distinct doubles never tie). Stable: equal values keep index order.
 */
export function argsortDescendingExact(values: Column, rows?: Int32Array | Uint32Array): Uint32Array {
  if (values instanceof Float32Array) return argsort(values, true, rows);
  const idx = rows ? Uint32Array.from(rows) : Uint32Array.from({ length: values.length }, (_, i) => i);
  return idx.sort((a, b) => values[b] - values[a] || a - b);
}
