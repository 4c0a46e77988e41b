/**
 * e⁺e⁻ → e⁺e⁻μ⁺μ⁻ through two quasi-real photons, the electrons lost down the beam pipe.
 *
 * Equivalent-photon approximation (Budnev et al., Phys. Rep. 15 (1975) 181, Eq. D.4): each beam
 * lepton radiates a photon with energy fraction x and virtuality Q² with
 *   dn = (α/2π) [ (1 + (1 − x)²)/x − 2 m_e² x / Q² ] dx dQ²/Q²,
 * and the pair is made with the Breit–Wheeler cross-section
 *   dσ(γγ → μ⁺μ⁻)/dΩ = α²β/W² · (1 + 2β²sin²θ − β⁴ − β⁴sin⁴θ)/(1 − β²cos²θ)²
 * (its integral is the textbook σ = πr²(1−β²)/2 · [(3 − β⁴) ln((1+β)/(1−β)) − 2β(2 − β²)]).
 * The scattered leptons are built on shell with their sampled angle, so four-momentum is exact;
 * W² is that of the two (space-like) photons.
 *
 * Reference number: σ(e⁺e⁻ → e⁺e⁻μ⁺μ⁻, W_μμ > 0.5 GeV) = 18.9 nb (AAFH generator; Belle II
 * Physics Book, Kou et al., PTEP 2019 123C01, Table 6). The EPA over the same W range and lepton
 * angles up to 0.4 rad in the CM frame (wider ones always hit the ECL, 12.4°–155.1° in the lab, and
 * veto the event) is `epaCrossSection` (≈ 24.8 nb); the weights use the EPA normalised to the
 * published number (`normalisation` = 18.9 nb / EPA).
 *
 * Sampling (importance, weighted): τ = x₁x₂ ∝ 1/τ² above W_min² / s; pair rapidity y uniform in
 * |y| ≤ Y (both muons must fit in the acceptance |η*| ≲ 1.6 in the CM frame, so Y = 1.85 loses
 * nothing); lepton angles log-uniform in θ² + θ₀²; muon angle in the γγ frame ∝ 1/(1 − β²cos²θ)
 * restricted to rapidities that can still reach the acceptance. Weights are then partially
 * unweighted (run.ts, `unweightCap`) so that most written events carry the same weight.
 */
import type { Rng } from '../core/rng.js';
import type { DetectorConfig } from './detector.js';
import { inCalorimeter } from './detector.js';
import {
  ALPHA_EM, ELECTRON_MASS, HBARC2_NB, MUON_MASS, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH,
  SLOT_SCRATCH2, add4, boost, copy4, set4, setAlong, sub4,
  u01,
} from './kinematics.js';
import { CATEGORY, type ProcessGenerator } from './process.js';
import { Rng as RngClass } from '../core/rng.js';

/** σ(e⁺e⁻ → e⁺e⁻μ⁺μ⁻, W_μμ > 0.5 GeV) at 10.58 GeV [nb], Belle II Physics Book Table 6 (AAFH) */
export const PUBLISHED_EEMUMU_NB = 18.9;
const INTEGRATION_SAMPLES = 200_000;
const INTEGRALS = new Map<string, { restricted: number; full: number }>();
const LEPTON_PT_HARD = 0.3; // GeV
const HARD_FRACTION = 0.5;

export interface TwoPhotonOptions {
  /** lowest μ⁺μ⁻ mass generated [GeV] */
  wMin: number;
  /** largest |rapidity| of the pair and of each muon (CM frame) that can pass */
  rapidityMax: number;
  /** largest scattering angle of the beam leptons generated [rad] */
  leptonAngleMax: number;
  /** for the region's cross-section (MC integral at construction) */
  sqrtS: number;
}

export function defaultTwoPhotonOptions(sqrtS: number): TwoPhotonOptions {
  return { wMin: 0.5, rapidityMax: 1.85, leptonAngleMax: 0.4, sqrtS };
}

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

export class TwoPhotonMuMu implements ProcessGenerator {
  readonly category = CATEGORY.eeMuMu;
  readonly name = 'eemumu';
  /** σ of the sampled region [nb]: the mean raw weight of unrestricted trials */
  readonly crossSection: number;
  private readonly buf = new Float64Array(8);
  private restrictAcceptance = true;

