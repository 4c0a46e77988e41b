import type { z } from 'zod';
import { add, mul, sum, tensor, type Tensor } from '../core/index.js';
import { numberBetween, section } from '../config/section.js';
import type { LossModule } from './registry.js';

/**
 * The Asimov-significance loss of Elwood & Krücker ("Direct optimisation of the discovery
 * significance when training neural networks to search for new physics in particle colliders",
 * arXiv:1806.00322, eqs. 5–7): loss = −Z_A(s, b), with s = k Σ_sig w_i p_i and b = k Σ_bkg w_i p_i
 * the selected weights as soft sums of the outputs (k = the split's events / the batch's events),
 * and Z_A Cowan et al.'s discovery significance with a background uncertainty σ_b = r·b:
 *   Z_A² = 2[(s+b) ln((s+b)(b+σ_b²)/(b²+(s+b)σ_b²)) − (b²/σ_b²) ln(1 + σ_b² s/(b(b+σ_b²)))].
 * With σ_b = r·b this is, for t = s + b and u = r² (used below, log1p throughout):
 *   F = Z_A²/2 = t·L₁ − (1/u)·ln((1+ut)/(1+ub)),   L₁ = ln(t/b) − ln((1+ut)/(1+ub)),
 *   ∂F/∂s = L₁,   ∂F/∂b = L₁ − t/b + (1+ut)/(1+ub),
 * and r = 0 the familiar F = (s+b) ln(1+s/b) − s, ∂F/∂s = ln(1+s/b), ∂F/∂b = ln(1+s/b) − s/b.
 * Z and its partials are evaluated in float64 (the cancellation in F for s ≪ b would ruin float32),
 * and the loss is the tensor −Z₀ − ∂Z/∂s·(s − s₀) − ∂Z/∂b·(b − b₀): value −Z, exact gradient.
 */
export function asimovWithUncertainty(s: number, b: number, r: number): { z: number; dzds: number; dzdb: number } {
  const u = r * r;
  if (!(s > 0) || !(b > 0)) return { z: 0, dzds: 0, dzdb: 0 };
  const x = s / b;
  let f: number, dfds: number, dfdb: number;
  if (u === 0) {
    const l = Math.log1p(x);
    f = x < 1e-4 ? b * x * x * (0.5 - x / 6 + (x * x) / 12) : (s + b) * l - s; // (1+x)ln(1+x) − x = x²/2 − x³/6 + x⁴/12 − …
    dfds = l;
    dfdb = l - x;
  } else {
    const t = s + b, lr = Math.log1p((u * s) / (1 + u * b)); // ln((1+ut)/(1+ub))
    const l1 = Math.log1p(x) - lr;
    f = t * l1 - lr / u;
    dfds = l1;
    dfdb = l1 - t / b + (1 + u * t) / (1 + u * b);
  }
  const z = Math.sqrt(Math.max(0, 2 * f));
  if (!(z > 0)) return { z: 0, dzds: 0, dzdb: 0 };
  return { z, dzds: dfds / z, dzdb: dfdb / z }; // ∂Z = ∂(Z²/2)/Z
}

/** −Z_A of the soft selection: p the outputs, k the batch → split scale, r = σ_b / b. */
export function asimovLoss(p: Tensor, labels: Float32Array, weights: Float32Array, k: number, r: number): Tensor {
  const n = labels.length, dtype = p.dtype;
  const ws = new Float64Array(n), wb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = weights[i] > 0 ? k * weights[i] : 0;
    if (labels[i] >= 0.5) ws[i] = w;
    else wb[i] = w;
  }
  const s = sum(mul(p, tensor(ws, [n], { dtype }))), b = sum(mul(p, tensor(wb, [n], { dtype })));
  const s0 = s.item(), b0 = b.item();
  const { z, dzds, dzdb } = asimovWithUncertainty(s0, b0, r);
  return add(add(mul(s, -dzds), mul(b, -dzdb)), -z + dzds * s0 + dzdb * b0);
}

export const asimovOptionsSchema = section({
  /** relative background uncertainty r = σ_b / b (0: none); Elwood & Krücker show 0.1–0.5 */
  backgroundUncertainty: numberBetween(0, 10).default(0),
});
export type AsimovOptions = z.infer<typeof asimovOptionsSchema>;

export const asimov: LossModule<AsimovOptions> = {
  name: 'asimov',
  options: asimovOptionsSchema,
  value: (p, batch, o) => asimovLoss(p, batch.labels(), batch.weights(false), batch.scale, o.backgroundUncertainty),
  label: (o) => (o.backgroundUncertainty > 0 ? `−Z_A (σ_b = ${o.backgroundUncertainty}·b)` : '−Z_A'),
  method: { name: 'Asimov', label: 'Asimov-Z loss' },
};
