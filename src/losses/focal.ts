import { z } from 'zod';
import { clamp, div, log, mul, neg, pow, sub, sum, tensor, add, type Tensor } from '../core/index.js';
import { numberBetween, section } from '../config/section.js';
import type { LossModule } from './registry.js';

/**
 * Focal loss (Lin et al., "Focal Loss for Dense Object Detection", arXiv:1708.02002, eq. 5),
 * weighted per event:
 *   FL = Σ_i w_i α_t (1 − p_t)^γ (−log p_t) / Σ_i w_i,
 * p_t = p for signal (y = 1), 1 − p for background; α_t = α for signal, 1 − α for background.
 * γ = 0, α = ½ gives half the weighted BCE; γ > 0 down-weights events already classified well.
 * p_t is clamped to [1e-7, 1 − 1e-7] (finite log and (1 − p_t)^γ gradient).
 */
export function focalLoss(p: Tensor, labels: Float32Array, weights: Float32Array, alpha: number, gamma: number): Tensor {
  const n = labels.length, dtype = p.dtype;
  const sign = new Float32Array(n), offset = new Float32Array(n), w = new Float32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] >= 0.5;
    sign[i] = y ? 1 : -1; // p_t = offset + sign · p
    offset[i] = y ? 0 : 1;
    w[i] = weights[i] * (y ? alpha : 1 - alpha);
    total += weights[i];
  }
  const pt = clamp(add(mul(p, tensor(sign, [n], { dtype })), tensor(offset, [n], { dtype })), 1e-7, 1 - 1e-7);
  const perEvent = mul(pow(sub(1, pt), gamma), neg(log(pt)));
  return div(sum(mul(perEvent, tensor(w, [n], { dtype }))), total > 0 ? total : 1);
}

export const focalOptionsSchema = section({
  /** α: the signal's share of the class weight (background 1 − α); Lin et al. use 0.25 */
  alpha: numberBetween(0, 1).default(0.25),
  /** γ ≥ 0: the focusing exponent (0: weighted cross-entropy); Lin et al. use 2 */
  gamma: z.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' }).default(2),
  /** weight signal and background to equal sums on top of the event weights, as for BCE */
  balance: z.boolean().default(true),
});
export type FocalOptions = z.infer<typeof focalOptionsSchema>;

export const focal: LossModule<FocalOptions> = {
  name: 'focal',
  options: focalOptionsSchema,
  value: (p, batch, o) => focalLoss(p, batch.labels(), batch.weights(o.balance), o.alpha, o.gamma),
  label: (o) => `focal loss (α = ${o.alpha}, γ = ${o.gamma})`,
  method: { name: 'Focal', label: 'focal loss' },
};
