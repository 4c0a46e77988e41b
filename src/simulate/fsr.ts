/**
 * e⁺e⁻ → μ⁺μ⁻γ with the photon radiated by a final-state muon (FSR) and lost — an option of the
 * simulator (SimulationConfig.finalStateRadiation), off by default; its effect on the low-mass
 * windows is in docs/low-mass-check.md.
 *
 * Approximation (quasi-collinear emission, as signal.ts with a massless vector): e⁺e⁻ → γ* → μ μ*
 * with 1 + cos²θ and the Born σ₀(s) of backgrounds.ts, then μ* → μγ with
 *   dσ = σ₀(s) · 2p/√s · (α/2π) · dt/t · [P(x) − 2m_μ²/t] dx   per muon (two muons radiate),
 *   P(x) = (1 + (1 − x)²)/x,  t = m*² − m_μ² = 2 p_μ·k,
 * x the photon's share of the μ* energy in the CM frame. The −2m²/t term is the mass term of the
 * quasi-collinear splitting function (Catani, Dittmaier, Trócsányi, PLB 500 (2001) 149, Eq. 6 for
 * q → qg with C_F → 1, x = 1 − z): it gives the dead cone, dP/dθ² ∝ θ²/(θ² + θ₀²)², θ₀ = m_μ/E_μ.
 * Summed over angles this is the textbook FSR radiator (α/π)(ln(s/m_μ²) − 1)·P(x)dx at leading
 * log (test/simulate/fsr.test.ts). Interference with ISR and two-photon emission are not simulated;
 * wide-angle hard photons get the collinear form (an overestimate there).
 *
 * Where the photon goes decides whether it is lost (the event's weight is that probability):
 * - into a barrel–endcap gap of the ECL: gapPhotonInefficiency (detector.ts);
 * - onto the ECL cluster of its own muon (`mergeAngle` > 0): `mergeInefficiency` — the muon reaches
 *   the ECL (radius ECL_RADIUS) bent in the solenoid field by Δφ = asin(0.3·B·R/(2p_T)), the
 *   photon goes straight; a photon whose direction is within mergeAngle of the muon's impact point
 *   is taken as part of the muon's cluster;
 * - outside the ECL (θ < eclThetaMin or > eclThetaMax): 1;
 * - anywhere else in the ECL: photonInefficiency.
 * Events are generated in (ln t, ln x) and carry the weight f/q (partially unweighted by run.ts
 * with the job's unweightCap), `crossSection` = σ₀(s)·α/π being the normalisation of that weight.
 */
import type { SimRng } from './random.js';
import {
  ALPHA_EM, AZ, MUON_MASS, SLOT_INITIAL, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH, azimuth, cosThetaOnePlusCos2,
  decayTwoBody, set4, setPolar, twoBodyMomentum, u01,
} from './kinematics.js';
import { bornMuMu } from './backgrounds.js';
import { CATEGORY, type ProcessGenerator } from './process.js';
import { type DetectorConfig, type NominalBeams, hopelessCm, nominalBeams } from './detector.js';

/** Belle II: solenoid field [T] and inner radius of the barrel ECL [m] (TDR arXiv:1011.0352, §1, §9) */
export const SOLENOID_FIELD = 1.5;
export const ECL_RADIUS = 1.25;

export interface FsrOptions {
  /** lowest photon energy generated, CM frame [GeV] (the recoil-momentum cut is 0.2 GeV) */
  photonEnergyMin: number;
  /** angle from the muon's ECL impact point within which the photon joins the muon's cluster [rad] (0: never) */
  mergeAngle: number;
  /** probability that a photon merged with the muon's cluster is not seen as a photon */
  mergeInefficiency: number;
}

export function defaultFsrOptions(): FsrOptions {
  return { photonEnergyMin: 0.1, mergeAngle: 0, mergeInefficiency: 1 };
}

/** Where an FSR photon went (lossRegion), for the tests and the check. */
export const FSR_REGION = { ecl: 0, gap: 1, merged: 2, outside: 3 } as const;

export class FinalStateRadiation implements ProcessGenerator {
  readonly category = CATEGORY.mumuGamma;
  readonly name = 'mumu_gamma';
  /** normalisation of the weights [nb]: σ₀(s)·α/π at the nominal √s */
  readonly crossSection: number;
  private readonly beams: NominalBeams;
  /** region of the last event (FSR_REGION) */
  lastRegion = -1;

  constructor(private readonly det: DetectorConfig, readonly opt: FsrOptions = defaultFsrOptions()) {
    this.beams = nominalBeams(det);
    this.crossSection = bornMuMu(this.beams.sqrtS ** 2) * (ALPHA_EM / Math.PI);
  }

