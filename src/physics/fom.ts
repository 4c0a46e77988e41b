/**
 * Figures of merit of a search: pure functions of counts. Guard rails everywhere: ε ≤ 0 (or NaN)
 * gives +∞ sensitivity, negative or NaN background counts as 0, nothing returns NaN.
 *
 * Notation: ε signal efficiency, B expected background events after the selection, a the
 * number of sigmas of the discovery (or exclusion) claim, b the number of sigmas of the power
 * (1.28155 ↔ 90 %), L the integrated luminosity (σ_min then comes out in the unit of 1/L).
 */

export interface SensitivityParams {
  /** sigmas of the claim (seed study: 3) */
  a: number;
  /** sigmas of the power (seed study: 1.28155, i.e. 90 %) */
  b: number;
  /** target integrated luminosity (seed study: 50 fb⁻¹) */
  lumi: number;
}

/** which σ_min: the seed paper's eq. 9, or Punzi's 2003 improved form (the public reference code) */
export type SigmaMinForm = 'paper' | 'improved';

/** the σ_min form when none is given, in the library and the CLI alike (`search.sensitivity.form`) */
export const DEFAULT_SIGMA_MIN_FORM: SigmaMinForm = 'improved';

export const SEED_SENSITIVITY: Readonly<SensitivityParams> = Object.freeze({ a: 3, b: 1.28155, lumi: 50 });

function cleanB(B: number): number {
  return B > 0 ? B : 0; // also maps NaN to 0
}

/** numerator of σ_min: N(B) = c + a√B + b/2·√(b² + 4a√B + 4B), c = b²/2 (paper) or a²/8 + 9b²/13 (improved) */
function numerator(B: number, p: SensitivityParams, form: SigmaMinForm): number {
  const { a, b } = p;
  const rb = Math.sqrt(cleanB(B));
  const c = form === 'paper' ? (b * b) / 2 : (a * a) / 8 + (9 * b * b) / 13;
  return c + a * rb + (b / 2) * Math.sqrt(b * b + 4 * a * rb + 4 * rb * rb);
}

/**
 * Minimal detectable cross-section, seed paper eq. 9:
 * σ_min = (b²/2 + a√B + b/2·√(b² + 4a√B + 4B)) / (ε·L).
 */
export function sigmaMin(eff: number, B: number, p: SensitivityParams = SEED_SENSITIVITY): number {
  if (!(eff > 0)) return Infinity;
  return numerator(B, p, 'paper') / (eff * p.lumi);
}

/**
 * Punzi's improved sensitivity (Punzi 2003, as in the public reference code `punzi_sensitivity`):
 * σ_min = (a²/8 + 9b²/13 + a√B + b/2·√(b² + 4a√B + 4B)) / (ε·L).
 */
export function sigmaMinImproved(eff: number, B: number, p: SensitivityParams = SEED_SENSITIVITY): number {
  if (!(eff > 0)) return Infinity;
  return numerator(B, p, 'improved') / (eff * p.lumi);
}

/** σ_min in the chosen form (eq. 9 or Punzi 2003). */
export function sigmaMinOf(form: SigmaMinForm, eff: number, B: number, p: SensitivityParams = SEED_SENSITIVITY): number {
  if (!(eff > 0)) return Infinity;
  return numerator(B, p, form) / (eff * p.lumi);
}

/**
 * Partial derivatives of σ_min (either form — they differ only by a constant in N):
 * ∂σ/∂ε = −N(B)/(ε²L),
 * ∂σ/∂B = [a/(2√B) + b·(a/√B + 2)/(2√(b² + 4a√B + 4B))] / (εL).
 * At B = 0 ∂σ/∂B is +∞ (the a√B term); at ε ≤ 0 σ is +∞, ∂σ/∂ε = −∞ and ∂σ/∂B = +∞. Callers that
 * need finite gradients (the Punzi loss) clamp ε and B away from 0 themselves.
 */
