/**
 * FOM-aware boosting: the objective of each round is the search's own figure, made smooth — the soft Punzi σ_min
 * of src/losses/punzi.ts with the selection probability p_i = sigmoid(m_i) of the raw score m_i:
 *   ε_h = Σ_{signal i of h} c^s_hi p_i,   B_h = Σ_{background i in window h} c^b_hi p_i,
 *   σ_h = N(B_h) / (ε_h L),   N(B) = c + a√B + (b/2)·√(b² + 4a√B + 4B)   (Punzi-loss paper eq. 9)
 *   loss = mean_h σ_h  (or mean_h ln σ_h, 'logMean')
 * Gradient (exact): ∂σ_h/∂ε = −σ_h/ε_h, ∂σ_h/∂B = N'(B)/(ε_h L) with N'(B) = a/(2√B) + (b/2)(a/√B + 2)/√(b² + 4a√B + 4B),
 *   g_i = p_i(1 − p_i) · Σ_h (∂loss/∂σ_h)(∂σ_h/∂ε c^s_hi + ∂σ_h/∂B c^b_hi).
 * Hessian: the exact diagonal is not positive (σ_min is not convex in m), so each round uses the positive diagonal
 * h_i = |g_i|: a leaf then moves the raw score by −Σg/(Σ|g| + λ), at most η per round — a normalised gradient step.
 * The scale of the loss is arbitrary, so g and h are multiplied each round by n/(4 Σ|g|): Σh = n/4, as for the
 * logistic loss at p = ½, which keeps λ and min_child_weight meaning the same as in logistic boosting.
 */
import type { HypothesisRows } from '../registry.js';
import type { Objective } from './boost.js';

export type { HypothesisRows };

export interface SoftSigmaMinParams {
  a: number;
  b: number;
  lumi: number;
  form: 'paper' | 'improved';
  aggregate?: 'mean' | 'logMean';
  /** ε is clamped from below (as the Punzi loss) */
  minEfficiency?: number;
}

const sigmoid = (m: number): number => 1 / (1 + Math.exp(-m));

/** The soft σ_min loss of raw scores, and (if `dm` is given) its gradient ∂loss/∂m_i written into dm. */
export function softSigmaMinLoss(m: Float32Array, r: HypothesisRows, o: SoftSigmaMinParams, dm?: Float64Array): number {
  const { a, b, lumi } = o;
  const c = o.form === 'paper' ? (b * b) / 2 : (a * a) / 8 + (9 * b * b) / 13;
  const H = r.nHypotheses, minEff = o.minEfficiency ?? 1e-6;
  let loss = 0;
  const dEps = new Float64Array(H), dB = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let [eps, B] = softSums(m, r, h);
    const epsClamped = eps < minEff, bClamped = B < 1e-12;
    eps = Math.max(eps, minEff); B = Math.max(B, 1e-12);
    const rootB = Math.sqrt(B), inner = Math.sqrt(b * b + 4 * a * rootB + 4 * B);
    const N = c + a * rootB + (b / 2) * inner;
    const sigma = N / (eps * lumi);
    const log = o.aggregate === 'logMean';
    loss += (log ? Math.log(sigma) : sigma) / H;
    const dLdS = (log ? 1 / sigma : 1) / H;
    dEps[h] = epsClamped ? 0 : dLdS * (-sigma / eps);
    dB[h] = bClamped ? 0 : (dLdS * (a / (2 * rootB) + (b / 2) * (a / rootB + 2) / inner)) / (eps * lumi);
  }
  if (dm) scoreGradient(m, r, dEps, dB, dm);
  return loss;
}

/** The boosting objective of the soft σ_min (see the file comment for the hessian and the scaling). */
export function softSigmaMinObjective(r: HypothesisRows, o: SoftSigmaMinParams): Objective {
  return figureObjective((m, dm) => softSigmaMinLoss(m, r, o, dm));
}

/**
 * The Asimov significance as the objective (Cowan, Cranmer, Gross, Vitells 2011, eq. 97):
 *   Z_h = √(2[(S_h + B_h) ln(1 + S_h/B_h) − S_h]),  S_h = ε_h · L · σ_ref,  loss = −mean_h Z_h,
 * with ε_h and B_h the soft sums above; ∂Z/∂S = ln(1 + S/B)/Z, ∂Z/∂B = (ln(1 + S/B) − S/B)/Z.
 * `signalCrossSection` σ_ref (fb) sets the signal yield the significance is computed for.
 */
export function softAsimovLoss(m: Float32Array, r: HypothesisRows, o: { lumi: number; signalCrossSection: number }, dm?: Float64Array): number {
  const H = r.nHypotheses;
  let loss = 0;
  const dEps = new Float64Array(H), dB = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let [eps, B] = softSums(m, r, h);
    const bClamped = B < 1e-12;
    B = Math.max(B, 1e-12);
    const S = eps * o.lumi * o.signalCrossSection, l = Math.log1p(S / B);
    const Z = Math.sqrt(Math.max(2 * ((S + B) * l - S), 1e-300));
    loss -= Z / H;
    dEps[h] = (-(l / Z) * o.lumi * o.signalCrossSection) / H;
    dB[h] = bClamped ? 0 : -((l - S / B) / Z) / H;
  }
  if (dm) scoreGradient(m, r, dEps, dB, dm);
  return loss;
}

/** The soft ε_h = Σ c^s_hi p_i and B_h = Σ c^b_hi p_i of hypothesis h, p_i = sigmoid(m_i). */
function softSums(m: Float32Array, r: HypothesisRows, h: number): [number, number] {
  let eps = 0, B = 0;
  for (let k = r.sigOffsets[h]; k < r.sigOffsets[h + 1]; k++) eps += r.sigCoef[k] * sigmoid(m[r.sigEvents[k]]);
  for (let k = r.bkgOffsets[h]; k < r.bkgOffsets[h + 1]; k++) B += r.bkgCoef[k] * sigmoid(m[r.bkgEvents[k]]);
  return [eps, B];
}

/**
 * dL/dm_i from the per-hypothesis derivatives dL/dε_h and dL/dB_h: each event's coefficient in the
 * soft sums, times dp/dm = p(1 − p) of p = sigmoid(m).
 */
function scoreGradient(m: Float32Array, r: HypothesisRows, dEps: Float64Array, dB: Float64Array, dm: Float64Array): void {
  dm.fill(0);
  for (let h = 0; h < r.nHypotheses; h++) {
    for (let k = r.sigOffsets[h]; k < r.sigOffsets[h + 1]; k++) dm[r.sigEvents[k]] += dEps[h] * r.sigCoef[k];
    for (let k = r.bkgOffsets[h]; k < r.bkgOffsets[h + 1]; k++) dm[r.bkgEvents[k]] += dB[h] * r.bkgCoef[k];
  }
  for (let i = 0; i < dm.length; i++) { const p = sigmoid(m[i]); dm[i] *= p * (1 - p); }
}

/** A loss of the raw scores with its gradient as a boosting objective: hessian |g|, scaled to Σh = n/4 (see above). */
export function figureObjective(loss: (m: Float32Array, dm: Float64Array) => number): Objective {
  return (m, g, h) => {
    const dm = new Float64Array(m.length);
    loss(m, dm);
    let sum = 0;
    for (let i = 0; i < dm.length; i++) sum += Math.abs(dm[i]);
    const scale = sum > 0 ? m.length / (4 * sum) : 0;
    for (let i = 0; i < dm.length; i++) { g[i] = dm[i] * scale; h[i] = Math.abs(dm[i]) * scale; }
  };
}