  /** f/q of the event without the loss probability (the photon kept in SLOT_LOST), 0 outside the region */
  radiate(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const mu = MUON_MASS;
    const xMin = (2 * this.opt.photonEnergyMin) / sqrtS;
    // x ≤ t(1+β*)/(2m*²) < t/m_μ² for the photon: below t = x_min·m_μ²/2 no photon reaches x_min
    const tLo = (xMin * mu * mu) / 2;
    const tHi = (sqrtS - mu) * (sqrtS - mu) - mu * mu;
    const logT = Math.log(tHi / tLo);
    const t = tLo * Math.exp(logT * u01(rng));
    const mStar = Math.sqrt(mu * mu + t);
    const p = twoBodyMomentum(sqrtS, mu, mStar);
    if (!(p > 0)) return 0;
    const radiatorIsPlus = u01(rng) < 0.5;
    const oRad = radiatorIsPlus ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const oOther = radiatorIsPlus ? SLOT_MU_MINUS : SLOT_MU_PLUS;
    const cosTheta = cosThetaOnePlusCos2(rng);
    azimuth(rng);
    const sign = radiatorIsPlus ? -1 : 1;
    setPolar(ev, SLOT_SCRATCH, mStar, p, sign * cosTheta, sign * AZ[0], sign * AZ[1]);
    set4(ev, oOther, Math.sqrt(p * p + mu * mu), -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]);
    if (hopelessCm(ev, oOther, sqrtS, this.det, this.beams)) return 0;
    // photon energy share x of μ*: linear in cos of the decay angle in the μ* rest frame
    const eStar = ev[SLOT_SCRATCH];
    const k = t / (2 * mStar);
    const gamma = eStar / mStar, betaGamma = p / mStar;
    const xLo = Math.max(xMin, (gamma * k - betaGamma * k) / eStar);
    const xHi = (gamma * k + betaGamma * k) / eStar;
    if (!(xHi > xLo)) return 0;
    const logX = Math.log(xHi / xLo);
    const x = xLo * Math.exp(logX * u01(rng));
    const split = (1 + (1 - x) * (1 - x)) / x - (2 * mu * mu) / t;
    if (!(split > 0)) return 0;
    const cosDecay = Math.max(-1, Math.min(1, (x * eStar - gamma * k) / (betaGamma * k)));
    azimuth(rng);
    decayTwoBody(ev, SLOT_SCRATCH, mStar, 0, mu, cosDecay, AZ[0], AZ[1], SLOT_LOST, oRad, k);
    if (hopelessCm(ev, oRad, sqrtS, this.det, this.beams)) return 0;
    this.radiatorSlot = oRad;
    // f/q with q uniform in (ln t, ln x): σ₀·(α/2π)·2 (two muons, one drawn) · 2p/√s · split · x · ln-ranges
    return ((2 * p) / sqrtS) * split * x * logT * logX;
  }

  private radiatorSlot = SLOT_MU_PLUS;

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const w = this.radiate(rng, sqrtS, ev);
    if (!(w > 0)) return 0;
    return w * this.lossProbability(ev, sqrtS);
  }

  /** Probability that the photon in SLOT_LOST (CM frame of the collision) is not seen; sets lastRegion. */
  lossProbability(ev: Float64Array, sqrtS: number): number {
    const det = this.det;
    const photon = labDirection(ev, SLOT_LOST, sqrtS);
    const theta = Math.acos(photon[2]);
    if (theta < det.eclThetaMin || theta > det.eclThetaMax) {
      this.lastRegion = FSR_REGION.outside;
      return 1;
    }
    const [f0, f1] = det.eclGapForward, [b0, b1] = det.eclGapBackward;
    if ((theta >= f0 && theta <= f1) || (theta >= b0 && theta <= b1)) {
      this.lastRegion = FSR_REGION.gap;
      return det.gapPhotonInefficiency;
    }
    if (this.opt.mergeAngle > 0 && this.separationFromMuon(ev, sqrtS, photon) < this.opt.mergeAngle) {
      this.lastRegion = FSR_REGION.merged;
      return this.opt.mergeInefficiency;
    }
    this.lastRegion = FSR_REGION.ecl;
    return det.photonInefficiency;
  }

  /** angle between the photon's direction and the radiating muon's impact point on the ECL (bent by the field) */
  separationFromMuon(ev: Float64Array, sqrtS: number, photon: readonly number[]): number {
    const o = this.radiatorSlot;
    const muon = labDirection(ev, o, sqrtS);
    const pt = Math.hypot(ev[o + 1], ev[o + 2]);
    const bend = Math.asin(Math.min(1, (0.3 * SOLENOID_FIELD * ECL_RADIUS) / (2 * pt))) * (o === SLOT_MU_PLUS ? 1 : -1);
    const c = Math.cos(bend), s = Math.sin(bend);
    const mx = muon[0] * c - muon[1] * s, my = muon[0] * s + muon[1] * c;
    const dot = mx * photon[0] + my * photon[1] + muon[2] * photon[2];
    return Math.acos(Math.max(-1, Math.min(1, dot)));
  }
}

/** unit lab direction of the particle at v[o] given in the CM frame of the collision (boostZ of process.ts) */
function labDirection(v: Float64Array, o: number, sqrtS: number): [number, number, number] {
  const e0 = v[SLOT_INITIAL];
  const beta = v[SLOT_INITIAL + 3] / e0, gamma = e0 / sqrtS;
  const px = v[o + 1], py = v[o + 2], pz = gamma * (v[o + 3] + beta * v[o]);
  const n = Math.sqrt(px * px + py * py + pz * pz);
  return [px / n, py / n, pz / n];
}
