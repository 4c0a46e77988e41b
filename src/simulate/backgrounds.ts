/**
 * Two of the three backgrounds of the seed study (the third, e⁺e⁻ → e⁺e⁻μ⁺μ⁻, is in
 * twophoton.ts). Cross-sections at √s = 10.58 GeV:
 *
 * e⁺e⁻ → μ⁺μ⁻(γ), photon lost. Total σ = 1.148 nb (KKMC; Belle II Physics Book, Kou et al.,
 *   PTEP 2019 123C01, Table 6). Only a hard ISR photon that recoils into the barrel ECL can
 *   fake the signal after the preselection (detector.ts), and only if the ECL misses it
 *   (probability `photonInefficiency`). We generate exactly that region — photon energy above
 *   0.05 GeV, CM polar angle covering the barrel (lab 29.2°–131.7°, 3° beyond it for smearing) —
 *   from the leading term of the O(α) ISR cross-section (Binner, Kühn, Melnikov, PLB 459 (1999)
 *   279, Eq. 1):  dσ/dx dcosθ_γ = (α/π) σ₀(s(1−x)) (1 + (1−x)²)/x · 1/(1 − β_e²cos²θ_γ),
 *   σ₀(s') = 4πα²/(3s') · β_μ(3 − β_μ²)/2, x = 2E_γ/√s. Integrated over the region this gives
 *   ≈ 61 pb (`regionCrossSection`), i.e. 5 % of the total; times the
 *   inefficiency 10⁻³. FSR is an option (fsr.ts, off by default); multi-photon emission is not
 *   simulated; μ⁺μ⁻ decay 1 + cos²θ in the pair's helicity frame.
 *
 * e⁺e⁻ → τ⁺τ⁻, both τ → μνν̄. σ(ττ) = 0.919 nb (KKMC; same table) × B(τ → μνν̄)² =
 *   0.919 nb × 0.1739² = 27.8 pb. Production 1 + cos²θ + (1 − β_τ²) sin²θ; each τ decays with the
 *   V−A (Michel, ρ = 3/4) muon spectrum dΓ/dx ∝ x²(3 − 2x) (x = E_μ/E_max in the τ rest frame),
 *   isotropic (τ polarisation is zero below the Z; the ττ spin correlation is neglected).
 */
import type { SimRng } from './random.js';
import {
  ALPHA_EM, AZ, ELECTRON_MASS, HBARC2_NB, MUON_MASS, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH,
  SLOT_SCRATCH2, TAU_MASS, TAU_TO_MUON_BF, azimuth, boostFromRest, cosThetaCollinear, cosThetaOnePlusCos2, decayTwoBody, set4, setPolar,
  u01,
} from './kinematics.js';
import type { ProcessGenerator } from './process.js';
import type { NativeGeneratorSettings } from './native.js';
import { CATEGORY } from './process.js';
import { type DetectorConfig, type NominalBeams, hopelessCm, nominalBeams } from './detector.js';

/** Published total cross-sections at √s = 10.58 GeV [nb] (Belle II Physics Book, Table 6). */
export const PUBLISHED_CROSS_SECTIONS_NB = { mumuGamma: 1.148, tauTau: 0.919, eeMuMuW05: 18.9 } as const;

/** σ₀(e⁺e⁻ → μ⁺μ⁻) at s' [nb], with the muon-mass factor β(3 − β²)/2. */
export function bornMuMu(s: number): number {
  if (s <= 4 * MUON_MASS * MUON_MASS) return 0;
  const b = Math.sqrt(1 - (4 * MUON_MASS * MUON_MASS) / s);
  return ((4 * Math.PI * ALPHA_EM * ALPHA_EM) / (3 * s)) * ((b * (3 - b * b)) / 2) * HBARC2_NB;
}

export interface MuMuGammaOptions {
  /** CM energy the region cross-section is computed at [GeV] */
  sqrtS: number;
  /** lowest photon energy generated [GeV] */
  photonEnergyMin: number;
  /** CM polar-angle range of the photon (cosθ*) */
  cosThetaMin: number;
  cosThetaMax: number;
  /** probability the photon escapes detection */
  photonInefficiency: number;
}

/** e⁺e⁻ → μ⁺μ⁻γ_ISR with the photon in the generated region; unweighted. */
export class MuMuGamma implements ProcessGenerator {
  readonly category = CATEGORY.mumuGamma;
  readonly name = 'mumu_gamma';
  /** σ of the generated region times the photon inefficiency [nb] */
  readonly crossSection: number;
  /** σ of the generated region [nb] */
  readonly regionCrossSection: number;
  private readonly betaE: number;