export function sigmaMinGradient(eff: number, B: number, p: SensitivityParams = SEED_SENSITIVITY, form: SigmaMinForm = DEFAULT_SIGMA_MIN_FORM): { dEff: number; dB: number } {
  const { a, b, lumi } = p;
  const Bc = cleanB(B);
  const rb = Math.sqrt(Bc);
  if (!(eff > 0)) return { dEff: -Infinity, dB: Infinity };
  const n = numerator(Bc, p, form);
  const dEff = -n / (eff * eff * lumi);
  if (rb === 0) return { dEff, dB: a > 0 ? Infinity : (b !== 0 ? b / Math.abs(b) : 0) / (eff * lumi) };
  const root = Math.sqrt(b * b + 4 * a * rb + 4 * Bc);
  const dN = a / (2 * rb) + (b * (a / rb + 2)) / (2 * root);
  return { dEff, dB: dN / (eff * lumi) };
}

/** Punzi's simple figure of merit ε/(a/2 + √B) (larger is better; a = 3 → 1.5 in the denominator). */
export function punziFom(eff: number, B: number, a = 3): number {
  const e = eff > 0 ? eff : 0;
  return e / (a / 2 + Math.sqrt(cleanB(B)));
}

/** S/√B; B = 0 gives +∞ for S > 0 and 0 for S = 0. */
export function sOverSqrtB(S: number, B: number): number {
  const s = S > 0 ? S : 0;
  const b = cleanB(B);
  if (b === 0) return s > 0 ? Infinity : 0;
  return s / Math.sqrt(b);
}

/** S/√(S+B); 0 when S + B = 0. */
export function sOverSqrtSB(S: number, B: number): number {
  const s = S > 0 ? S : 0;
  const d = s + cleanB(B);
  return d > 0 ? s / Math.sqrt(d) : 0;
}

/** (1+x)ln(1+x) − x, accurate for small x (series Σ_{k≥2} (−x)^k/(k(k−1))). */
function discoveryTerm(x: number): number {
  if (Math.abs(x) < 1e-3) {
    let sum = 0, xk = x;
    for (let k = 2; k < 8; k++) {
      xk *= x;
      sum += ((k % 2 ? -1 : 1) * xk) / (k * (k - 1));
    }
    return sum;
  }
  return (1 + x) * Math.log1p(x) - x;
}

/** x − ln(1+x), accurate for small x (series Σ_{k≥2} (−1)^k x^k/k). */
function exclusionTerm(x: number): number {
  if (Math.abs(x) < 1e-3) {
    let sum = 0, xk = x;
    for (let k = 2; k < 8; k++) {
      xk *= x;
      sum += ((k % 2 ? -1 : 1) * xk) / k;
    }
    return sum;
  }
  return x - Math.log1p(x);
}

/**
 * Asimov median discovery significance (thesis eq. 3.25; Cowan et al. 2011 eq. 97):
 * Z = √(2((s+b)·ln(1+s/b) − s)). b = 0 gives +∞ for s > 0; s ≤ 0 gives 0.
 */
export function asimovDiscovery(s: number, b: number): number {
  const sc = s > 0 ? s : 0;
  const bc = cleanB(b);
  if (sc === 0) return 0;
  if (bc === 0) return Infinity;
  return Math.sqrt(Math.max(0, 2 * bc * discoveryTerm(sc / bc)));
}

/**
 * Asimov median exclusion significance (thesis eq. 3.27): Z = √(2(s − b·ln(1+s/b))).
 * b = 0 gives √(2s); s ≤ 0 gives 0.
 */
export function asimovExclusion(s: number, b: number): number {
  const sc = s > 0 ? s : 0;
  const bc = cleanB(b);
  if (sc === 0) return 0;
  if (bc === 0) return Math.sqrt(2 * sc);
  return Math.sqrt(Math.max(0, 2 * bc * exclusionTerm(sc / bc)));
}

/** Significances of independent bins combined in quadrature: Z = √(Σ Z_i²); NaN entries count as 0. */
export function combineQuadrature(z: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    if (v === v) sum += v * v;
  }
  return Math.sqrt(sum);
}