  /** σ_EPA(W > wMin, lepton angles ≤ leptonAngleMax), no acceptance restriction [nb] */
  readonly epaCrossSection: number;
  /** published / EPA: the factor the EPA is normalised by */
  readonly normalisation: number;

  constructor(private readonly opt: TwoPhotonOptions) {
    const key = JSON.stringify(opt);
    let cached = INTEGRALS.get(key);
    if (!cached) {
      cached = { restricted: this.integrate(INTEGRATION_SAMPLES, true), full: this.integrate(INTEGRATION_SAMPLES, false) };
      INTEGRALS.set(key, cached);
    }
    this.epaCrossSection = cached.full;
    this.normalisation = PUBLISHED_EEMUMU_NB / cached.full;
    this.crossSection = cached.restricted * this.normalisation;
    this.rawNorm = cached.restricted;
  }

  private readonly rawNorm: number;

  private integrate(n: number, restrict: boolean): number {
    const rng = new RngClass(0x2fa7);
    const ev = new Float64Array(28);
    const saved = this.restrictAcceptance;
    this.restrictAcceptance = restrict;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.rawWeight(rng, this.opt.sqrtS, ev);
    this.restrictAcceptance = saved;
    return (sum / n) * HBARC2_NB;
  }

  generateCM(rng: Rng, sqrtS: number, ev: Float64Array): number {
    return (this.rawWeight(rng, sqrtS, ev) * HBARC2_NB) / this.rawNorm;
  }

  vetoLab(ev: Float64Array, det: DetectorConfig): boolean {
    return inCalorimeter(ev, SLOT_SCRATCH, det) || inCalorimeter(ev, SLOT_SCRATCH2, det);
  }

  /** One sampled point; returns dσ/(sampling density) in GeV⁻² (0 outside the physical region). */
  private rawWeight(rng: Rng, sqrtS: number, ev: Float64Array): number {
    const s = sqrtS * sqrtS;
    const e = sqrtS / 2;
    const pBeam = Math.sqrt(e * e - ELECTRON_MASS * ELECTRON_MASS);
    const tauMin = (this.opt.wMin * this.opt.wMin) / s;
    // τ ∝ 1/τ² on [τ_min, 1]: 1/τ uniform
    const tau = 1 / (1 / tauMin - (1 / tauMin - 1) * u01(rng));
    const pTau = 1 / (tau * tau * (1 / tauMin - 1));
    const yKin = -0.5 * Math.log(tau);
    const yMax = this.restrictAcceptance ? Math.min(this.opt.rapidityMax, yKin) : yKin;
    const y = yMax * (2 * u01(rng) - 1);
    const qY = 1 / (2 * yMax);
    const x1 = Math.sqrt(tau) * Math.exp(y);
    const x2 = Math.sqrt(tau) * Math.exp(-y);
    if (x1 >= 1 || x2 >= 1) return 0;
    let w = 1 / (qY * pTau);
    w *= this.emitPhoton(rng, e, x1, +1, ev, SLOT_SCRATCH);
    w *= this.emitPhoton(rng, e, x2, -1, ev, SLOT_SCRATCH2);
    // photons q = beam − scattered lepton; pair P = q₁ + q₂
    const b = this.buf;
    set4(b, 0, e, 0, 0, pBeam);
    sub4(b, 0, ev, SLOT_SCRATCH, b, 0); // q₁
    set4(b, 4, e, 0, 0, -pBeam);
    sub4(b, 4, ev, SLOT_SCRATCH2, b, 4); // q₂
    copy4(b, 0, ev, SLOT_INVISIBLE);
    add4(b, 4, ev, SLOT_INVISIBLE); // temporarily the pair
    const pe = ev[SLOT_INVISIBLE], px = ev[SLOT_INVISIBLE + 1], py = ev[SLOT_INVISIBLE + 2], pz = ev[SLOT_INVISIBLE + 3];
    const w2 = pe * pe - px * px - py * py - pz * pz;
    if (!(pe > 0) || w2 <= 4 * MUON_MASS * MUON_MASS * 1.0001) return 0;
    const W = Math.sqrt(w2);
    const beta = Math.sqrt(1 - (4 * MUON_MASS * MUON_MASS) / w2);
    // axis: photon 1 in the pair rest frame
    boost(b, 0, -px / pe, -py / pe, -pz / pe);
    const qn = Math.hypot(b[1], b[2], b[3]);
    // muon angle ∝ 1/(1 − β²c²), rapidity-restricted so both muons can reach the acceptance
    const aKin = Math.atanh(beta);
    const a = this.restrictAcceptance ? Math.min(aKin, Math.max(0, this.opt.rapidityMax - Math.abs(y))) : aKin;
    if (a <= 0) return 0;
    const c = Math.tanh(a * (2 * u01(rng) - 1)) / beta;
    const g = beta / ((1 - beta * beta * c * c) * 2 * a);
    w *= breitWheelerDcos(W, c) / g;
    const k = Math.sqrt(w2 / 4 - MUON_MASS * MUON_MASS);
    const first = u01(rng) < 0.5 ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const second = first === SLOT_MU_PLUS ? SLOT_MU_MINUS : SLOT_MU_PLUS;
    setAlong(ev, first, MUON_MASS, k, c, 2 * Math.PI * u01(rng), b[1] / qn, b[2] / qn, b[3] / qn);
    boost(ev, first, px / pe, py / pe, pz / pe);
    sub4(ev, SLOT_INVISIBLE, ev, first, ev, second); // pair − μ₁: exact balance
    set4(ev, SLOT_INVISIBLE, 0, 0, 0, 0);
    copy4(ev, SLOT_SCRATCH, ev, SLOT_LOST);
    add4(ev, SLOT_SCRATCH2, ev, SLOT_LOST);
    return w;
  }

