import { z } from 'zod';
import { binaryCrossEntropy, tensor, type Tensor } from '../core/index.js';
import { section } from '../config/section.js';
import type { LossModule } from './registry.js';

/**
 * Per-event weights for the BCE stage. With `balance`, signal weights are scaled so that the
 * signal and background weight sums are equal, as the public reference code does
 * (prepare.set_weights: signal_factor = Σw_bkg / Σw_sig), so a rare signal is not ignored.
 */
export function bceWeights(labels: Float32Array, weights: Float32Array, balance: boolean): Float32Array {
  const out = Float32Array.from(weights, (w) => (w > 0 ? w : 0));
  if (!balance) return out;
  let ws = 0, wb = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= 0.5) ws += out[i];
    else wb += out[i];
  }
  if (ws > 0 && wb > 0) {
    const f = wb / ws;
    for (let i = 0; i < labels.length; i++) if (labels[i] >= 0.5) out[i] *= f;
  }
  return out;
}

/**
 * Weighted binary cross-entropy of the net's probabilities p (seed study's BCE stage):
 * L = Σ w·ℓ / Σ w, ℓ = −[y log p + (1−y) log(1−p)] (PyTorch BCELoss, logs clamped at −100).
 */
export function weightedBce(p: Tensor, labels: Float32Array, weights: Float32Array): Tensor {
  const dtype = p.dtype;
  return binaryCrossEntropy(p, tensor(labels, [labels.length], { dtype }), tensor(weights, [weights.length], { dtype }), 'mean');
}

export const bceOptionsSchema = section({
  /** weight signal and background to equal sums (class balance) on top of the event weights */
  balance: z.boolean().default(true),
});
export type BceOptions = z.infer<typeof bceOptionsSchema>;

/** The BCE loss as a stage's loss or term (registry.ts): the seed study's pre-training. */
export const bce: LossModule<BceOptions> = {
  name: 'bce',
  options: bceOptionsSchema,
  value: (p, batch, o) => weightedBce(p, batch.labels(), batch.weights(o.balance)),
  label: () => 'BCE',
  method: { name: 'BCE', label: 'BCE only' },
  // forward + BCE + backward fused in the model's kernel (gathers the batch's rows itself)
  fusedStep: (model, x, batch, o) => model.bceStep?.(x, batch.split.labels, o.balance ? batch.split.balancedWeights : batch.split.weights, batch.rows),
};
