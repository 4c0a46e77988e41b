/**
 * Matrix products through `kernels.gemm` (batched over leading dims) and the fused dense layer
 * `linear(x, W, b, act)` = act(x·Wᵀ + b) through `kernels.denseForward` / `denseBackward` — the
 * fast path for MLPs: one kernel call per layer and direction.
 */
import { FomlabError } from '../errors.js';
import { kernels, type Activation } from '../kernels/index.js';
import { addInto, allocFloat, result, sameDtype, Tensor } from '../tensor.js';

export interface MatmulOptions {
  /** use Aᵀ for the last two dims of a */
  transposeA?: boolean;
  /** use Bᵀ for the last two dims of b */
  transposeB?: boolean;
}

/**
 * op(A)·op(B) over the last two dims; leading (batch) dims must be equal, or one side 2-D
 * (shared across the batch). Backward: dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const tA = opts.transposeA ?? false, tB = opts.transposeB ?? false;
  const dtype = sameDtype('matmul', a, b);
  if (a.ndim < 2 || b.ndim < 2) throw new FomlabError(`matmul needs tensors of at least 2 dims, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const ar = a.shape[a.ndim - 2], ac = a.shape[a.ndim - 1];
  const br = b.shape[b.ndim - 2], bc = b.shape[b.ndim - 1];
  const m = tA ? ac : ar, k = tA ? ar : ac;
  const kb = tB ? bc : br, n = tB ? br : bc;
  if (k !== kb) throw new FomlabError(`matmul: inner sizes differ (${k} vs ${kb}) for shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  const aBatch = a.shape.slice(0, -2), bBatch = b.shape.slice(0, -2);
  if (aBatch.length > 0 && bBatch.length > 0 && aBatch.join(',') !== bBatch.join(',')) {
    throw new FomlabError(`matmul: batch dims differ: [${aBatch.join(', ')}] vs [${bBatch.join(', ')}]`);
  }
  const batch = aBatch.length > 0 ? aBatch : bBatch;
  const nb = batch.reduce((p, q) => p * q, 1);
  const aStep = aBatch.length > 0 ? m * k : 0, bStep = bBatch.length > 0 ? k * n : 0;
  const out = allocFloat(dtype, nb * m * n);
  const A = a.data, B = b.data;
  for (let i = 0; i < nb; i++) {
    kernels.gemm(tA, tB, m, n, k, 1, view(A, i * aStep, m * k), view(B, i * bStep, k * n), 0, out.subarray(i * m * n, (i + 1) * m * n));
  }
  return result(out, [...batch, m, n], [a, b], 'matmul', () => (g) => {
    const dA = a.requiresGrad ? a.gradBuffer() : null, dB = b.requiresGrad ? b.gradBuffer() : null;
    for (let i = 0; i < nb; i++) {
      const gi = g.subarray(i * m * n, (i + 1) * m * n);
      const Ai = view(A, i * aStep, m * k), Bi = view(B, i * bStep, k * n);
      if (dA) {
        const d = view(dA, i * aStep, m * k);
        if (!tA) kernels.gemm(false, !tB, m, k, n, 1, gi, Bi, 1, d); // dA = dC·op(B)ᵀ
        else kernels.gemm(tB, true, k, m, n, 1, Bi, gi, 1, d); // dA = op(B)·dCᵀ
      }
      if (dB) {
        const d = view(dB, i * bStep, k * n);
        if (!tB) kernels.gemm(!tA, false, k, n, m, 1, Ai, gi, 1, d); // dB = op(A)ᵀ·dC
        else kernels.gemm(true, tA, n, k, m, 1, gi, Ai, 1, d); // dB = dCᵀ·op(A)
      }
    }
  });
}

function view<T extends Float32Array | Float64Array>(x: T, start: number, len: number): T {
  return (start === 0 && len === x.length ? x : x.subarray(start, start + len)) as T;
}

/**
 * Fused dense layer y = act(x·Wᵀ + b) with W in PyTorch's nn.Linear layout [out, in]; x is
 * [..., in] and y [..., out]. Forward and backward are one kernel call each.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null, act: Activation = 'identity'): Tensor {
  const dtype = sameDtype('linear', x, w, ...(b ? [b] : []));
  if (w.ndim !== 2) throw new FomlabError(`linear: weight must be [out, in], got [${w.shape.join(', ')}]`);
  const [nOut, nIn] = w.shape;
  if (x.shape[x.ndim - 1] !== nIn) throw new FomlabError(`linear: input has ${x.shape[x.ndim - 1]} features, weight expects ${nIn}`);
  if (b && b.size !== nOut) throw new FomlabError(`linear: bias has ${b.size} values, weight has ${nOut} outputs`);
  const n = x.size / nIn;
  const y = allocFloat(dtype, n * nOut);
  kernels.denseForward(x.data, w.data, b ? b.data : null, y, n, nIn, nOut, act);
  const parents = b ? [x, w, b] : [x, w];
  return result(y, [...x.shape.slice(0, -1), nOut], parents, `linear(${act})`, () => (g) => {
    let dx = null, accumulate = false;
    if (x.requiresGrad) {
      accumulate = x.grad !== null;
      dx = accumulate ? allocFloat(dtype, x.size) : x.gradBuffer();
    }
    const dw = w.requiresGrad ? w.gradBuffer() : null; // constant weights (eval-mode folded layers under integrated gradients): no dW product
    const db = b && b.requiresGrad ? b.gradBuffer() : null;
    kernels.denseBackward(x.data, w.data, y, g, dx, dw, db, n, nIn, nOut, act, b ? b.data : null);
    if (accumulate && dx) addInto(x.gradBuffer(), dx);
  });
}
