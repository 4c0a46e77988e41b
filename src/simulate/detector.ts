/**
 * SuperKEKB beams and a Belle II-like muon detector: beam-energy spread, track smearing, the
 * preselection, and the reconstructed quantities an analysis computes from the two muons
 * (recoil mass², the four features of the seed study) — all from the smeared muons and the
 * nominal beams, exactly as an analysis would.
 *
 * Numbers (defaults of `defaultDetector()`):
 * - Beams: 7 GeV e⁻ (HER) on 4 GeV e⁺ (LER), head-on along z (SuperKEKB's 83 mrad crossing angle
 *   is ignored: it tilts the boost by 41 mrad and changes no CM-frame quantity). √s = 10.583 GeV,
 *   βγ = 0.284. Energy spreads σ_E/E = 5.5·10⁻⁴ (HER), 7.0·10⁻⁴ (LER) give σ(√s) = 4.7 MeV
 *   (SuperKEKB: ≈ 5 MeV; Ohnishi et al., PTEP 2013 03A011). The analysis uses the nominal beams.
 * - Tracks: σ(p_T)/p_T = 0.12 %·p_T[GeV] ⊕ 0.25 %/β and polar/azimuthal resolution
 *   1 mrad ⊕ 1 mrad/(p[GeV]·β) (Belle II CDC+VXD, Belle II TDR arXiv:1011.0352 §6; Kou et al.,
 *   PTEP 2019 123C01, §3.3). Muon acceptance 17°–150° (CDC), p_T > 0.3 GeV. The values sit within
 *   those ranges and were tuned so the signal σ(M²) follows the Belle II table width.txt
 *   (ratio 0.7–1.5 from 0.5 to 8.5 GeV, within 10 % from 1.5 to 7 GeV).
 * - Preselection (after Belle II, PRL 124 (2020) 141801): exactly two opposite-charge muons
 *   in acceptance; nothing else seen (e⁺e⁻μ⁺μ⁻: both beam leptons outside the ECL, 12.4°–155.1°,
 *   or below 0.1 GeV; μμγ: the photon missed, see backgrounds.ts); the recoil momentum pointing into
 *   the barrel ECL (32.2°–128.7° in the lab), where an ISR photon would be seen; recoil momentum
 *   in the CM frame above 0.2 GeV (removes e⁺e⁻ → μ⁺μ⁻ with only soft radiation, whose recoil
 *   direction is undefined).
 */
import type { SimRng } from './random.js';
import {
  ELECTRON_MASS, MUON_MASS, SLOT_INITIAL, SLOT_MU_MINUS, SLOT_MU_PLUS, set4,
} from './kinematics.js';

const DEG = Math.PI / 180;
const ANGLE_MARGIN = 0.05; // rad, ≫ the 1 mrad angular resolution

export interface DetectorConfig {
  herEnergy: number;
  lerEnergy: number;
  /** relative beam-energy spreads σ_E/E */
  herSpread: number;
  lerSpread: number;
  /** σ(p_T)/p_T = ptResolutionSlope·p_T ⊕ ptResolutionConstant/β */
  ptResolutionSlope: number;
  ptResolutionConstant: number;
  /** σ(θ) = σ(φ) = angleResolution ⊕ angleMultipleScattering/(pβ) [rad] */
  angleResolution: number;
  angleMultipleScattering: number;
  /** muon acceptance in the lab polar angle [rad] and minimum p_T [GeV] */
  muonThetaMin: number;
  muonThetaMax: number;
  muonPtMin: number;
  /** a further charged track above this p_T in acceptance vetoes the event [GeV] */
  trackPtMin: number;
  /** the recoil momentum must point into the barrel ECL (lab polar angle, rad) */
  recoilThetaMin: number;
  recoilThetaMax: number;
  /** minimum recoil momentum in the CM frame [GeV] */
  recoilMomentumMin: number;
  /** ECL acceptance (lab polar angle, rad) and the energy above which a lepton in it is seen [GeV] */
  eclThetaMin: number;
  eclThetaMax: number;
  eclEnergyMin: number;
  /** probability that a photon above ~0.1 GeV in the barrel ECL is not seen (cracks, conversions) */
  photonInefficiency: number;
}

