/**
 * γγ → μ⁺μ⁻ at pair mass W (Breit–Wheeler), the hard process of the two-photon background
 * (twophoton.ts): dσ/dcosθ = α²β/W² · (1 + 2β²sin²θ − β⁴ − β⁴sin⁴θ)/(1 − β²cos²θ)² and its integral,
 * the textbook σ = πr²(1−β²)/2 · [(3 − β⁴) ln((1+β)/(1−β)) − 2β(2 − β²)], r = α/m_μ (Breit & Wheeler,
 * Phys. Rev. 46 (1934) 1087, with the muon mass).
 */
import { ALPHA_EM, MUON_MASS } from './kinematics.js';

/** Breit–Wheeler dσ/dcosθ for γγ → μ⁺μ⁻ at pair mass W [GeV⁻²]. */
export function breitWheelerDcos(w: number, cosTheta: number): number {
  const b2 = 1 - (4 * MUON_MASS * MUON_MASS) / (w * w);
  if (b2 <= 0) return 0;
  const b = Math.sqrt(b2);
  const s2 = 1 - cosTheta * cosTheta;
  const den = 1 - b2 * cosTheta * cosTheta;
  return ((2 * Math.PI * ALPHA_EM * ALPHA_EM * b) / (w * w)) * (1 + 2 * b2 * s2 - b2 * b2 - b2 * b2 * s2 * s2) / (den * den);
}

/** Total Breit–Wheeler σ(γγ → μ⁺μ⁻) [GeV⁻²]. */
export function breitWheelerTotal(w: number): number {
  const b2 = 1 - (4 * MUON_MASS * MUON_MASS) / (w * w);
  if (b2 <= 0) return 0;
  const b = Math.sqrt(b2);
  const r2 = (ALPHA_EM / MUON_MASS) ** 2;
  return ((Math.PI * r2) / 2) * (1 - b2) * ((3 - b2 * b2) * Math.log((1 + b) / (1 - b)) - 2 * b * (2 - b2));
}