  /**
   * Scattered beam lepton (direction dir = ±1) after emitting a photon of energy fraction x;
   * writes it into ev[o] and returns the EPA flux per (dx d ln Q²) divided by the sampling
   * density of ln(θ² + θ₀²).
   */
  private emitPhoton(rng: Rng, e: number, x: number, dir: number, ev: Float64Array, o: number): number {
    const eOut = (1 - x) * e;
    const pOut = Math.sqrt(Math.max(0, eOut * eOut - ELECTRON_MASS * ELECTRON_MASS));
    // Q²_min = m² x²/(1 − x); Q² ≈ E²(1 − x)(θ² + θ₀²) with θ₀² = Q²_min/(E²(1 − x))
    const theta02 = (ELECTRON_MASS * ELECTRON_MASS * x * x) / ((1 - x) * (1 - x) * e * e);
    const lo = Math.log(theta02);
    const hi = Math.log(this.opt.leptonAngleMax * this.opt.leptonAngleMax + theta02);
    // ln t: mixture of uniform on [lo, hi] and uniform on [lc, hi], lc where the lepton's p_T
    // reaches LEPTON_PT_HARD: the preselection (recoil into the barrel, p*_rec > 0.2 GeV) wants
    // a pair p_T of ~1 GeV, i.e. one lepton scattered just short of the ECL
    const thetaC = Math.min(this.opt.leptonAngleMax, LEPTON_PT_HARD / Math.max(eOut, 1e-9));
    const lc = Math.max(lo, Math.log(thetaC * thetaC + theta02));
    const lt = u01(rng) < HARD_FRACTION ? lc + (hi - lc) * u01(rng) : lo + (hi - lo) * u01(rng);
    const qT = (1 - HARD_FRACTION) / (hi - lo) + (lt >= lc && hi > lc ? HARD_FRACTION / (hi - lc) : 0);
    const t = Math.exp(lt);
    const theta = Math.sqrt(Math.max(0, t - theta02));
    const q2 = e * e * (1 - x) * t;
    const flux = (ALPHA_EM / (2 * Math.PI * x)) * (1 + (1 - x) * (1 - x) - (2 * ELECTRON_MASS * ELECTRON_MASS * x * x) / q2);
    const phi = 2 * Math.PI * u01(rng);
    const st = Math.sin(theta);
    set4(ev, o, eOut, pOut * st * Math.cos(phi), pOut * st * Math.sin(phi), dir * pOut * Math.cos(theta));
    return Math.max(0, flux) / qT;
  }
}