export function defaultDetector(): DetectorConfig {
  return {
    herEnergy: 7.0,
    lerEnergy: 4.0,
    herSpread: 5.5e-4,
    lerSpread: 7.0e-4,
    ptResolutionSlope: 0.0012,
    ptResolutionConstant: 0.0025,
    angleResolution: 0.001,
    angleMultipleScattering: 0.001,
    muonThetaMin: 17 * DEG,
    muonThetaMax: 150 * DEG,
    muonPtMin: 0.3,
    trackPtMin: 0.1,
    recoilThetaMin: 32.2 * DEG,
    recoilThetaMax: 128.7 * DEG,
    recoilMomentumMin: 0.2,
    eclThetaMin: 12.4 * DEG,
    eclThetaMax: 155.1 * DEG,
    eclEnergyMin: 0.1,
    photonInefficiency: 1e-3,
  };
}

/** The nominal beams (total four-momentum in the lab, CM boost) and the cuts as cosines. */
export interface NominalBeams {
  energy: number;
  pz: number;
  sqrtS: number;
  beta: number;
  gamma: number;
  /** muon acceptance: cos θ_max ≤ cos θ ≤ cos θ_min, and the same widened by 50 mrad */
  cosMuonLo: number;
  cosMuonHi: number;
  cosMuonLoLoose: number;
  cosMuonHiLoose: number;
  cosRecoilLo: number;
  cosRecoilHi: number;
}

export function nominalBeams(det: DetectorConfig): NominalBeams {
  const p1 = Math.sqrt(det.herEnergy ** 2 - ELECTRON_MASS ** 2);
  const p2 = Math.sqrt(det.lerEnergy ** 2 - ELECTRON_MASS ** 2);
  const energy = det.herEnergy + det.lerEnergy;
  const pz = p1 - p2;
  const sqrtS = Math.sqrt(energy * energy - pz * pz);
  const beta = pz / energy;
  return {
    energy, pz, sqrtS, beta, gamma: 1 / Math.sqrt(1 - beta * beta),
    cosMuonLo: Math.cos(det.muonThetaMax),
    cosMuonHi: Math.cos(det.muonThetaMin),
    cosMuonLoLoose: Math.cos(Math.min(Math.PI, det.muonThetaMax + ANGLE_MARGIN)),
    cosMuonHiLoose: Math.cos(Math.max(0, det.muonThetaMin - ANGLE_MARGIN)),
    cosRecoilLo: Math.cos(det.recoilThetaMax),
    cosRecoilHi: Math.cos(det.recoilThetaMin),
  };
}

/**
 * Samples the true beam energies of one collision (Gaussian spreads), writes the initial state
 * into ev[SLOT_INITIAL] (lab) and returns its √s; `boostOut[0]` receives the CM velocity β_z.
 */
export function sampleCollision(rng: SimRng, det: DetectorConfig, ev: Float64Array, boostOut: Float64Array): number {
  const e1 = det.herEnergy * (1 + det.herSpread * rng.normal());
  const e2 = det.lerEnergy * (1 + det.lerSpread * rng.normal());
  // √(E² − m_e²) = E − m²/(2E) − m⁴/(8E³) + O(m⁶/E⁵): the next term is 10⁻²⁵ relative, below rounding
  const m2 = ELECTRON_MASS * ELECTRON_MASS;
  const i1 = 1 / e1, i2 = 1 / e2;
  const pz = e1 - e2 - 0.5 * m2 * (i1 - i2) - 0.125 * m2 * m2 * (i1 * i1 * i1 - i2 * i2 * i2);
  const e = e1 + e2;
  set4(ev, SLOT_INITIAL, e, 0, 0, pz);
  boostOut[0] = pz / e;
  return Math.sqrt(e * e - pz * pz);
}

/** Lab polar angle and p_T of a four-vector: is it a track inside the tracker acceptance? */
export function inTracker(v: Float64Array, o: number, det: DetectorConfig, ptMin: number): boolean {
  const pt = Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
  if (pt <= ptMin) return false;
  const theta = Math.atan2(pt, v[o + 3]);
  return theta >= det.muonThetaMin && theta <= det.muonThetaMax;
}