  constructor(private readonly opt: MuMuGammaOptions) {
    const s = opt.sqrtS * opt.sqrtS;
    this.betaE = Math.sqrt(1 - (4 * ELECTRON_MASS * ELECTRON_MASS) / s);
    const b = this.betaE;
    const angular = (Math.atanh(b * opt.cosThetaMax) - Math.atanh(b * opt.cosThetaMin)) / b;
    // ∫ dx (α/π) σ₀(s(1−x)) (1+(1−x)²)/x over x ∈ [xMin, xMax], Simpson in ln x and ln(1−x)
    const [xMin, xMax] = this.xRange(opt.sqrtS);
    const f = (x: number): number => (ALPHA_EM / Math.PI) * bornMuMu(s * (1 - x)) * (1 + (1 - x) * (1 - x)) / x;
    const xMid = 0.5;
    this.regionCrossSection = angular * (simpsonLog(f, xMin, Math.min(xMid, xMax), 2000) + (xMax > xMid ? simpsonLogOneMinus(f, xMid, xMax, 2000) : 0));
    this.crossSection = this.regionCrossSection * opt.photonInefficiency;
  }

  private xRange(sqrtS: number): [number, number] {
    return [(2 * this.opt.photonEnergyMin) / sqrtS, 1 - (4 * MUON_MASS * MUON_MASS * 1.0001) / (sqrtS * sqrtS)];
  }

  nativeSettings(): NativeGeneratorSettings {
    const o = this.opt;
    return { kind: this.category, hasDetector: 0, photonEnergyMin: o.photonEnergyMin, cosThetaMin: o.cosThetaMin, cosThetaMax: o.cosThetaMax, betaE: this.betaE };
  }

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const s = sqrtS * sqrtS;
    const [xMin, xMax] = this.xRange(sqrtS);
    const l1 = Math.log(xMax / xMin);
    const l2 = Math.log((1 - xMin) / (1 - xMax));
    let x: number;
    for (;;) {
      // proposal ∝ 1/x + 1/(1−x) ≥ (1+(1−x)²)/(2x(1−x)); accept with (1+(1−x)²)/2 · muon-mass factor
      x = u01(rng) * (l1 + l2) < l1 ? xMin * Math.exp(l1 * u01(rng)) : 1 - (1 - xMin) * Math.exp(-l2 * u01(rng));
      const sp = s * (1 - x);
      const b = Math.sqrt(1 - (4 * MUON_MASS * MUON_MASS) / sp);
      if (u01(rng) * 2 <= (1 + (1 - x) * (1 - x)) * ((b * (3 - b * b)) / 2)) break;
    }
    const eGamma = (x * sqrtS) / 2;
    const cosTheta = cosThetaCollinear(rng, this.betaE, this.opt.cosThetaMin, this.opt.cosThetaMax);
    azimuth(rng);
    setPolar(ev, SLOT_LOST, 0, eGamma, cosTheta, AZ[0], AZ[1]);
    set4(ev, SLOT_SCRATCH, sqrtS - eGamma, -ev[SLOT_LOST + 1], -ev[SLOT_LOST + 2], -ev[SLOT_LOST + 3]);
    const mPair = Math.sqrt(s * (1 - x));
    const first = u01(rng) < 0.5 ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const cosDecay = cosThetaOnePlusCos2(rng);
    azimuth(rng);
    decayTwoBody(ev, SLOT_SCRATCH, mPair, MUON_MASS, MUON_MASS, cosDecay, AZ[0], AZ[1], first, first === SLOT_MU_PLUS ? SLOT_MU_MINUS : SLOT_MU_PLUS);
    return 1;
  }
}

/** e⁺e⁻ → τ⁺τ⁻ → μ⁺ν ν̄ μ⁻ν̄ ν; unweighted. */
export class TauPairToMuons implements ProcessGenerator {
  readonly category = CATEGORY.tauTau;
  readonly name = 'tautau';
  readonly crossSection = PUBLISHED_CROSS_SECTIONS_NB.tauTau * TAU_TO_MUON_BF * TAU_TO_MUON_BF;
  private readonly beams: NominalBeams | null;

  /**
   * With a detector, an event stops (weight 0) as soon as a muon fails the truth pre-check that
   * reconstruct() would apply (hopelessCm): the same events pass, fewer random draws are spent.
   */
  constructor(private readonly det?: DetectorConfig) {
    this.beams = det ? nominalBeams(det) : null;
  }

