import { add, clamp, csrSum, div, Incidence, log, mean, mul, sqrt, type Tensor } from '../core/index.js';
import type { SensitivityParams, SigmaMinForm } from '../physics/fom.js';

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
}

/** σ_min per hypothesis (a tensor of length H) for the soft selection p. */
export function softSigmaMin(p: Tensor, inc: PunziIncidence, o: PunziLossOptions): Tensor {
  const { a, b, lumi } = o;
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
