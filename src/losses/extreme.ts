import { FomlabError } from '../core/errors.js';
import { allocFloat, result, type Tensor } from '../core/tensor.js';
import { bceOptionsSchema, type BceOptions } from './bce.js';
import type { LossModule } from './registry.js';

/** Output range of the extreme loss (the study's eq. 4): p is clamped to [P_MIN, P_MAX]. */
export const EXTREME_P_MIN = 0.001;
export const EXTREME_P_MAX = 0.999;

/**
 * Extreme loss of one event (event classifier transformer study, eq. 4), p clamped to
 * [0.001, 0.999]:  ℓ = y·[1/p + log((1−p)/p)] + (1−y)·[1/(1−p) + log(p/(1−p))].
 * It grows like 1/p for a confidently wrong output (BCE only like −log p), so badly classified
 * events dominate. Returns [ℓ, ∂ℓ/∂p]; the derivative is 0 outside the clamp range, as autograd
 * through a clamp gives.
 */
export function extremeLossOf(p: number, y: number): [number, number] {
  const inside = p > EXTREME_P_MIN && p < EXTREME_P_MAX;
  const q = Math.min(Math.max(p, EXTREME_P_MIN), EXTREME_P_MAX), r = 1 - q;
  const logit = Math.log(q / r);
  const l1 = 1 / q - logit, l0 = 1 / r + logit;
  // d/dp [1/p − logit p] = −1/p² − 1/(p(1−p));  d/dp [1/(1−p) + logit p] = 1/(1−p)² + 1/(p(1−p))
  const d1 = -1 / (q * q) - 1 / (q * r), d0 = 1 / (r * r) + 1 / (q * r);
  return [y * l1 + (1 - y) * l0, inside ? y * d1 + (1 - y) * d0 : 0];
}

/** Weighted extreme loss of the net's probabilities p: L = Σ w_i ℓ_i / Σ w_i (labels 1 signal, 0 background). */
export function weightedExtreme(p: Tensor, labels: Float32Array, weights: Float32Array): Tensor {
  const n = p.size, P = p.data;
  if (labels.length !== n || weights.length !== n) throw new FomlabError(`extreme loss: output has ${n} events, labels ${labels.length}, weights ${weights.length}`);
  let s = 0, sw = 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [l, dl] = extremeLossOf(P[i], labels[i]);
    s += weights[i] * l; sw += weights[i]; d[i] = weights[i] * dl;
  }
  const norm = sw > 0 ? 1 / sw : 0;
  const out = allocFloat(p.dtype, 1);
  out[0] = s * norm;
  return result(out, [], [p], 'extreme', () => (g) => {
    const dp = p.gradBuffer(), gs = g[0] * norm;
    for (let i = 0; i < n; i++) dp[i] += gs * d[i];
  });
}

/** The extreme loss as a stage's loss or term (registry.ts), e.g. `{loss: extreme, scope: {mass: [120, 130]}}`. */
export const extreme: LossModule<BceOptions> = {
  name: 'extreme',
  // `balance`: signal and background weighted to equal sums on top of the event weights, as for BCE (the study does)
  options: bceOptionsSchema,
  value: (p, batch, o) => weightedExtreme(p, batch.labels(), batch.weights(o.balance)),
  label: () => 'extreme loss',
  method: { name: 'Extreme', label: 'extreme loss' },
};
