import { add, clamp, csrSum, div, Incidence, log, mean, mul, sharpenProbability, sqrt, type Tensor } from '../core/index.js';
import { z } from 'zod';
import type { SensitivityParams, SigmaMinForm } from '../physics/fom.js';
import { oneOf, section } from '../config/section.js';
import type { LossModule } from './registry.js';

/**
 * The Punzi loss (Punzi-loss paper, eq. 9 and §3): for every training mass hypothesis h
 *   ε_h = k · Σ_{signal generated at h, inside window h} p_i / N_gen(h)
 *   B_h = k · Σ_{background inside window h} w_i · p_i
 *   σ_min,h = (c + a√B_h + b/2 · √(b² + 4a√B_h + 4B_h)) / (ε_h · L)
 * with c = b²/2 (paper eq. 9) or a²/8 + 9b²/13 (Punzi 2003, as the public reference code), and
 * the loss = mean_h σ_min,h. k is the batch scale factor: a batch (or a split) stands for the
 * whole sample, so its sums are multiplied by (whole sample / batch). The net output p acts as a
 * soft selection, which makes σ_min differentiable.
 *
 * The two incidences carry their coefficients: signal k/N_gen(h), background k·w_i (see
 * `PunziIncidence`), so the loss itself is two CSR sums and a few element-wise ops.
 */
export interface PunziIncidence {
  /** signal rows: coefficient k / N_gen(h) per entry */
  signal: Incidence;
  /** background rows: coefficient k · w_i per entry */
  background: Incidence;
}

export interface PunziLossOptions extends SensitivityParams {
  form: SigmaMinForm;
  /** ε is clamped from below (the reference code sets ε = 0 to 1e-6) */
  minEfficiency?: number;
  /**
   * How hypotheses are combined: 'mean' of σ_min (the seed study), or 'logMean', the mean of
   * ln σ_min, which weighs every hypothesis by its relative improvement, so the masses with the
   * largest σ_min do not take the whole gradient when σ_min spans decades across the scan.
   */
  aggregate?: 'mean' | 'logMean';
  /**
   * Steepness k of the soft selection (default 1: the seed study's p). The loss then uses
   * p_k = σ(k · logit p) = p^k / (p^k + (1 − p)^k), a sharper step at p = 0.5, so ε and B of the
   * soft selection move towards the counts of a hard cut (k → ∞). Same idea as the temperature of
   * a relaxed discrete choice annealed during training (Gumbel-softmax, Jang et al.,
   * arXiv:1611.01144) and the bandwidth of differentiable cuts/histograms (neos, Simpson &
   * Heinrich, arXiv:2203.05570). See `sharpnessAt` for the annealing over a stage.
   */
  sharpness?: number;
}

/** p^k / (p^k + (1 − p)^k) = σ(k · logit p); p itself for k = 1. */
export function sharpen(p: Tensor, k: number): Tensor {
  return k === 1 ? p : sharpenProbability(p, k);
}

/**
 * The steepness in epoch `epoch` (0-based) of a stage of `epochs` epochs: a constant, or
 * annealed geometrically from `from` (first epoch) to `to` (last epoch):
 * k_e = from · (to / from)^(e / (epochs − 1)).
 */
export function sharpnessAt(s: number | { from: number; to: number }, epoch: number, epochs: number): number {
  if (typeof s === 'number') return s;
  const t = epochs > 1 ? Math.min(epoch / (epochs - 1), 1) : 1;
  return s.from * Math.pow(s.to / s.from, t);
}

/** σ_min per hypothesis (a tensor of length H) for the soft selection p. */
export function softSigmaMin(p: Tensor, inc: PunziIncidence, o: PunziLossOptions): Tensor {
  const { a, b, lumi } = o;
  p = sharpen(p, o.sharpness ?? 1);
  const eff = clamp(csrSum(p, inc.signal), o.minEfficiency ?? 1e-6, null);
  // B ≥ tiny keeps d√B/dB finite for a hypothesis without background in the batch
  const B = clamp(csrSum(p, inc.background), 1e-12, null);
  const rootB = sqrt(B);
  const c = o.form === 'paper' ? (b * b) / 2 : (a * a) / 8 + (9 * b * b) / 13;
  const inner = sqrt(add(add(mul(rootB, 4 * a), mul(B, 4)), b * b));
  const numerator = add(add(mul(rootB, a), mul(inner, b / 2)), c);
  return div(numerator, mul(eff, lumi));
}

/** The loss: mean over hypotheses of σ_min (lower is better). */
export function punziLoss(p: Tensor, inc: PunziIncidence, o: PunziLossOptions): Tensor {
  const s = softSigmaMin(p, inc, o);
  return o.aggregate === 'logMean' ? mean(log(s)) : mean(s);
}

/** a steepness k ≥ 1 (k < 1 would soften the selection, with unbounded gradients at p = 0 or 1) */
const steepness = z.number({ error: 'expected a number ≥ 1' }).min(1, { error: 'expected a number ≥ 1' });

export const punziOptionsSchema = section({
  /** combine hypotheses by the mean of σ_min (seed study) or the mean of ln σ_min */
  aggregate: oneOf(['mean', 'logMean']).default('mean'),
  /** steepness k of the soft selection, a constant or annealed geometrically over the stage {from, to}; absent (= 1) is the seed study */
  sharpness: z.union([steepness, section({ from: steepness, to: steepness })]).optional(),
});
export type PunziOptions = z.infer<typeof punziOptionsSchema>;

/** The Punzi loss as a stage's loss or term (registry.ts), over Punzi's per-hypothesis incidence of the batch. */
export const punzi: LossModule<PunziOptions> = {
  name: 'punzi',
  options: punziOptionsSchema,
  value: (p, batch, o, ctx) => punziLoss(p, batch.incidence(), { ...ctx.sensitivity, aggregate: o.aggregate, sharpness: sharpnessAt(o.sharpness ?? 1, ctx.epoch, ctx.epochs) }),
  label: (o) => (o.aggregate === 'logMean' ? 'Punzi loss (mean ln σ_min/fb)' : 'Punzi loss (mean σ_min, fb)'),
  method: { name: 'Punzi', label: 'Punzi-net' },
  ascendingBatches: true,
  annealed: (o) => typeof o.sharpness === 'object' && o.sharpness.from !== o.sharpness.to,
};
