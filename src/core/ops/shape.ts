/**
 * Shape ops: reshape, permute/transpose, concat, stack, slice, gather (torch.gather along an
 * axis), indexSelect (rows of a batch). Each copies once and scatters the gradient back.
 */
import { FomlabError } from '../errors.js';
import { addInto, allocFloat, axisOf, result, sameDtype, sizeOf, splitAt, stridedIndexMap, Tensor } from '../tensor.js';

/** Same data in a new shape (one dim may be −1); shares the data array. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = [...shape];
  const free = s.indexOf(-1);
  if (free >= 0) s[free] = x.size / -sizeOf(s);
  if (sizeOf(s) !== x.size) throw new FomlabError(`reshape: cannot view [${x.shape.join(', ')}] as [${shape.join(', ')}]`);
  // the view's gradient is x's: x adopts the buffer when it has none yet (backward() drops the view's after this call), no
  // zeroed copy to add it into — one array of the batch's size less per reshape (e.g. the net's output [n, 1] → [n])
  return result(x.data, s, [x], 'reshape', () => (g) => {
    if (x.grad === null && x.backwardFn !== null) x.grad = g;
    else addInto(x.gradBuffer(), g);
  });
}

/** Inserts a dim of size 1 at `axis`. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const s = [...x.shape];
  s.splice(axis < 0 ? axis + x.ndim + 1 : axis, 0, 1);
  return reshape(x, s);
}

/** Dims reordered: out dim i is input dim dims[i]. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const nd = x.ndim;
  if (dims.length !== nd || [...dims].sort().some((d, i) => d !== i)) throw new FomlabError(`permute: [${dims.join(', ')}] is not a permutation of ${nd} dims`);
  const inStrides = new Array<number>(nd);
  let st = 1;
  for (let d = nd - 1; d >= 0; d--) { inStrides[d] = st; st *= x.shape[d]; }
  const outShape = dims.map((d) => x.shape[d]);
  const strides = dims.map((d) => inStrides[d]);
  const n = x.size;
  const map = stridedIndexMap(outShape, strides);
  const out = allocFloat(x.dtype, n);
  const X = x.data;
  for (let i = 0; i < n; i++) out[i] = X[map[i]];
  return result(out, outShape, [x], 'permute', () => (g) => {
    const dx = x.gradBuffer();
    for (let i = 0; i < n; i++) dx[map[i]] += g[i];
  });
}

/** Swaps two dims (default the last two). */
export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const dims = x.shape.map((_, i) => i);
  const i = axisOf(a, x.ndim, 'transpose'), j = axisOf(b, x.ndim, 'transpose');
  dims[i] = j;
  dims[j] = i;
  return permute(x, dims);
}

/** Joins tensors along an existing axis. */
export function concat(ts: readonly Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new FomlabError('concat: no tensors');
  const dtype = sameDtype('concat', ...ts);
  const ax = axisOf(axis, ts[0].ndim, 'concat');
  for (const t of ts) {
    if (t.ndim !== ts[0].ndim || t.shape.some((d, i) => i !== ax && d !== ts[0].shape[i])) {
      throw new FomlabError(`concat: shapes [${ts[0].shape.join(', ')}] and [${t.shape.join(', ')}] differ off axis ${ax}`);
    }
  }
  const [outer, , inner] = splitAt(ts[0].shape, ax);
  const sizes = ts.map((t) => t.shape[ax]);
  const total = sizes.reduce((p, q) => p + q, 0);
  const out = allocFloat(dtype, outer * total * inner);
  let off = 0;
  ts.forEach((t, k) => {
    const w = sizes[k] * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * w, (o + 1) * w), o * total * inner + off);
    off += w;
  });
  const shape = [...ts[0].shape];
  shape[ax] = total;
  return result(out, shape, ts, 'concat', () => (g) => {
    let o2 = 0;
    ts.forEach((t, k) => {
      const w = sizes[k] * inner;
      if (t.requiresGrad) {
        const dt = t.gradBuffer();
        for (let o = 0; o < outer; o++) {
          const src = o * total * inner + o2;
          for (let j = 0; j < w; j++) dt[o * w + j] += g[src + j];
        }
      }
      o2 += w;
    });
  });
}

