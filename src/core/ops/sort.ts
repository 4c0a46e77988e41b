/**
 * Order statistics for the Lovász loss and distance correlation: argsort, sort (a gather, so its
 * backward scatters the gradient back to the original positions), cumsum, and the pairwise
 * absolute-difference matrix |xᵢ − xⱼ|.
 */
import { FomlabError } from '../errors.js';
import { allocFloat, axisOf, result, splitAt, Tensor } from '../tensor.js';
import { gather } from './shape.js';

/** Positions that sort x along `axis` (stable; ascending unless `descending`). */
export function argsort(x: Tensor, axis = -1, descending = false): Int32Array {
  const ax = axisOf(axis, x.ndim, 'argsort');
  const [outer, n, inner] = splitAt(x.shape, ax);
  const out = new Int32Array(x.size);
  const row = new Int32Array(n);
  const vals = new Float64Array(n);
  const X = x.data;
  const sign = descending ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      for (let i = 0; i < n; i++) { row[i] = i; vals[i] = X[(o * n + i) * inner + j]; }
      row.sort((a, b) => sign * (vals[a] - vals[b]) || a - b);
      for (let i = 0; i < n; i++) out[(o * n + i) * inner + j] = row[i];
    }
  }
  return out;
}

/** Sorted values (differentiable: gradient flows back to where each value came from) and their indices. */
export function sort(x: Tensor, axis = -1, descending = false): { values: Tensor; indices: Int32Array } {
  const indices = argsort(x, axis, descending);
  return { values: gather(x, axis, indices), indices };
}

/** Running sum along `axis` (default last); `reverse` sums from the end. Backward: the reverse running sum of g. */
export function cumsum(x: Tensor, axis = -1, reverse = false): Tensor {
  const ax = axisOf(axis, x.ndim, 'cumsum');
  const [outer, n, inner] = splitAt(x.shape, ax);
  const scan = (src: ArrayLike<number>, dst: Float32Array | Float64Array, rev: boolean, accumulate: boolean): void => {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let s = 0;
        for (let t = 0; t < n; t++) {
          const k = (o * n + (rev ? n - 1 - t : t)) * inner + j;
          s += src[k];
          if (accumulate) dst[k] += s;
          else dst[k] = s;
        }
      }
    }
  };
  const out = allocFloat(x.dtype, x.size);
  scan(x.data, out, reverse, false);
  return result(out, x.shape, [x], 'cumsum', () => (g) => scan(g, x.gradBuffer(), !reverse, true));
}

/**
 * D[i][j] = |xᵢ − xⱼ| for a vector x ([n] or [n, 1]) — the distance matrix of distance
 * correlation. Backward: dxᵢ = Σⱼ (gᵢⱼ + gⱼᵢ)·sign(xᵢ − xⱼ).
 */
export function pairwiseAbsDiff(x: Tensor): Tensor {
  if (x.ndim > 2 || (x.ndim === 2 && x.shape[1] !== 1)) throw new FomlabError(`pairwiseAbsDiff needs a vector, got [${x.shape.join(', ')}]`);
  const n = x.size, X = x.data;
  const out = allocFloat(x.dtype, n * n);
  for (let i = 0; i < n; i++) {
    const xi = X[i];
    for (let j = 0; j < n; j++) out[i * n + j] = Math.abs(xi - X[j]);
  }
  return result(out, [n, n], [x], 'pairwise_abs_diff', () => (g) => {
    const dx = x.gradBuffer();
    for (let i = 0; i < n; i++) {
      const xi = X[i];
      let s = 0;
      for (let j = 0; j < n; j++) {
        const d = xi - X[j];
        if (d !== 0) s += (g[i * n + j] + g[j * n + i]) * (d > 0 ? 1 : -1);
      }
      dx[i] += s;
    }
  });
}
