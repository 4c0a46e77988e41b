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
 * veto the event) is `epaCrossSection` (≈ 24.0 nb); the weights use the EPA normalised to the
 * published number (`normalisation` = 18.9 nb / EPA).
 *
 * Sampling (importance; every event carries w = dσ/g, g the exact density it was drawn from).
 * Variables: photon fractions (x₁, x₂) (dτ dy = dx₁ dx₂, τ = x₁x₂, y = ½ ln(x₁/x₂)), per lepton
 * ln t = ln(θ² + θ₀²) and φ, the muon angle c in the γγ frame and its φ. Densities:
 * - (x₁, x₂): g = (1 − h)·g_A + h·g_B.  g_A (the plain EPA channel): τ ∝ 1/τ² on [τ_min, 1],
 *   y uniform in |y| ≤ Y(τ) = min(Y, −½ ln τ); g_A = 1/(τ²(1/τ_min − 1)) · 1/(2Y(τ)).
 *   g_B (the passing band): the recoil (the two scattered leptons) can only point into the barrel
 *   if its lab p_z nearly vanishes, E₁(1 + β) ≈ E₂(1 − β) (β the CM boost), i.e. the e⁻ loses
 *   more: x₁ = 1 − r(1 − x₂) + δ, r = (1 − β)/(1 + β), δ ∈ [D_LO, D_HI]. Like dσ (two photon
 *   fluxes ∝ 1/x and σ_γγ ∝ 1/W² = 1/(s x₁x₂)) both go as 1/x²: x₂ ∝ 1/x₂² on [B_LO, B_HI], then
 *   x₁ ∝ 1/x₁² on the band [a, b] = [x₁c + D_LO, x₁c + D_HI] ∩ [τ_min/x₂, 0.999], x₁c = 1 − r(1 − x₂):
 *   g_B = 1/(x₂²(1/B_LO − 1/B_HI)) · 1/(x₁²(1/a − 1/b)) inside, 0 outside. Points of g_B
 *   outside the region of g_A (|y| > Y(τ), τ < τ_min) get w = 0, so the region is that of g_A.
 * - ln t per lepton: (1 − H)·U[lo, hi] + H·U[lc, le]: lo = ln θ₀², hi = ln(θ_max² + θ₀²); the hard
 *   channel starts where the lepton p_T reaches LEPTON_PT_HARD (lc) and ends at the ECL edge (le;
 *   beyond it the event is vetoed; with `sampler: 'reference'` le = hi, the earlier sampler).
 * - c ∝ 1/(1 − β_μ²c²) restricted to rapidities that can still reach the acceptance.
 * Pre-check (importance sampler only): a lepton well inside the ECL, or a lepton-pair recoil far
 * outside the barrel (lab, 0.25 rad margin ≫ the recoil's resolution) or below 0.1 GeV in the CM
 * (cut 0.2), cannot pass: w = 0 before the muons are built. The region's σ (`crossSection`) is
 * the integral of what survives this, so σ_pass is untouched; the `sampler: 'reference'`
 * generator (no band channel, no pre-check) is the brute-force check (test/simulate/twophoton.test.ts).
 * Weights are then partially unweighted (run.ts, `unweightCap`).
 */
import { Rng } from '../core/rng.js';
import { type DetectorConfig, type NominalBeams, defaultDetector, hopelessCm, inCalorimeter, nominalBeams } from './detector.js';
import {
  ALPHA_EM, ELECTRON_MASS, HBARC2_NB, MUON_MASS, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH,
  SLOT_SCRATCH2, AZ, add4, azimuth, boostFromRest, copy4, set4, setAlong, sub4,
} from './kinematics.js';
import { CATEGORY, type ProcessGenerator } from './process.js';
import { SimRng } from './random.js';
import { breitWheelerDcos } from './breitwheeler.js';
import { type NativeGeneratorSettings, twoPhotonWeightSumNative } from './native.js';

/** σ(e⁺e⁻ → e⁺e⁻μ⁺μ⁻, W_μμ > 0.5 GeV) at 10.58 GeV [nb], Belle II Physics Book Table 6 (AAFH) */
export const PUBLISHED_EEMUMU_NB = 18.9;
const INTEGRATION_SAMPLES = 200_000;
const INTEGRALS = new Map<string, { restricted: number; full: number }>();
const LEPTON_PT_HARD = 0.3; // GeV
const HARD_FRACTION = 0.5;
/** the band channel g_B (file header): its share h and its ranges, from the passing events */
const BAND_FRACTION = 0.85;
const B_LO = 0.004, B_HI = 0.45, D_LO = -0.36, D_HI = 0.16;
const LOG_B = Math.log(B_HI / B_LO);
const LOG_B_LO = Math.log(B_LO);
const LOG_ME = Math.log(ELECTRON_MASS);
const LOG_PT_HARD2 = Math.log(LEPTON_PT_HARD * LEPTON_PT_HARD);
/** pre-check margins: ECL edge [rad], recoil direction [rad], recoil CM momentum [GeV] */
const ECL_MARGIN = 0.01, RECOIL_MARGIN = 0.25, RECOIL_P_MIN = 0.1;

export interface TwoPhotonOptions {
  /** lowest μ⁺μ⁻ mass generated [GeV] */
  wMin: number;
  /** largest |rapidity| of the pair and of each muon (CM frame) that can pass */
  rapidityMax: number;
  /** largest scattering angle of the beam leptons generated [rad] */
  leptonAngleMax: number;
  /** for the region's cross-section (MC integral at construction) */
  sqrtS: number;
  /** CM boost of the nominal beams (the lab velocity of the CM frame) */
  boostBeta: number;
  /** CM angle from its own beam at which the e⁻ / e⁺ reaches the ECL [rad] */
  eclEdgeMinus: number;
  eclEdgePlus: number;
  /** lab polar-angle window the recoil must point into [rad] */
  recoilThetaMin: number;
  recoilThetaMax: number;
  /** 'importance' (default) or 'reference': the plain EPA sampling without band channel or pre-check */
  sampler?: 'importance' | 'reference';
}

export function defaultTwoPhotonOptions(sqrtS: number, det: DetectorConfig = defaultDetector()): TwoPhotonOptions {
  const beta = nominalBeams(det).beta;
  // massless lab → CM angle: cos θ* = (cos θ − β)/(1 − β cos θ)
  const toCm = (thetaLab: number): number => {
    const c = Math.cos(thetaLab);
    return Math.acos((c - beta) / (1 - beta * c));
  };
  return {
    wMin: 0.5, rapidityMax: 1.85, leptonAngleMax: 0.4, sqrtS, boostBeta: beta,
    eclEdgeMinus: toCm(det.eclThetaMin), eclEdgePlus: Math.PI - toCm(det.eclThetaMax),
    recoilThetaMin: det.recoilThetaMin, recoilThetaMax: det.recoilThetaMax,
  };
}

export class TwoPhotonMuMu implements ProcessGenerator {
  readonly category = CATEGORY.eeMuMu;
  readonly name = 'eemumu';
  /** σ of the sampled region [nb]: the mean raw weight of the restricted sampler's trials */
  readonly crossSection: number;
  private readonly buf = new Float64Array(8);
  /** false while integrating the unrestricted EPA (plain sampling, no acceptance restriction) */
  private restrictAcceptance = true;
  private readonly importance: boolean;
  private readonly bandR: number;
  private readonly cosEclMinus: number;
  private readonly cosEclPlus: number;
  private readonly cotRecoilLo: number;
  private readonly cotRecoilHi: number;
  private readonly gammaCm: number;

  /** σ_EPA(W > wMin, lepton angles ≤ leptonAngleMax), no acceptance restriction [nb] */
  readonly epaCrossSection: number;
  /** published / EPA: the factor the EPA is normalised by */
  readonly normalisation: number;
  private readonly rawNorm: number;
  /** ln θ_max² and, per beam lepton (e⁻, e⁺), the hard channel's upper edge and its ln (emitPhoton) */
  private readonly logThetaMax2: number;
  private readonly edgeMinus: number;
  private readonly edgePlus: number;
  private readonly logEdgeMinus2: number;
  private readonly logEdgePlus2: number;
  /** job settings (configureJob): unweighting cap (0 = off) and the detector of the muon pre-check */
  private cap = 0;
  private capped = false;
  private det: DetectorConfig | null = null;
  private beams: NominalBeams | null = null;

  constructor(private readonly opt: TwoPhotonOptions) {
    this.importance = (opt.sampler ?? 'importance') === 'importance';
    const b = opt.boostBeta;
    this.bandR = (1 - b) / (1 + b);
    this.gammaCm = 1 / Math.sqrt(1 - b * b);
    this.cosEclMinus = Math.cos(opt.eclEdgeMinus + ECL_MARGIN);
    this.cosEclPlus = Math.cos(opt.eclEdgePlus + ECL_MARGIN);
    this.cotRecoilHi = 1 / Math.tan(Math.max(1e-3, opt.recoilThetaMin - RECOIL_MARGIN));
    this.cotRecoilLo = 1 / Math.tan(Math.min(Math.PI - 1e-3, opt.recoilThetaMax + RECOIL_MARGIN));
    this.logThetaMax2 = Math.log(opt.leptonAngleMax * opt.leptonAngleMax);
    this.edgeMinus = Math.min(opt.leptonAngleMax, opt.eclEdgeMinus + ECL_MARGIN);
    this.edgePlus = Math.min(opt.leptonAngleMax, opt.eclEdgePlus + ECL_MARGIN);
    this.logEdgeMinus2 = Math.log(this.edgeMinus * this.edgeMinus);
    this.logEdgePlus2 = Math.log(this.edgePlus * this.edgePlus);
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

  private integrate(n: number, restrict: boolean): number {
    const rng = new SimRng(new Rng(0x2fa7));
    const ev = new Float64Array(28);
    const saved = this.restrictAcceptance;
    this.restrictAcceptance = restrict;
    // the C++ twin when built (same draws; the detector only sets the unused pre-check fields)
    let sum = twoPhotonWeightSumNative(this.nativeSettings(), defaultDetector(), rng, n, this.opt.sqrtS);
    if (sum === null) {
      sum = 0;
      for (let i = 0; i < n; i++) sum += this.rawWeight(rng, this.opt.sqrtS, ev);
    }
    this.restrictAcceptance = saved;
    return (sum / n) * HBARC2_NB;
  }

  /**
   * For a simulation job (index.ts): run.ts's partial unweighting (an event of weight w < cap is
   * kept with probability w/cap and weighted cap) is done here as soon as w is known, before the
   * muons are built, and each muon gets reconstruct()'s truth pre-check (hopelessCm) once made.
   * Both are rejections independent of the rest of the event, so the same events pass with the
   * same weights; only fewer random draws and less arithmetic are spent on the failing ones.
   */
  configureJob(det: DetectorConfig, unweightCap: number): void {
    this.det = det;
    this.beams = nominalBeams(det);
    this.cap = unweightCap;
  }

  nativeSettings(): NativeGeneratorSettings {
    const o = this.opt;
    return {
      kind: this.category, hasDetector: this.det && this.beams ? 1 : 0, wMin: o.wMin, rapidityMax: o.rapidityMax, leptonAngleMax: o.leptonAngleMax,
      boostBeta: o.boostBeta, bandR: this.bandR, cosEclMinus: this.cosEclMinus, cosEclPlus: this.cosEclPlus, cotRecoilLo: this.cotRecoilLo,
      cotRecoilHi: this.cotRecoilHi, gammaCm: this.gammaCm, rawNorm: this.rawNorm ?? 0, logThetaMax2: this.logThetaMax2, edgeMinus: this.edgeMinus,
      edgePlus: this.edgePlus, logEdgeMinus2: this.logEdgeMinus2, logEdgePlus2: this.logEdgePlus2, cap: this.cap,
      importance: this.importance ? 1 : 0, restrictAcceptance: this.restrictAcceptance ? 1 : 0,
    };
  }

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    this.capped = false;
    const w = this.rawWeight(rng, sqrtS, ev);
    if (!(w > 0)) return 0;
    return this.capped ? this.cap : (w * HBARC2_NB) / this.rawNorm;
  }

  vetoLab(ev: Float64Array, det: DetectorConfig): boolean {
    return inCalorimeter(ev, SLOT_SCRATCH, det) || inCalorimeter(ev, SLOT_SCRATCH2, det);
  }

  /** One sampled point; returns dσ/(sampling density) in GeV⁻² (0 outside the region). */
  private rawWeight(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const s = sqrtS * sqrtS;
    const e = sqrtS / 2;
    const pBeam = Math.sqrt(e * e - ELECTRON_MASS * ELECTRON_MASS);
    const tauMin = (this.opt.wMin * this.opt.wMin) / s;
    const restrict = this.restrictAcceptance;
    const band = restrict && this.importance;
    const h = band ? BAND_FRACTION : 0;
    let x1: number, x2: number, tau: number, y: number, yMax: number, lx1: number, lx2: number;
    let logBand = 0; // ln(b/a) of the band at x₂ when x was drawn from g_B (0: not yet known)
    if (band && rng.u01() < h) {
      // ln x₂, ln x₁ straight from the log-uniform draws (no logs of the results)
      lx2 = LOG_B_LO + LOG_B * rng.u01();
      x2 = Math.exp(lx2);
      this.band(x2, tauMin);
      const a = this.bandLo, b = this.bandHi;
      if (!(a < b)) return 0;
      const la = Math.log(a);
      logBand = Math.log(b) - la;
      lx1 = la + logBand * rng.u01();
      y = 0.5 * (lx1 - lx2);
      yMax = Math.min(this.opt.rapidityMax, -0.5 * (lx1 + lx2));
      if (Math.abs(y) > yMax) return 0;
      x1 = Math.exp(lx1);
      tau = x1 * x2;
      if (tau < tauMin) return 0;
    } else {
      // τ ∝ 1/τ² on [τ_min, 1]: 1/τ uniform
      tau = 1 / (1 / tauMin - (1 / tauMin - 1) * rng.u01());
      const yKin = -0.5 * Math.log(tau);
      yMax = restrict ? Math.min(this.opt.rapidityMax, yKin) : yKin;
      y = yMax * (2 * rng.u01() - 1);
      const ey = Math.exp(y), rt = Math.sqrt(tau);
      x1 = rt * ey;
      x2 = rt / ey;
      lx1 = y - yKin;
      lx2 = -y - yKin;
      if (x1 >= 1 || x2 >= 1) return 0;
    }
    // mixture density of (x₁, x₂) (file header)
    const gA = 1 / (tau * tau * (1 / tauMin - 1) * 2 * yMax);
    let g = (1 - h) * gA;
    if (logBand > 0) g += h / (x2 * LOG_B * x1 * logBand);
    else if (h > 0 && x2 >= B_LO && x2 <= B_HI) {
      this.band(x2, tauMin);
      const a = this.bandLo, b = this.bandHi;
      if (a < b && x1 >= a && x1 <= b) g += h / (x2 * LOG_B * x1 * Math.log(b / a));
    }
    let w = 1 / g;
    // pre-check each lepton as soon as it is made (a seen lepton skips the rest of the event)
    w *= this.emitPhoton(rng, e, x1, lx1, +1, ev, SLOT_SCRATCH, band);
    if (band && this.leptonSeen(ev, SLOT_SCRATCH)) return 0;
    w *= this.emitPhoton(rng, e, x2, lx2, -1, ev, SLOT_SCRATCH2, band);
    if (band && (this.leptonSeen(ev, SLOT_SCRATCH2) || this.recoilHopeless(ev))) return 0;
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
    // axis: photon 1 in the pair rest frame (boost by −P of the pair, mass W)
    boostFromRest(b, 0, pe, -px, -py, -pz, W);
    const qn = Math.sqrt(b[1] * b[1] + b[2] * b[2] + b[3] * b[3]);
    // muon angle ∝ 1/(1 − β²c²), rapidity-restricted so both muons can reach the acceptance
    const aKin = Math.atanh(beta);
    const a = restrict ? Math.min(aKin, Math.max(0, this.opt.rapidityMax - Math.abs(y))) : aKin;
    if (a <= 0) return 0;
    const c = Math.tanh(a * (2 * rng.u01() - 1)) / beta;
    const gc = beta / ((1 - beta * beta * c * c) * 2 * a);
    w *= breitWheelerDcos(W, c) / gc;
    if (this.cap > 0) {
      // run.ts's partial unweighting, in the units generateCM returns
      const wOut = (w * HBARC2_NB) / this.rawNorm;
      if (wOut < this.cap) {
        if (rng.u01() * this.cap >= wOut) return 0;
        this.capped = true;
      }
    }
    const k = Math.sqrt(w2 / 4 - MUON_MASS * MUON_MASS);
    const first = rng.u01() < 0.5 ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const second = first === SLOT_MU_PLUS ? SLOT_MU_MINUS : SLOT_MU_PLUS;
    azimuth(rng);
    setAlong(ev, first, MUON_MASS, k, c, AZ[0], AZ[1], b[1] / qn, b[2] / qn, b[3] / qn);
    boostFromRest(ev, first, pe, px, py, pz, W);
    const det = this.det, beams = this.beams;
    if (det && beams && hopelessCm(ev, first, sqrtS, det, beams)) return 0;
    sub4(ev, SLOT_INVISIBLE, ev, first, ev, second); // pair − μ₁: exact balance
    if (det && beams && hopelessCm(ev, second, sqrtS, det, beams)) return 0;
    set4(ev, SLOT_INVISIBLE, 0, 0, 0, 0);
    copy4(ev, SLOT_SCRATCH, ev, SLOT_LOST);
    add4(ev, SLOT_SCRATCH2, ev, SLOT_LOST);
    return w;
  }

  private bandLo = 0;
  private bandHi = 0;

  /** The band [bandLo, bandHi] of x₁ for a given x₂ (file header), clipped to [τ_min/x₂, 0.999]. */
  private band(x2: number, tauMin: number): void {
    const c = 1 - this.bandR * (1 - x2);
    this.bandLo = Math.max(tauMin / x2, c + D_LO);
    this.bandHi = Math.min(0.999, c + D_HI);
  }

  /**
   * Pre-check on the scattered leptons (CM frame, nominal boost; margins in the file header): a
   * lepton above 0.2 GeV well inside the ECL, or a recoil (the lepton pair) that cannot end up in
   * the barrel with p* > 0.2 GeV after smearing.
   */
  private leptonSeen(ev: Float64Array, o: number): boolean {
    if (!(ev[o] > 0.2)) return false;
    const c = ev[o + 3] / Math.sqrt(ev[o + 1] * ev[o + 1] + ev[o + 2] * ev[o + 2] + ev[o + 3] * ev[o + 3]);
    return c < this.cosEclMinus && -c < this.cosEclPlus;
  }

  /** The recoil half of the pre-check (leptonSeen is the other). */
  private recoilHopeless(ev: Float64Array): boolean {
    const re = ev[SLOT_SCRATCH] + ev[SLOT_SCRATCH2];
    const rx = ev[SLOT_SCRATCH + 1] + ev[SLOT_SCRATCH2 + 1];
    const ry = ev[SLOT_SCRATCH + 2] + ev[SLOT_SCRATCH2 + 2];
    const rz = ev[SLOT_SCRATCH + 3] + ev[SLOT_SCRATCH2 + 3];
    const pt = Math.sqrt(rx * rx + ry * ry);
    if (pt * pt + rz * rz < RECOIL_P_MIN * RECOIL_P_MIN) return true;
    const rzLab = this.gammaCm * (rz + this.opt.boostBeta * re);
    return rzLab > this.cotRecoilHi * pt || rzLab < this.cotRecoilLo * pt;
  }

  /**
   * Scattered beam lepton (direction dir = ±1) after emitting a photon of energy fraction x;
   * writes it into ev[o] and returns the EPA flux per (dx d ln Q²) divided by the sampling
   * density of ln(θ² + θ₀²) (the two-channel mixture of the file header).
   */
  private emitPhoton(rng: SimRng, e: number, x: number, lx: number, dir: number, ev: Float64Array, o: number, band: boolean): number {
    const eOut = (1 - x) * e;
    const lEOut2 = 2 * Math.log(eOut); // ln E′²: with ln x (lx) the only log needed for lo and lc
    const pOut = Math.sqrt(Math.max(0, eOut * eOut - ELECTRON_MASS * ELECTRON_MASS));
    // Q²_min = m² x²/(1 − x); Q² ≈ E²(1 − x)(θ² + θ₀²) with θ₀² = Q²_min/(E²(1 − x))
    const theta02 = (ELECTRON_MASS * ELECTRON_MASS * x * x) / ((1 - x) * (1 - x) * e * e);
    const lo = 2 * (LOG_ME + lx) - lEOut2; // ln θ₀², θ₀² = m_e²x²/E′²
    const hi = logSum(this.logThetaMax2, this.opt.leptonAngleMax * this.opt.leptonAngleMax, theta02);
    // hard channel: from the angle where the lepton's p_T reaches LEPTON_PT_HARD (the
    // preselection wants a pair p_T of ~1 GeV) to the ECL edge (importance) or θ_max (reference)
    const edge = band ? (dir > 0 ? this.edgeMinus : this.edgePlus) : this.opt.leptonAngleMax;
    const thetaC = Math.min(edge, LEPTON_PT_HARD / eOut);
    // θ_C² + θ₀² = (p_T,hard² + m_e²x²)/E′² when θ_C is not the edge
    const lc = Math.max(lo, thetaC < edge ? logSum(LOG_PT_HARD2, LEPTON_PT_HARD * LEPTON_PT_HARD, ELECTRON_MASS * ELECTRON_MASS * x * x) - lEOut2 : Math.log(thetaC * thetaC + theta02));
    const le = band ? logSum(dir > 0 ? this.logEdgeMinus2 : this.logEdgePlus2, edge * edge, theta02) : hi;
    // no hard range (θ_C at the edge: a lepton below ~1 GeV) → the soft channel alone; the draw that picks
    // the channel is made either way. (The hard channel used to collapse onto the point lt = lc there,
    // weighted as if drawn from the soft density: a bias for the rare e± below 0.1 GeV that the ECL misses.)
    const hardRange = thetaC < edge && le > lc;
    const lt = rng.u01() < HARD_FRACTION && hardRange ? lc + (le - lc) * rng.u01() : lo + (hi - lo) * rng.u01();
    const qT = hardRange ? (1 - HARD_FRACTION) / (hi - lo) + (lt >= lc && lt <= le ? HARD_FRACTION / (le - lc) : 0) : 1 / (hi - lo);
    const t = Math.exp(lt);
    const theta = Math.sqrt(Math.max(0, t - theta02));
    const q2 = e * e * (1 - x) * t;
    const flux = (ALPHA_EM / (2 * Math.PI * x)) * (1 + (1 - x) * (1 - x) - (2 * ELECTRON_MASS * ELECTRON_MASS * x * x) / q2);
    azimuth(rng);
    const st = Math.sin(theta);
    const ct = Math.sqrt(1 - st * st); // θ ≤ 0.4 rad: cos θ > 0
    set4(ev, o, eOut, pOut * st * AZ[0], pOut * st * AZ[1], dir * pOut * ct);
    return Math.max(0, flux) / qT;
  }
}

/**
 * ln(a + d) given ln a, for 0 ≤ d: ln a + ln(1 + z), z = d/a, by its Taylor series when z < 10⁻⁴
 * (the first omitted term, z⁵/5 < 2·10⁻²¹, is far below double rounding), else Math.log.
 */
function logSum(logA: number, a: number, d: number): number {
  const z = d / a;
  if (z >= 1e-4) return Math.log(a + d);
  return logA + z * (1 - z * (0.5 - z * (1 / 3 - z * 0.25)));
}
