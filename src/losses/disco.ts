import { FomlabError } from '../core/errors.js';
import { discoFast } from '../core/kernels/disco.js';
import { allocFloat, isGradEnabled, result, type Tensor } from '../core/tensor.js';

/**
 * The DisCo decorrelation term (Kasieczka & Shih 2020, arXiv:2001.05310, eq. 3 with the
 * reference's weighted distance correlation, power 1): λ·dCorr²_w(mass, ŷ), usually over
 * background only. Exact value and gradient in O(n log n) (src/core/kernels/disco.ts, Huo &
 * Székely 2016), so a batch of 8,192 or a whole training set of 10⁶ events costs no n×n matrix.
 * `massOrder`: the ascending argsort of `mass` when the same masses recur (full-batch training).
 */
export function discoTerm(p: Tensor, mass: ArrayLike<number>, weights: ArrayLike<number> | null, massOrder: Int32Array | null = null): Tensor {
  const n = p.size;
  if (mass.length !== n || (weights && weights.length !== n)) throw new FomlabError(`DisCo: output has ${n} events, mass ${mass.length}${weights ? `, weights ${weights.length}` : ''}`);
  const out = allocFloat(p.dtype, 1);
  if (n < 2) return result(out, [], [p], 'disco', () => () => {});
  const grad = isGradEnabled() && p.requiresGrad ? new Float64Array(n) : null;
  out[0] = discoFast(p.data, mass, weights, grad, massOrder).value;
  return result(out, [], [p], 'disco', () => (g) => {
    const dp = p.gradBuffer();
    if (grad) for (let i = 0; i < n; i++) dp[i] += g[0] * grad[i];
  });
}
