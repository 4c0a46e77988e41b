/** Gradient clipping as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import type { Tensor } from '../tensor.js';

/**
 * Scales all gradients by min(1, maxNorm/(‖g‖ + 1e-6)), ‖g‖ the p-norm over all of them together
 * (p = Infinity for the max norm). Returns the norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  const grads = [...params].map((p) => p.grad).filter((g) => g !== null);
  let total = 0;
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) {
      const a = Math.abs(g[i]);
      if (normType === Infinity) total = Math.max(total, a);
      else total += Math.pow(a, normType);
    }
  }
  if (normType !== Infinity) total = Math.pow(total, 1 / normType);
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
  return total;
}

/** Clamps every gradient element to [−clip, clip]. */
export function clipGradValue(params: Iterable<Tensor>, clip: number): void {
  for (const p of params) {
    const g = p.grad;
    if (!g) continue;
    for (let i = 0; i < g.length; i++) g[i] = Math.min(clip, Math.max(-clip, g[i]));
  }
}
