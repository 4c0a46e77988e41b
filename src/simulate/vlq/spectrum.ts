/**
 * The Z W⁺ j j background's m_ZWj spectrum and the signal's cross-section, both as parametrised
 * functions (docs/vlq-simulation.md gives the sources and what is assumed).
 *
 * m_ZWj: dσ/dm ∝ (1 − x)^p₁ / x^p₂, x = m/√s — the form the LHC dijet searches fit to falling
 * parton-luminosity spectra (CMS, PRL 105 (2010) 211801, eq. 1 with p₃ = 0), here with p₁ = 8,
 * p₂ = 4.5 (assumed: a steep fall of ≈ 3·10⁻⁶ from 1 to 6.4 TeV, so an inclusive sample has almost
 * nothing at high mass and the study's binned generation is needed).
 */
import type { SimRng } from '../random.js';
import { SQRT_S } from './generator.js';

export interface MassSpectrum {
  /** grid of m [GeV], ascending */
  m: Float64Array;
  /** ∫ dσ/dm from m[0] to m[i], normalised to 1 at the end */
  cdf: Float64Array;
}

/** dσ/dm up to a constant */
export function zwjDensity(m: number, p1: number, p2: number): number {
  const x = m / SQRT_S;
  return (1 - x) ** p1 / x ** p2;
}

/** The spectrum's CDF on [lo, hi] on a log grid of `points` (trapezoids; interpolation error < 10⁻⁶). */
export function tabulateSpectrum(lo: number, hi: number, p1: number, p2: number, points = 8192): MassSpectrum {
  const m = new Float64Array(points), cdf = new Float64Array(points);
  const r = Math.log(hi / lo) / (points - 1);
  for (let i = 0; i < points; i++) m[i] = lo * Math.exp(r * i);
  m[points - 1] = hi;
  let prev = zwjDensity(lo, p1, p2);
  for (let i = 1; i < points; i++) {
    const d = zwjDensity(m[i], p1, p2);
    cdf[i] = cdf[i - 1] + 0.5 * (prev + d) * (m[i] - m[i - 1]);
    prev = d;
  }
  const total = cdf[points - 1];
  for (let i = 0; i < points; i++) cdf[i] /= total;
  return { m, cdf };
}

/** The CDF at mass x (linear between grid points; 0 below, 1 above the grid). */
export function spectrumCdf(s: MassSpectrum, x: number): number {
  const { m, cdf } = s;
  if (x <= m[0]) return 0;
  if (x >= m[m.length - 1]) return 1;
  let lo = 0, hi = m.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (m[mid] <= x) lo = mid; else hi = mid;
  }
  return cdf[lo] + ((cdf[hi] - cdf[lo]) * (x - m[lo])) / (m[hi] - m[lo]);
}

/** A mass from the spectrum restricted to [lo, hi] (inverse CDF, clamped into the slice). */
export function drawFromSpectrum(rng: SimRng, s: MassSpectrum, lo: number, hi: number): number {
  const u = spectrumCdf(s, lo) + (spectrumCdf(s, hi) - spectrumCdf(s, lo)) * rng.u01();
  const { m, cdf } = s;
  let a = 0, b = m.length - 1;
  while (b - a > 1) {
    const mid = (a + b) >> 1;
    if (cdf[mid] <= u) a = mid; else b = mid;
  }
  const x = m[a] + ((m[b] - m[a]) * (u - cdf[a])) / Math.max(1e-300, cdf[b] - cdf[a]);
  return Math.min(hi, Math.max(lo, x));
}

/** Branching ratios (PDG 2024): B(T → tZ) of a heavy singlet, B(W → ℓν) and B(Z → ℓℓ) for ℓ = e + μ. */
export const BR_T_TO_TZ = 0.25;
export const BR_W_TO_LNU = 0.1071 + 0.1063;
export const BR_Z_TO_LL = 0.03363 + 0.03366;

export interface SignalCrossSectionModel {
  /** σ(pp → T b̄ j) at m_T = 1 TeV for sin θ_L = 0.1 [fb] */
  sigmaAt1TeV: number;
  /** mixing: σ ∝ sin²θ_L */
  sinThetaL: number;
  /** σ ∝ (1 TeV/m)^k ((1 − m/√s)/(1 − 1 TeV/√s))^p */
  k: number;
  p: number;
}

export const DEFAULT_SIGNAL_XSEC: SignalCrossSectionModel = { sigmaAt1TeV: 150, sinThetaL: 0.1, k: 2, p: 6 };

/** σ(pp → T b̄ j)·B(T → tZ)·B(t → bℓν)·B(Z → ℓℓ) [fb] at m_T [GeV] */
export function signalCrossSection(mT: number, model: SignalCrossSectionModel = DEFAULT_SIGNAL_XSEC): number {
  const x = mT / SQRT_S, x1 = 1000 / SQRT_S;
  const production = model.sigmaAt1TeV * (model.sinThetaL / 0.1) ** 2 * (1000 / mT) ** model.k * ((1 - x) / (1 - x1)) ** model.p;
  return production * BR_T_TO_TZ * BR_W_TO_LNU * BR_Z_TO_LL;
}