/** A lab four-vector that would leave energy in the ECL (12.4°–155.1°): a beam lepton not lost. */
export function inCalorimeter(v: Float64Array, o: number, det: DetectorConfig): boolean {
  if (v[o] <= det.eclEnergyMin) return false;
  const theta = Math.atan2(Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]), v[o + 3]);
  return theta >= det.eclThetaMin && theta <= det.eclThetaMax;
}

/**
 * Smears the lab four-vector of a muon at v[o] into out[oo]: p_T, θ and φ independently Gaussian.
 * The direction is turned by (δθ, δφ) along the unit vectors ê_θ, ê_φ (first order in the
 * mrad-size angles, then renormalised) — no trigonometry per event.
 */
export function smearMuon(rng: SimRng, det: DetectorConfig, v: Float64Array, o: number, out: Float64Array, oo: number): void {
  const px = v[o + 1], py = v[o + 2], pz = v[o + 3];
  const pt = Math.sqrt(px * px + py * py);
  const p = Math.sqrt(pt * pt + pz * pz);
  const beta = p / v[o];
  const a = det.ptResolutionSlope * pt, b = det.ptResolutionConstant / beta;
  const sigPt = Math.sqrt(a * a + b * b);
  const ms = det.angleMultipleScattering / (p * beta);
  const sigAngle = Math.sqrt(det.angleResolution * det.angleResolution + ms * ms);
  const dTheta = sigAngle * rng.normal();
  const dPhi = sigAngle * rng.normal();
  const ptS = pt * (1 + sigPt * rng.normal());
  // unit vectors: n̂ = p/|p|, ê_θ = (cosθ cosφ, cosθ sinφ, −sinθ), ê_φ = (−sinφ, cosφ, 0)
  const ip = 1 / p, ipt = 1 / pt;
  const cosT = pz * ip, sinT = pt * ip, cosP = px * ipt, sinP = py * ipt;
  const nx = sinT * cosP + dTheta * cosT * cosP - dPhi * sinP;
  const ny = sinT * sinP + dTheta * cosT * sinP + dPhi * cosP;
  const nz = cosT - dTheta * sinT;
  // scale so that the transverse momentum is the smeared one
  const k = ptS / Math.sqrt(nx * nx + ny * ny);
  const pxS = k * nx, pyS = k * ny, pzS = k * nz;
  set4(out, oo, Math.sqrt(pxS * pxS + pyS * pyS + pzS * pzS + MUON_MASS * MUON_MASS), pxS, pyS, pzS);
}

/** Truth-level pre-check: a muon far outside the acceptance (by ≫ the resolution) cannot pass. */
function hopeless(v: Float64Array, o: number, det: DetectorConfig, beams: NominalBeams): boolean {
  const pt = Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
  if (pt < 0.8 * det.muonPtMin) return true;
  const cosT = v[o + 3] / Math.sqrt(pt * pt + v[o + 3] * v[o + 3]);
  return cosT > beams.cosMuonHiLoose || cosT < beams.cosMuonLoLoose;
}

/**
 * `hopeless` for a muon at v[o] still in the CM frame of the collision whose lab initial state is
 * v[SLOT_INITIAL] (E, 0, 0, p_z) and whose √s is sqrtS: boosted along z with exactly the arithmetic
 * of process.ts (β = p_z/E, γ = E/√s, boostZ), so it rejects precisely what reconstruct() would —
 * a generator can stop an event as soon as one muon is made.
 */
export function hopelessCm(v: Float64Array, o: number, sqrtS: number, det: DetectorConfig, beams: NominalBeams): boolean {
  const px = v[o + 1], py = v[o + 2];
  const pt = Math.sqrt(px * px + py * py);
  if (pt < 0.8 * det.muonPtMin) return true;
  const e0 = v[SLOT_INITIAL];
  const beta = v[SLOT_INITIAL + 3] / e0;
  const gamma = e0 / sqrtS;
  const pz = gamma * (v[o + 3] + beta * v[o]);
  const cosT = pz / Math.sqrt(pt * pt + pz * pz);
  return cosT > beams.cosMuonHiLoose || cosT < beams.cosMuonLoLoose;
}

/** The smeared muon at v[o] is in the acceptance. */
function accepted(v: Float64Array, o: number, det: DetectorConfig, beams: NominalBeams): boolean {
  const pt = Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
  if (pt <= det.muonPtMin) return false;
  const cosT = v[o + 3] / Math.sqrt(pt * pt + v[o + 3] * v[o + 3]);
  return cosT <= beams.cosMuonHi && cosT >= beams.cosMuonLo;
}

