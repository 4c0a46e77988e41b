/**
 * Reductions (sum, mean over all or one axis), softmax / log-softmax along an axis, and a fused
 * weighted binary cross-entropy on probabilities (torch.nn.functional.binary_cross_entropy).
 */
import { FomlabError } from '../errors.js';
import { allocFloat, axisOf, result, sameDtype, splitAt, Tensor } from '../tensor.js';

function reducedShape(shape: readonly number[], axis: number, keepDim: boolean): number[] {
  const s = [...shape];
  if (keepDim) s[axis] = 1;
  else s.splice(axis, 1);
  return s;
}

function sumImpl(x: Tensor, axis: number | undefined, keepDim: boolean, scale: number, op: string): Tensor {
  if (axis === undefined) {
    let s = 0;
    const d = x.data;
    for (let i = 0; i < d.length; i++) s += d[i];
    const out = allocFloat(x.dtype, 1);
    out[0] = s * scale;
    return result(out, keepDim ? x.shape.map(() => 1) : [], [x], op, () => (g) => {
      const dx = x.gradBuffer(), gv = g[0] * scale;
      for (let i = 0; i < dx.length; i++) dx[i] += gv;
    });
  }
  const ax = axisOf(axis, x.ndim, op);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const out = allocFloat(x.dtype, outer * inner);
  const d = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const base = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[o * inner + j] += d[base + j];
    }
  }
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
  return result(out, reducedShape(x.shape, ax, keepDim), [x], op, () => (g) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < n; i++) {
        const base = (o * n + i) * inner;
        for (let j = 0; j < inner; j++) dx[base + j] += g[o * inner + j] * scale;
      }
    }
  });
}

/** Σ over all elements (axis undefined) or over one axis. */
export function sum(x: Tensor, axis?: number, keepDim = false): Tensor {
  return sumImpl(x, axis, keepDim, 1, 'sum');
}

/** Mean over all elements or over one axis. */
export function mean(x: Tensor, axis?: number, keepDim = false): Tensor {
  const n = axis === undefined ? x.size : x.shape[axisOf(axis, x.ndim, 'mean')];
  return sumImpl(x, axis, keepDim, 1 / n, 'mean');
}

function softmaxImpl(x: Tensor, axis: number, logOut: boolean): Tensor {
  const op = logOut ? 'log_softmax' : 'softmax';
  const ax = axisOf(axis, x.ndim, op);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const d = x.data;
  const y = allocFloat(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let mx = -Infinity;
      for (let i = 0; i < n; i++) mx = Math.max(mx, d[base + i * inner]);
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(d[base + i * inner] - mx);
      const lse = mx + Math.log(s);
      for (let i = 0; i < n; i++) {
        const k = base + i * inner;
        y[k] = logOut ? d[k] - lse : Math.exp(d[k] - lse);
      }
    }
  }
  return result(y, x.shape, [x], op, () => (g) => {
    const dx = x.gradBuffer();
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        let s = 0;
        if (logOut) {
          // dx = g − softmax·Σg
          for (let i = 0; i < n; i++) s += g[base + i * inner];
          for (let i = 0; i < n; i++) { const k = base + i * inner; dx[k] += g[k] - Math.exp(y[k]) * s; }
        } else {
          // dx = y·(g − Σ g·y)
          for (let i = 0; i < n; i++) { const k = base + i * inner; s += g[k] * y[k]; }
          for (let i = 0; i < n; i++) { const k = base + i * inner; dx[k] += y[k] * (g[k] - s); }
        }
      }
    }
  });
}

/** softmax along `axis` (default last), max-shifted for stability */
export const softmax = (x: Tensor, axis = -1): Tensor => softmaxImpl(x, axis, false);
/** log-softmax along `axis` (default last), via log-sum-exp */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => softmaxImpl(x, axis, true);

/**
 * Binary cross-entropy of probabilities p against targets y, optionally weighted per element:
 * Σ w·ℓ / Σ w with ℓ = −[y·log p + (1−y)·log(1−p)], logs clamped at −100 as in PyTorch's BCELoss
 * (so the gradient is −(y/p − (1−y)/(1−p))·w/Σw, with p clamped off 0 and 1 through the clamp).
 * `reduction: 'sum'` returns Σ w·ℓ instead.
 */
export function binaryCrossEntropy(p: Tensor, target: Tensor, weight: Tensor | null = null, reduction: 'mean' | 'sum' = 'mean'): Tensor {
  sameDtype('binaryCrossEntropy', p, target, ...(weight ? [weight] : []));
  const n = p.size;
  if (target.size !== n || (weight && weight.size !== n)) {
    throw new FomlabError(`binaryCrossEntropy: output has ${n} elements, target ${target.size}${weight ? `, weight ${weight.size}` : ''}`);
  }
  const P = p.data, Y = target.data, W = weight ? weight.data : null;
  let s = 0, sw = 0;
  for (let i = 0; i < n; i++) {
    const lp = Math.max(Math.log(P[i]), -100), l1p = Math.max(Math.log(1 - P[i]), -100);
    const w = W ? W[i] : 1;
    s -= w * (Y[i] * lp + (1 - Y[i]) * l1p);
    sw += w;
  }
  const norm = reduction === 'mean' ? 1 / sw : 1;
  const out = allocFloat(p.dtype, 1);
  out[0] = s * norm;
  return result(out, [], [p], 'bce', () => (g) => {
    const dp = p.gradBuffer(), gs = g[0] * norm;
    for (let i = 0; i < n; i++) {
      const w = W ? W[i] : 1;
      // PyTorch: grad = (p − y) / max((1−p)·p, 1e-12)
      dp[i] += (gs * w * (P[i] - Y[i])) / Math.max((1 - P[i]) * P[i], 1e-12);
    }
  });
}
