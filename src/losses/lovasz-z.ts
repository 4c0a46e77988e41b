import { z } from 'zod';
import { add, clamp, log, mul, neg, pow, radixOrder, relu, sub, sum, tensor, type Tensor } from '../core/index.js';
import { numberBetween, section } from '../config/section.js';
import { asimovDiscovery, sOverSqrtB } from '../physics/fom.js';
import type { LossModule } from './registry.js';

/**
 * Lovász-extension surrogate of the Z score (VLQ thesis §6.3, Algorithm 1), built on the Lovász
 * hinge / Lovász-softmax of Berman, Rannen Triki & Blaschko (arXiv:1705.08790, eqs. 8–9, Alg. 1):
 *   1. per-event errors m_i ≥ 0 (hinge, sigmoid, cross-entropy or focal, below);
 *   2. sort them, m_π1 ≥ m_π2 ≥ … (the O(n log n) cost of the loss);
 *   3. g_k = Δ({π1…πk}) − Δ({π1…πk−1}), the Lovász gradient of the set function Δ over that order;
 *   4. loss = Σ_k m_πk g_k — the Lovász extension Δ̄(m), whose gradient with respect to m is g.
 *
 * Δ is a set function of the MISPREDICTED events M: a signal event in M is lost from the
 * selection, a background event in M is selected. The thesis' exact Δ_Z (and its Δ_ζ) could not
 * be found with the tools here, so Δ is defined from the significance of the selection as
 *   Δ(M) = 1 − Z(S − s_M, b_M + β) / Z(S, β),
 * S the batch's signal weight, s_M and b_M the signal and background weight in M, β = floor·B the
 * background floor (B the batch's background weight; Z needs b > 0), and Z either the Asimov
 * discovery significance Z_A (`significance: asimov`, Cowan et al. 2011 eq. 97) or ζ = s/√b
 * (`simple`). Z rises with s and falls with b, so Δ is monotone (M ⊂ M' ⇒ Δ(M) ≤ Δ(M')), with
 * Δ(∅) = 0 and Δ(all events) = 1. Scaling all weights by c scales Z(·,·) by √c in both, so Δ (and
 * the loss) does not depend on the luminosity or on the batch's share of the split.
 */

export const ERROR_MEASURES = ['hinge', 'sigmoid', 'cross-entropy', 'focal'] as const;
export type ErrorMeasure = (typeof ERROR_MEASURES)[number];
export const DELTA_SIGNIFICANCES = ['asimov', 'simple'] as const;
export type DeltaSignificance = (typeof DELTA_SIGNIFICANCES)[number];

/**
 * Per-event errors m_i ≥ 0 of output probabilities p, with p_t = p (signal), 1 − p (background)
 * clamped to [1e-7, 1 − 1e-7] and the margin logit(p_t) = ln p_t − ln(1 − p_t) (= y·f for the
 * net's logit f, y = ±1):
 *   hinge: max(0, 1 − logit p_t) (Berman et al.'s Lovász hinge);  sigmoid: 1 − p_t;
 *   cross-entropy: −ln p_t;  focal: (1 − p_t)^γ (−ln p_t) (Lin et al. eq. 4).
 */
export function eventErrors(p: Tensor, labels: Float32Array, measure: ErrorMeasure, gamma = 2): Tensor {
  const n = labels.length, dtype = p.dtype;
  const sign = new Float32Array(n), offset = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i] >= 0.5;
    sign[i] = y ? 1 : -1;
    offset[i] = y ? 0 : 1;
  }
  const pt = clamp(add(mul(p, tensor(sign, [n], { dtype })), tensor(offset, [n], { dtype })), 1e-7, 1 - 1e-7);
  switch (measure) {
    case 'hinge': return relu(sub(1, sub(log(pt), log(sub(1, pt)))));
    case 'sigmoid': return sub(1, pt);
    case 'cross-entropy': return neg(log(pt));
    case 'focal': return mul(pow(sub(1, pt), gamma), neg(log(pt)));
  }
}

/** The set function Δ_Z of the events (by label and weight) on given subsets. */
export class SignificanceDelta {
  readonly S: number;
  readonly beta: number;
  private readonly z: (s: number, b: number) => number;
  private readonly zRef: number;