/** What an analysis computes from one event's two smeared muons. */
export const RECO_MU_PLUS = 0; // lab four-vector
export const RECO_MU_MINUS = 4; // lab four-vector
export const RECO_RECOIL_MASS2 = 8;
export const RECO_PT_THRUST = 9;
export const RECO_PT_REL = 10;
export const RECO_PL_REL = 11;
export const RECO_PT_DIMUON = 12;
export const RECO_LENGTH = 13;

/**
 * Smears the muons of a truth event, applies acceptance and preselection and fills `reco`;
 * false if the event fails. Recoil: M² = (p_beams − p_μ⁺ − p_μ⁻)² with the nominal beams.
 */
export function reconstruct(rng: SimRng, det: DetectorConfig, beams: NominalBeams, ev: Float64Array, reco: Float64Array): boolean {
  if (hopeless(ev, SLOT_MU_PLUS, det, beams) || hopeless(ev, SLOT_MU_MINUS, det, beams)) return false;
  // μ⁺ is judged before μ⁻ is smeared (μ⁻'s draws are independent of it: same events pass)
  smearMuon(rng, det, ev, SLOT_MU_PLUS, reco, RECO_MU_PLUS);
  if (!accepted(reco, RECO_MU_PLUS, det, beams)) return false;
  smearMuon(rng, det, ev, SLOT_MU_MINUS, reco, RECO_MU_MINUS);
  if (!accepted(reco, RECO_MU_MINUS, det, beams)) return false;
  // recoil in the lab
  const re = beams.energy - reco[0] - reco[4];
  const rx = -reco[1] - reco[5];
  const ry = -reco[2] - reco[6];
  const rz = beams.pz - reco[3] - reco[7];
  const cosRecoil = rz / Math.sqrt(rx * rx + ry * ry + rz * rz);
  if (!(cosRecoil >= beams.cosRecoilLo && cosRecoil <= beams.cosRecoilHi)) return false;
  reco[RECO_RECOIL_MASS2] = re * re - rx * rx - ry * ry - rz * rz;
  // muons in the nominal CM frame (boost by −β along z)
  const b = beams.beta, g = beams.gamma;
  const ax = reco[1], ay = reco[2], az = g * (reco[3] - b * reco[0]), ae = g * (reco[0] - b * reco[3]);
  const bx = reco[5], by = reco[6], bz = g * (reco[7] - b * reco[4]), be = g * (reco[4] - b * reco[7]);
  const sx = ax + bx, sy = ay + by, sz = az + bz;
  const sNorm = Math.sqrt(sx * sx + sy * sy + sz * sz);
  if (sNorm < det.recoilMomentumMin) return false;
  // thrust axis of two particles: along a − b (back-to-back-like) or a + b, whichever is longer;
  // both muons then have the same p_T about it: |(a ± b) × n̂| / 2
  const dx = ax - bx, dy = ay - by, dz = az - bz;
  const dNorm = Math.sqrt(dx * dx + dy * dy + dz * dz);
  reco[RECO_PT_THRUST] = dNorm >= sNorm ? crossNorm(sx, sy, sz, dx / dNorm, dy / dNorm, dz / dNorm) / 2 : crossNorm(dx, dy, dz, sx / sNorm, sy / sNorm, sz / sNorm) / 2;
  // the more energetic muon relative to the direction of the less energetic one
  let hx = ax, hy = ay, hz = az, lx = bx, ly = by, lz = bz;
  if (be > ae) {
    hx = bx; hy = by; hz = bz; lx = ax; ly = ay; lz = az;
  }
  const lNorm = Math.sqrt(lx * lx + ly * ly + lz * lz);
  reco[RECO_PL_REL] = (hx * lx + hy * ly + hz * lz) / lNorm;
  reco[RECO_PT_REL] = crossNorm(hx, hy, hz, lx / lNorm, ly / lNorm, lz / lNorm);
  reco[RECO_PT_DIMUON] = Math.sqrt(sx * sx + sy * sy);
  return true;
}

function crossNorm(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.sqrt(cx * cx + cy * cy + cz * cz);
}