  nativeSettings(): NativeGeneratorSettings {
    return { kind: this.category, hasDetector: this.beams && this.det ? 1 : 0 };
  }

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const p = Math.sqrt((sqrtS * sqrtS) / 4 - TAU_MASS * TAU_MASS);
    const oneMinusBeta2 = (4 * TAU_MASS * TAU_MASS) / (sqrtS * sqrtS);
    let c: number;
    // 1 + c² + (1 − β²)(1 − c²): propose 1 + c², accept the ratio
    do c = cosThetaOnePlusCos2(rng);
    while (u01(rng) * (1 + oneMinusBeta2) > 1 + (oneMinusBeta2 * (1 - c * c)) / (1 + c * c));
    azimuth(rng);
    setPolar(ev, SLOT_SCRATCH, TAU_MASS, p, c, AZ[0], AZ[1]); // τ⁻
    set4(ev, SLOT_SCRATCH2, ev[SLOT_SCRATCH], -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]); // τ⁺
    const beams = this.beams, det = this.det;
    this.decayToMuon(rng, SLOT_SCRATCH, SLOT_MU_MINUS, ev);
    if (beams && det && hopelessCm(ev, SLOT_MU_MINUS, sqrtS, det, beams)) return 0;
    this.decayToMuon(rng, SLOT_SCRATCH2, SLOT_MU_PLUS, ev);
    if (beams && det && hopelessCm(ev, SLOT_MU_PLUS, sqrtS, det, beams)) return 0;
    // invisible = both neutrino pairs = (τ⁻ − μ⁻) + (τ⁺ − μ⁺)
    for (let k = 0; k < 4; k++) ev[SLOT_INVISIBLE + k] = ev[SLOT_SCRATCH + k] - ev[SLOT_MU_MINUS + k] + ev[SLOT_SCRATCH2 + k] - ev[SLOT_MU_PLUS + k];
    set4(ev, SLOT_LOST, 0, 0, 0, 0);
    return 1;
  }

  /**
   * τ (at slot tau) → μ (into slot mu) + νν̄ with the Michel spectrum, isotropic in the τ rest
   * frame. Isotropy needs no frame tied to the τ flight direction: the direction is drawn
   * uniformly on the sphere in fixed axes (Marsaglia, Ann. Math. Stat. 43 (1972) 645: (a, b)
   * uniform in the unit disk, r² = a² + b², n̂ = (2a√(1 − r²), 2b√(1 − r²), 1 − 2r²)), with
   * |p_μ| = √(E² − m_μ²) from the sampled rest-frame energy E, then boosted by the τ (boostFromRest).
   */
  private decayToMuon(rng: SimRng, tau: number, mu: number, ev: Float64Array): void {
    const eMax = (TAU_MASS * TAU_MASS + MUON_MASS * MUON_MASS) / (2 * TAU_MASS);
    let e: number;
    do e = michelX(rng) * eMax;
    while (e <= MUON_MASS);
    const k = Math.sqrt(e * e - MUON_MASS * MUON_MASS);
    let a: number, b: number, r2: number;
    do {
      a = 2 * u01(rng) - 1;
      b = 2 * u01(rng) - 1;
      r2 = a * a + b * b;
    } while (r2 >= 1);
    const f = 2 * k * Math.sqrt(1 - r2);
    set4(ev, mu, e, a * f, b * f, k * (1 - 2 * r2));
    boostFromRest(ev, mu, ev[tau], ev[tau + 1], ev[tau + 2], ev[tau + 3], TAU_MASS);
  }
}

/**
 * x with density 2x²(3 − 2x) on [0, 1] (the Michel spectrum, ρ = ¾), as the exact mixture
 * ⅔·3x² + ⅓·12x²(1 − x): the largest of three uniforms, or the second largest of four (Beta(3, 2)).
 * No cube roots and no rejection.
 */
export function michelX(rng: SimRng): number {
  if (rng.u01() < 2 / 3) return Math.max(rng.u01(), rng.u01(), rng.u01());
  const a = rng.u01(), b = rng.u01(), c = rng.u01(), d = rng.u01();
  // second largest of four: the larger of the two pairs' minima and maxima's smaller one
  const lo1 = Math.min(a, b), hi1 = Math.max(a, b), lo2 = Math.min(c, d), hi2 = Math.max(c, d);
  return Math.max(Math.min(hi1, hi2), Math.max(lo1, lo2));
}

/** Simpson's rule for ∫ f(x) dx on [a, b] in the variable ln x. */
function simpsonLog(f: (x: number) => number, a: number, b: number, n: number): number {
  const la = Math.log(a), h = (Math.log(b) - la) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = Math.exp(la + i * h);
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f(x) * x;
  }
  return (sum * h) / 3;
}

/** Simpson's rule for ∫ f(x) dx on [a, b] in the variable ln(1 − x). */
function simpsonLogOneMinus(f: (x: number) => number, a: number, b: number, n: number): number {
  const la = Math.log(1 - a), h = (Math.log(1 - b) - la) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const y = Math.exp(la + i * h);
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * f(1 - y) * y;
  }
  return (-sum * h) / 3;
}
