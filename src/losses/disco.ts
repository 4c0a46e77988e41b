import { z } from 'zod';
import { mul, sum } from '../core/index.js';
import { FomlabError } from '../core/errors.js';
import { section } from '../config/section.js';
import { discoFast, type DiscoFast } from '../core/kernels/disco.js';
import { nativeBinding } from '../core/kernels/native.js';
import { allocFloat, isGradEnabled, result, type Tensor } from '../core/tensor.js';
import type { LossModule } from './registry.js';

type Values = ArrayLike<number>;
const f32 = (a: Values | null): boolean => a === null || a instanceof Float32Array;

/**
 * Weighted DisCo R(x, y) and ∂R/∂x into `grad` (see src/core/kernels/disco.ts): the C++ kernel
 * when it is built and every array is a Float32Array, else the TypeScript twin (float64 tests).
 */
export function discoKernel(x: Values, y: Values, weights: Values | null, grad: Float32Array | Float64Array | null = null, yOrder: Int32Array | null = null): DiscoFast {
  const n = x.length;
  if (y.length !== n || (weights && weights.length !== n)) throw new FomlabError(`DisCo: output has ${n} events, mass ${y.length}${weights ? `, weights ${weights.length}` : ''}`);
  if (grad && grad.length !== n) throw new FomlabError(`DisCo: gradient buffer has ${grad.length} entries for ${n} events`);
  if (nativeBinding && n > 0 && f32(x) && f32(y) && f32(weights) && f32(grad)) {
    let wsum = n;
    if (weights) { wsum = 0; for (let i = 0; i < n; i++) wsum += weights[i]; }
    if (!(wsum > 0)) throw new FomlabError(`DisCo: the event weights sum to ${wsum} (must be > 0)`);
    const r = nativeBinding.discoFast(x as Float32Array, y as Float32Array, weights as Float32Array | null, grad as Float32Array | null, yOrder);
    return { value: r[0], vxy: r[1], vxx: r[2], vyy: r[3] };
  }
  return discoFast(x, y, weights, grad, yOrder);
}

/**
 * The DisCo decorrelation term (Kasieczka & Shih 2020, arXiv:2001.05310, eq. 3 with the
 * reference's weighted distance correlation, power 1): dCorr²_w(ŷ, mass), usually over
 * background only. Exact value and gradient in O(n log n) (Huo & Székely 2016), so a batch of
 * 8,192 or a whole training set of 10⁶ events costs no n×n matrix.
 * `massOrder`: the ascending argsort of `mass` when the same masses recur (full-batch training).
 */
export function discoTerm(p: Tensor, mass: Values, weights: Values | null, massOrder: Int32Array | null = null): Tensor {
  const n = p.size;
  if (mass.length !== n || (weights && weights.length !== n)) throw new FomlabError(`DisCo: output has ${n} events, mass ${mass.length}${weights ? `, weights ${weights.length}` : ''}`);
  const out = allocFloat(p.dtype, 1);
  if (n < 2) return result(out, [], [p], 'disco', () => () => {});
  const grad = isGradEnabled() && p.requiresGrad ? allocFloat(p.dtype, n) : null;
  out[0] = discoKernel(p.data, mass, weights, grad, massOrder).value;
  return result(out, [], [p], 'disco', () => (g) => {
    const dp = p.gradBuffer();
    if (grad) for (let i = 0; i < n; i++) dp[i] += g[0] * grad[i];
  });
}

export const discoOptionsSchema = section({
  /** weight events by their luminosity weights (negative ones at 0), as the DisCo reference's normedweight; false: each event 1 */
  weighted: z.boolean().default(true),
});
export type DiscoOptions = z.infer<typeof discoOptionsSchema>;

/** Non-negative event weights (a negative weight would make the distance variances indefinite). */
function clampedWeights(w: Float32Array): Float32Array {
  return Float32Array.from(w, (q) => (q > 0 ? q : 0));
}

/**
 * DisCo as a term of a stage's loss (registry.ts): dCorr²_w(ŷ, m) of the events of its scope,
 * e.g. `{loss: disco, weight: 50, scope: {events: background, mass: [100, 180]}}` (the H→Zγ
 * study's eq. 6); λ is the term's weight. A scope with fewer than 2 events (or all weights 0) adds 0.
 */
export const disco: LossModule<DiscoOptions> = {
  name: 'disco',
  options: discoOptionsSchema,
  value(p, batch, o) {
    const w = o.weighted ? clampedWeights(batch.weights(false)) : null;
    let total = p.size;
    if (w) { total = 0; for (const q of w) total += q; }
    if (p.size < 2 || !(total > 0)) return mul(sum(p), 0); // no events to decorrelate: 0 with a zero gradient
    return discoTerm(p, batch.mass(), w);
  },
  label: () => 'DisCo',
  method: { name: 'DisCo', label: 'DisCo decorrelation' },
};