  constructor(readonly labels: ArrayLike<number>, readonly weights: ArrayLike<number>, floor: number, significance: DeltaSignificance = 'asimov') {
    let S = 0, B = 0;
    for (let i = 0; i < labels.length; i++) {
      const w = weights[i] > 0 ? weights[i] : 0;
      if (labels[i] >= 0.5) S += w;
      else B += w;
    }
    this.S = S;
    this.beta = floor * B > 0 ? floor * B : 1e-12;
    this.z = significance === 'simple' ? sOverSqrtB : asimovDiscovery;
    this.zRef = this.z(S, this.beta);
  }

  /** Δ of the set with signal weight sM and background weight bM in it */
  ofSums(sM: number, bM: number): number {
    if (!(this.zRef > 0)) return 0; // no signal in the batch: nothing to lose
    return 1 - this.z(Math.max(0, this.S - sM), bM + this.beta) / this.zRef;
  }

  /** Δ(M) of the events i with member[i] true */
  of(member: ArrayLike<boolean>): number {
    let sM = 0, bM = 0;
    for (let i = 0; i < this.labels.length; i++) {
      if (!member[i]) continue;
      const w = this.weights[i] > 0 ? this.weights[i] : 0;
      if (this.labels[i] >= 0.5) sM += w;
      else bM += w;
    }
    return this.ofSums(sM, bM);
  }

  /** g_k at the original positions: g[π_k] = Δ({π1…πk}) − Δ({π1…πk−1}) for the order π */
  lovaszGradient(order: ArrayLike<number>): Float64Array {
    const g = new Float64Array(order.length);
    let sM = 0, bM = 0, prev = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k], w = this.weights[i] > 0 ? this.weights[i] : 0;
      if (this.labels[i] >= 0.5) sM += w;
      else bM += w;
      const d = this.ofSums(sM, bM);
      g[i] = d - prev;
      prev = d;
    }
    return g;
  }
}

/** Δ̄(m) = Σ_k m_πk g_k with π sorting the errors m in descending order (gradient g with respect to m). */
export function lovaszExtension(errors: Tensor, delta: SignificanceDelta): Tensor {
  const order = radixOrder(errors.data, true);
  const g = delta.lovaszGradient(order);
  return sum(mul(errors, tensor(g, [g.length], { dtype: errors.dtype })));
}

/** The Lovász-Z loss of output probabilities p: Δ̄_Z of the chosen per-event errors. */
export function lovaszZLoss(p: Tensor, labels: Float32Array, weights: Float32Array, o: LovaszZOptions): Tensor {
  return lovaszExtension(eventErrors(p, labels, o.error, o.gamma), new SignificanceDelta(labels, weights, o.floor, o.significance));
}

export const lovaszZOptionsSchema = section({
  /** the per-event error that is sorted: hinge, sigmoid (thesis' best), cross-entropy or focal */
  error: z.enum(ERROR_MEASURES, { error: `expected one of ${ERROR_MEASURES.join(', ')}` }).default('sigmoid'),
  /** γ of the focal error */
  gamma: z.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' }).default(2),
  /** Z of Δ_Z: the Asimov discovery Z, or ζ = s/√b */
  significance: z.enum(DELTA_SIGNIFICANCES, { error: `expected one of ${DELTA_SIGNIFICANCES.join(', ')}` }).default('asimov'),
  /** background floor β as a fraction of the batch's background weight (Z needs b > 0) */
  floor: numberBetween(0, 1).default(0.01),
});
export type LovaszZOptions = z.infer<typeof lovaszZOptionsSchema>;

export const lovaszZ: LossModule<LovaszZOptions> = {
  name: 'lovasz-z',
  options: lovaszZOptionsSchema,
  value: (p, batch, o) => lovaszZLoss(p, batch.labels(), batch.weights(false), o),
  label: (o) => `Lovász-${o.significance === 'simple' ? 'ζ' : 'Z'} (${o.error})`,
  method: { name: 'LovaszZ', label: 'Lovász-Z loss' },
};