/** Joins same-shaped tensors along a new axis. */
export function stack(ts: readonly Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new FomlabError('stack: no tensors');
  const ax = axis < 0 ? axis + ts[0].ndim + 1 : axis;
  return concat(ts.map((t) => unsqueeze(t, ax)), ax);
}

/** Elements start..end−1 along `axis` (negative start/end count from the end). */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const ax = axisOf(axis, x.ndim, 'slice');
  const [outer, n, inner] = splitAt(x.shape, ax);
  const s = Math.max(0, start < 0 ? start + n : start);
  const e = Math.min(n, end === undefined ? n : end < 0 ? end + n : end);
  const len = Math.max(0, e - s);
  const out = allocFloat(x.dtype, outer * len * inner);
  for (let o = 0; o < outer; o++) out.set(x.data.subarray((o * n + s) * inner, (o * n + s + len) * inner), o * len * inner);
  const shape = [...x.shape];
  shape[ax] = len;
  return result(out, shape, [x], 'slice', () => (g) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      const d0 = (o * n + s) * inner, g0 = o * len * inner;
      for (let j = 0; j < len * inner; j++) dx[d0 + j] += g[g0 + j];
    }
  });
}

/** The slices at `indices` along `axis` (torch.index_select), e.g. the rows of a batch. */
export function indexSelect(x: Tensor, axis: number, indices: ArrayLike<number>): Tensor {
  const ax = axisOf(axis, x.ndim, 'indexSelect');
  const [outer, n, inner] = splitAt(x.shape, ax);
  const m = indices.length;
  for (let i = 0; i < m; i++) if (!(indices[i] >= 0 && indices[i] < n)) throw new FomlabError(`indexSelect: index ${indices[i]} outside 0..${n - 1}`);
  const out = allocFloat(x.dtype, outer * m * inner);
  const X = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const src = (o * n + indices[i]) * inner, dst = (o * m + i) * inner;
      if (inner === 1) out[dst] = X[src];
      else out.set(X.subarray(src, src + inner), dst);
    }
  }
  const shape = [...x.shape];
  shape[ax] = m;
  return result(out, shape, [x], 'index_select', () => (g) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) {
        const src = (o * n + indices[i]) * inner, dst = (o * m + i) * inner;
        for (let j = 0; j < inner; j++) dx[src + j] += g[dst + j];
      }
    }
  });
}

/**
 * torch.gather along `axis`: out has x's shape with that axis of length index.length/(outer·inner),
 * and out[o, i, j] = x[o, index[o, i, j], j].
 */
export function gather(x: Tensor, axis: number, index: Int32Array): Tensor {
  const ax = axisOf(axis, x.ndim, 'gather');
  const [outer, n, inner] = splitAt(x.shape, ax);
  const m = index.length / (outer * inner);
  if (!Number.isInteger(m)) throw new FomlabError(`gather: ${index.length} indices do not fit shape [${x.shape.join(', ')}] along axis ${ax}`);
  const out = allocFloat(x.dtype, index.length);
  const X = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < inner; j++) {
        const k = (o * m + i) * inner + j, r = index[k];
        if (r < 0 || r >= n) throw new FomlabError(`gather: index ${r} outside 0..${n - 1}`);
        out[k] = X[(o * n + r) * inner + j];
      }
    }
  }
  const shape = [...x.shape];
  shape[ax] = m;
  return result(out, shape, [x], 'gather', () => (g) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < inner; j++) {
          const k = (o * m + i) * inner + j;
          dx[(o * n + index[k]) * inner + j] += g[k];
        }
      }
    }
  });
}
