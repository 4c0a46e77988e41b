/**
 * Normalisation and dropout: layer norm (Ba et al. 2016), batch norm with PyTorch's running
 * statistics (biased variance to normalise, unbiased in the running estimate), dropout with a
 * mask drawn from an explicit Rng (inverted dropout: kept values scaled by 1/(1−p)).
 */
import { FomlabError } from '../errors.js';
import type { Rng } from '../rng.js';
import { allocFloat, result, Tensor, type FloatArray } from '../tensor.js';

/**
 * Shared backward of x̂ = (x − μ)·rstd over groups: dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)),
 * where element e of group c is at index(c, e).
 */
function normBackward(dx: FloatArray, dxhat: FloatArray, xhat: FloatArray, rstd: FloatArray, groups: number, m: number, index: (c: number, e: number) => number): void {
  for (let c = 0; c < groups; c++) {
    let s1 = 0, s2 = 0;
    for (let e = 0; e < m; e++) { const k = index(c, e); s1 += dxhat[k]; s2 += dxhat[k] * xhat[k]; }
    s1 /= m; s2 /= m;
    for (let e = 0; e < m; e++) { const k = index(c, e); dx[k] += rstd[c] * (dxhat[k] - s1 - xhat[k] * s2); }
  }
}

/** Layer norm over the last `normalizedSize` elements of each row, with optional elementwise affine γ, β. */
export function layerNorm(x: Tensor, normalizedSize: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const D = normalizedSize, rows = x.size / D;
  if (!Number.isInteger(rows)) throw new FomlabError(`layerNorm: ${x.size} values are not rows of ${D}`);
  const X = x.data, G = weight?.data, B = bias?.data;
  const xhat = allocFloat(x.dtype, x.size), y = allocFloat(x.dtype, x.size), rstd = allocFloat(x.dtype, rows);
  for (let r = 0; r < rows; r++) {
    let mu = 0, v = 0;
    for (let j = 0; j < D; j++) mu += X[r * D + j];
    mu /= D;
    for (let j = 0; j < D; j++) { const d = X[r * D + j] - mu; v += d * d; }
    const rs = (rstd[r] = 1 / Math.sqrt(v / D + eps));
    for (let j = 0; j < D; j++) {
      const k = r * D + j, h = (xhat[k] = (X[k] - mu) * rs);
      y[k] = (G ? h * G[j] : h) + (B ? B[j] : 0);
    }
  }
  const parents = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return result(y, x.shape, parents, 'layer_norm', () => (g) => {
    if (weight?.requiresGrad || bias?.requiresGrad) {
      const dG = weight?.requiresGrad ? weight.gradBuffer() : null, dB = bias?.requiresGrad ? bias.gradBuffer() : null;
      for (let k = 0; k < g.length; k++) { const j = k % D; if (dG) dG[j] += g[k] * xhat[k]; if (dB) dB[j] += g[k]; }
    }
    if (!x.requiresGrad) return;
    let dxhat = g;
    if (G) { dxhat = allocFloat(x.dtype, g.length); for (let k = 0; k < g.length; k++) dxhat[k] = g[k] * G[k % D]; }
    normBackward(x.gradBuffer(), dxhat, xhat, rstd, rows, D, (r, j) => r * D + j);
  });
}

export interface BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch norm over channels at axis 1 of x [N, C] or [N, C, L] (torch.nn.functional.batch_norm).
 * Training: batch statistics, and running ← (1−momentum)·running + momentum·batch (unbiased
 * variance); eval: the running statistics.
 */
export function batchNorm(x: Tensor, o: BatchNormOptions): Tensor {
  if (x.ndim !== 2 && x.ndim !== 3) throw new FomlabError(`batchNorm expects [N, C] or [N, C, L], got [${x.shape.join(', ')}]`);
  const N = x.shape[0], C = x.shape[1], L = x.ndim === 3 ? x.shape[2] : 1, M = N * L;
  const idx = (c: number, e: number): number => (Math.floor(e / L) * C + c) * L + (e % L);
  const X = x.data, eps = o.eps ?? 1e-5, mom = o.momentum ?? 0.1;
  const mean = allocFloat(x.dtype, C), rstd = allocFloat(x.dtype, C);
  const useBatch = o.training || !o.runningMean || !o.runningVar;
  if (useBatch && M < 2 && o.training) throw new FomlabError('batchNorm in training needs more than one value per channel');
  for (let c = 0; c < C; c++) {
    let mu: number, v: number;
    if (useBatch) {
      mu = 0; v = 0;
      for (let e = 0; e < M; e++) mu += X[idx(c, e)];
      mu /= M;
      for (let e = 0; e < M; e++) { const d = X[idx(c, e)] - mu; v += d * d; }
      if (o.training && o.runningMean && o.runningVar) {
        o.runningMean.data[c] = (1 - mom) * o.runningMean.data[c] + mom * mu;
        o.runningVar.data[c] = (1 - mom) * o.runningVar.data[c] + (mom * v) / (M - 1);
      }
      v /= M;
    } else {
      mu = o.runningMean!.data[c];
      v = o.runningVar!.data[c];
    }
    mean[c] = mu;
    rstd[c] = 1 / Math.sqrt(v + eps);
  }
  const G = o.weight?.data, B = o.bias?.data;
  const xhat = allocFloat(x.dtype, x.size), y = allocFloat(x.dtype, x.size);
  for (let c = 0; c < C; c++) {
    for (let e = 0; e < M; e++) {
      const k = idx(c, e), h = (xhat[k] = (X[k] - mean[c]) * rstd[c]);
      y[k] = (G ? h * G[c] : h) + (B ? B[c] : 0);
    }
  }
  const weight = o.weight ?? null, bias = o.bias ?? null;
  const parents = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return result(y, x.shape, parents, 'batch_norm', () => (g) => {
    const dG = weight?.requiresGrad ? weight.gradBuffer() : null, dB = bias?.requiresGrad ? bias.gradBuffer() : null;
    for (let c = 0; c < C; c++) {
      for (let e = 0; e < M; e++) { const k = idx(c, e); if (dG) dG[c] += g[k] * xhat[k]; if (dB) dB[c] += g[k]; }
    }
    if (!x.requiresGrad) return;
    const dxhat = allocFloat(x.dtype, g.length);
    for (let c = 0; c < C; c++) for (let e = 0; e < M; e++) { const k = idx(c, e); dxhat[k] = G ? g[k] * G[c] : g[k]; }
    const dx = x.gradBuffer();
    if (useBatch) normBackward(dx, dxhat, xhat, rstd, C, M, idx);
    else for (let c = 0; c < C; c++) for (let e = 0; e < M; e++) { const k = idx(c, e); dx[k] += dxhat[k] * rstd[c]; }
  });
}

/** Inverted dropout: zero each element with probability p (mask from `rng`), scale the rest by 1/(1−p). */
export function dropout(x: Tensor, p: number, rng: Rng, training = true): Tensor {
  if (!(p >= 0 && p <= 1)) throw new FomlabError(`dropout probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocFloat(x.dtype, x.size), y = allocFloat(x.dtype, x.size);
  const X = x.data;
  for (let i = 0; i < x.size; i++) {
    mask[i] = rng.uniform() < p ? 0 : scale;
    y[i] = X[i] * mask[i];
  }
  return result(y, x.shape, [x], 'dropout', () => (g) => {
    const dx = x.gradBuffer();
    for (let i = 0; i < g.length; i++) dx[i] += g[i] * mask[i];
  });
}
