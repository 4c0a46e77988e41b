/**
 * Signal: e⁺e⁻ → μ⁺μ⁻Z′, the Z′ (mass m) radiated from one muon line and decaying invisibly.
 *
 * Approximation (quasi-collinear emission, as in a parton shower): e⁺e⁻ → γ* → μ μ* with the
 * 1 + cos²θ distribution, then μ* → μ Z′ with
 *   dP ∝ dm*² / (m*² − m_μ²) · P(z) dz,   P(z) = (1 + (1 − z)²) / z,
 * z the Z′ energy fraction of μ* in the CM frame — the propagator pole and the f → f V_T
 * splitting function (Chen, Han, Tweedie, JHEP 11 (2017) 093) that reproduce the soft and
 * collinear enhancement of the full matrix element (e.g. Shuve & Yavin, PRD 89 (2014) 113004,
 * for L_μ − L_τ Z′ at B factories). The two-body phase space of μ μ* (factor 2p/√s) is kept;
 * the longitudinal Z′ polarisation, interference between emission off μ⁺ and μ⁻ and ISR are
 * not simulated. Four-momentum is conserved exactly; the recoil mass² of the truth is m².
 */
import type { SimRng } from './random.js';
import {
  AZ, MUON_MASS, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH as SCRATCH, azimuth, cosThetaOnePlusCos2,
  decayTwoBody, set4, setPolar, twoBodyMomentum,
  u01,
} from './kinematics.js';
import type { ProcessGenerator } from './process.js';
import type { NativeGeneratorSettings } from './native.js';
import { type DetectorConfig, type NominalBeams, hopelessCm, nominalBeams } from './detector.js';

export class ZprimeSignal implements ProcessGenerator {
  readonly category = 0;
  readonly name = 'signal';
  readonly genMass: number;

  private readonly beams: NominalBeams | null;

  /**
   * With a detector, an event stops (weight 0) as soon as a muon fails the truth pre-check
   * reconstruct() would apply (hopelessCm): the same events pass, fewer draws are spent.
   */
  /**
   * `radiatorMass`: the mass of the lepton pair that radiates (the muon; the electron for the
   * e⁺e⁻γ* background of the visible channel, zprime-mumu/processes.ts).
   */
  constructor(readonly zprimeMass: number, private readonly det?: DetectorConfig, readonly radiatorMass = MUON_MASS) {
    this.genMass = zprimeMass;
    this.beams = det ? nominalBeams(det) : null;
  }

  nativeSettings(): NativeGeneratorSettings | null {
    if (this.radiatorMass !== MUON_MASS) return null; // the C++ twin radiates muons only
    return { kind: this.category, hasDetector: this.beams && this.det ? 1 : 0, zprimeMass: this.zprimeMass };
  }

  /** Fills ev (CM frame, beams along ±z) and returns 1 (unweighted events). */
  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    return this.radiate(rng, sqrtS, ev, this.zprimeMass);
  }

  /** generateCM with a vector of mass m (a Z′, or a virtual photon of a drawn mass) */
  radiate(rng: SimRng, sqrtS: number, ev: Float64Array, m: number): number {
    const mu = this.radiatorMass;
    const lo = m * (m + 2 * mu); // m*² − m_μ² at threshold
    const hi = (sqrtS - mu) * (sqrtS - mu) - mu * mu;
    const logRatio = Math.log(hi / lo);
    // bound of the phase-space factor 2p/√s = √λ(s, m_μ², m*²)/s ≤ (s − m_μ² − m*²)/s ≤ (s − 2m_μ² − lo)/s
    // (λ = (s − m_μ² − m*²)² − 4m_μ²m*²): accepting with 2p/√s / bound is the same rejection, fewer
    // rounds for heavy Z′ (bound 0.4 at 8 GeV)
    const bound = (sqrtS * sqrtS - 2 * mu * mu - lo) / (sqrtS * sqrtS);
    for (;;) {
      // m*² − m_μ² log-uniform (the 1/(m*² − m_μ²) propagator), times two-body phase space
      const mStar2 = mu * mu + lo * Math.exp(logRatio * u01(rng));
      const mStar = Math.sqrt(mStar2);
      const p = twoBodyMomentum(sqrtS, mu, mStar);
      if (!(p > 0) || u01(rng) * bound > (2 * p) / sqrtS) continue;
      const radiatorIsPlus = u01(rng) < 0.5;
      const oRad = radiatorIsPlus ? SLOT_MU_PLUS : SLOT_MU_MINUS;
      const oOther = radiatorIsPlus ? SLOT_MU_MINUS : SLOT_MU_PLUS;
      // μ⁻ direction relative to the e⁻ beam (+z): 1 + cos²θ
      const cosTheta = cosThetaOnePlusCos2(rng);
      azimuth(rng);
      const sign = radiatorIsPlus ? -1 : 1; // the radiator flies opposite the other muon (φ + π)
      setPolar(ev, SCRATCH, mStar, p, sign * cosTheta, sign * AZ[0], sign * AZ[1]);
      set4(ev, oOther, Math.sqrt(p * p + mu * mu), -ev[SCRATCH + 1], -ev[SCRATCH + 2], -ev[SCRATCH + 3]);
      if (this.beams && this.det && hopelessCm(ev, oOther, sqrtS, this.det, this.beams)) return 0;
      // Z′ energy fraction z of μ*: linear in cosθ of the decay in the μ* rest frame
      const eStar = ev[SCRATCH];
      const k = twoBodyMomentum(mStar, m, mu);
      const eRest = Math.sqrt(k * k + m * m);
      const gamma = eStar / mStar;
      const betaGamma = p / mStar;
      const zLo = (gamma * eRest - betaGamma * k) / eStar;
      const zHi = (gamma * eRest + betaGamma * k) / eStar;
      // z ∝ P(z) on [zLo, zHi]: propose 1/z, accept with (1 + (1 − z)²)/2 ≥ 1/2
      const logZ = Math.log(zHi / zLo);
      let z: number;
      do z = zLo * Math.exp(logZ * u01(rng));
      while (u01(rng) * 2 > 1 + (1 - z) * (1 - z));
      const cosDecay = betaGamma * k > 0 ? Math.max(-1, Math.min(1, (z * eStar - gamma * eRest) / (betaGamma * k))) : 0;
      azimuth(rng);
      decayTwoBody(ev, SCRATCH, mStar, m, mu, cosDecay, AZ[0], AZ[1], SLOT_INVISIBLE, oRad, k);
      if (this.beams && this.det && hopelessCm(ev, oRad, sqrtS, this.det, this.beams)) return 0;
      set4(ev, SLOT_LOST, 0, 0, 0, 0);
      return 1;
    }
  }
}
