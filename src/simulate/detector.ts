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
 * - ECL: forward endcap 12.4°–31.4°, barrel 32.2°–128.7°, backward endcap 130.7°–155.1° (Belle II
 *   TDR, arXiv:1011.0352, §9; Kou et al. §3.4). A photon in the barrel or an endcap is missed with
 *   probability photonInefficiency (10⁻³); one that enters a barrel–endcap gap (31.4°–32.2°,
 *   128.7°–130.7°) with gapPhotonInefficiency (default 1: the upper bound, the gap taken as blind).
 *   The recoil cut on the barrel (32.2°–128.7°) is there to keep such photons out
 *   (PRL 124 (2020) 141801); only the smearing of the recoil direction lets some in
 *   (docs/low-mass-check.md).
 */
import { NORMAL_MAX, type SimRng } from './random.js';
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
  /**
   * the gaps between the ECL barrel and its endcaps (lab polar angle, rad): forward endcap ends at
   * eclGapForward[0], barrel starts at eclGapForward[1]; barrel ends at eclGapBackward[0], backward
   * endcap starts at eclGapBackward[1]
   */
  eclGapForward: readonly [number, number];
  eclGapBackward: readonly [number, number];
  /** probability that a photon entering a barrel–endcap gap is not seen (instead of photonInefficiency) */
  gapPhotonInefficiency: number;
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
    eclGapForward: [31.4 * DEG, 32.2 * DEG],
    eclGapBackward: [128.7 * DEG, 130.7 * DEG],
    gapPhotonInefficiency: 1,
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
  /** cos and sin of the muon acceptance and recoil polar-angle limits (early checks) */
  cosMuonMin: number;
  sinMuonMin: number;
  cosMuonMax: number;
  sinMuonMax: number;
  cosRecoilMin: number;
  sinRecoilMin: number;
  cosRecoilMax: number;
  sinRecoilMax: number;
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
    cosMuonMin: Math.cos(det.muonThetaMin),
    sinMuonMin: Math.sin(det.muonThetaMin),
    cosMuonMax: Math.cos(det.muonThetaMax),
    sinMuonMax: Math.sin(det.muonThetaMax),
    cosRecoilMin: Math.cos(det.recoilThetaMin),
    sinRecoilMin: Math.sin(det.recoilThetaMin),
    cosRecoilMax: Math.cos(det.recoilThetaMax),
    sinRecoilMax: Math.sin(det.recoilThetaMax),
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
  smearMuonPt(rng, det, v, o, out, oo, pt, Math.sqrt(pt * pt + pz * pz));
}

/** smearMuon with the true p_T and p already known (same arithmetic, same result). */
function smearMuonPt(rng: SimRng, det: DetectorConfig, v: Float64Array, o: number, out: Float64Array, oo: number, pt: number, p: number): void {
  const px = v[o + 1], py = v[o + 2], pz = v[o + 3];
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

/**
 * Truth-level pre-check (reconstruct's first step): a muon far outside the acceptance (p_T below
 * 0.8·p_T,min or 50 mrad beyond the polar-angle limits, ≫ the resolution) cannot pass.
 * `hopelessCm` does it for a muon at v[o] still in the CM frame of the collision whose lab initial state is
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

const ptP = new Float64Array(4);

/**
 * Truth-level pre-check of the muon at v[o] (lab frame): false if it is far outside the acceptance
 * (p_T below 0.8·p_T,min or 50 mrad beyond the polar-angle limits); else its p_T and p in out[k], out[k+1].
 */
function truthPasses(v: Float64Array, o: number, det: DetectorConfig, beams: NominalBeams, out: Float64Array, k: number): boolean {
  const px = v[o + 1], py = v[o + 2], pz = v[o + 3];
  const pt = Math.sqrt(px * px + py * py);
  if (pt < 0.8 * det.muonPtMin) return false;
  const p = Math.sqrt(pt * pt + pz * pz);
  const cosT = pz / p;
  if (cosT > beams.cosMuonHiLoose || cosT < beams.cosMuonLoLoose) return false;
  out[k] = pt;
  out[k + 1] = p;
  return true;
}

/**
 * Smears the muons of a truth event, applies acceptance and preselection and fills `reco`;
 * false if the event fails. Recoil: M² = (p_beams − p_μ⁺ − p_μ⁻)² with the nominal beams.
 */
export function reconstruct(rng: SimRng, det: DetectorConfig, beams: NominalBeams, ev: Float64Array, reco: Float64Array): boolean {
  // the truth pre-check (see hopelessCm) for both muons: p_T and p are reused by the early check and the smearing
  if (!truthPasses(ev, SLOT_MU_PLUS, det, beams, ptP, 0) || !truthPasses(ev, SLOT_MU_MINUS, det, beams, ptP, 2)) return false;
  const aPt = ptP[0], aP = ptP[1], bPt = ptP[2], bP = ptP[3];
  if (surelyFailsRecoil(det, beams, ev, aPt, aP, bPt, bP)) {
    // the full path would draw 3 normals per muon (μ⁺ surely accepted): draw them, keep the stream
    for (let k = 0; k < 6; k++) rng.normal();
    return false;
  }
  // μ⁺ is judged before μ⁻ is smeared (μ⁻'s draws are independent of it: same events pass)
  smearMuonPt(rng, det, ev, SLOT_MU_PLUS, reco, RECO_MU_PLUS, aPt, aP);
  if (!accepted(reco, RECO_MU_PLUS, det, beams)) return false;
  smearMuonPt(rng, det, ev, SLOT_MU_MINUS, reco, RECO_MU_MINUS, bPt, bP);
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

/**
 * Upper bound on |p_smeared − p_true| for a muon (smearMuon with every normal at most NORMAL_MAX
 * = Z in size); 0 when no bound is available (then no early decision). With s = sin θ = p_T/p,
 * U = Z·σ(p_T)/p_T and ε = |(δθ, δφ)| ≤ √2·Z·σ_angle: the smeared direction n = n̂ + δθ ê_θ + δφ ê_φ
 * has |n − n̂| ≤ ε, so |n_T| ≥ s − ε; p_S = (p_T,S/|n_T|)·n and p = (p_T/s)·n̂ give
 *   |p_S − p| ≤ p_T(1+U)·ε/(s−ε) + p·(U s + ε)/(s−ε) = (p_T·((1+U)ε + U) + p·ε)/(s − ε).
 * σ's are bounded by a ⊕ b ≤ a + b (no square roots). Also writes in `epsOut[0]` the bound ε on
 * the angle between the smeared and the true direction (atan ε ≤ ε).
 */
function smearBound(det: DetectorConfig, e: number, pt: number, p: number, epsOut: Float64Array): number {
  const z = NORMAL_MAX * (1 + 1e-9);
  const ip = 1 / p;
  const u = z * (det.ptResolutionSlope * pt + det.ptResolutionConstant * e * ip);
  const eps = Math.SQRT2 * z * (det.angleResolution + det.angleMultipleScattering * e * ip * ip);
  epsOut[0] = eps;
  const s = pt * ip;
  if (!(s > 2 * eps) || !(u < 0.5)) return 0;
  return (pt * ((1 + u) * eps + u) + p * eps) / (s - eps);
}

const epsScratch = new Float64Array(1);

/**
 * Exact early rejection on the true muons: true only if the event certainly fails after smearing,
 * and μ⁺ is certainly accepted (so the full path would draw exactly six normals).
 * Recoil r = p_beams − p_μ⁺ − p_μ⁻ with the nominal beams, as in reconstruct; smearing moves it by
 * at most D = D⁺ + D⁻ (smearBound). A ball of radius D around r lies inside the forward cone
 * θ < θ_min if the distance to the cone's surface, |r|·sin(θ_min − θ) = r_z sin θ_min − r_T cos θ_min,
 * exceeds D; likewise θ > θ_max if r_T cos θ_max… i.e. |r|·sin(θ − θ_max) = r_T cos θ_max − r_z sin θ_max
 * > D (beyond 90° off the surface the true distance is |r| ≥ that, so the test stays conservative).
 * μ⁺ accepted for sure: p_T(1 − U) > p_T,min and its direction ≥ ε inside the polar-angle limits
 * (|p|·sin of the angle to each limit > ε·|p|). Margins: 10⁻⁹ relative plus 10⁻⁹ GeV for rounding.
 */
function surelyFailsRecoil(det: DetectorConfig, beams: NominalBeams, ev: Float64Array, aPt: number, aP: number, bPt: number, bP: number): boolean {
  const rx = -ev[SLOT_MU_PLUS + 1] - ev[SLOT_MU_MINUS + 1];
  const ry = -ev[SLOT_MU_PLUS + 2] - ev[SLOT_MU_MINUS + 2];
  const rz = beams.pz - ev[SLOT_MU_PLUS + 3] - ev[SLOT_MU_MINUS + 3];
  const rt = Math.sqrt(rx * rx + ry * ry);
  // distance of r from the barrel: positive only outside it
  const dFwd = rz * beams.sinRecoilMin - rt * beams.cosRecoilMin;
  const dBwd = rt * beams.cosRecoilMax - rz * beams.sinRecoilMax;
  const dist = dFwd > dBwd ? dFwd : dBwd;
  if (!(dist > 0)) return false;
  const dA = smearBound(det, ev[SLOT_MU_PLUS], aPt, aP, epsScratch);
  if (dA === 0) return false;
  const epsA = epsScratch[0];
  const dB = smearBound(det, ev[SLOT_MU_MINUS], bPt, bP, epsScratch);
  if (dB === 0) return false;
  if (!(dist > (dA + dB) * (1 + 1e-9) + 1e-9)) return false;
  // μ⁺ surely accepted (else the full path stops after 3 draws)
  const uA = NORMAL_MAX * (1 + 1e-9) * (det.ptResolutionSlope * aPt + det.ptResolutionConstant * ev[SLOT_MU_PLUS] / aP);
  if (!(aPt * (1 - uA) > det.muonPtMin * (1 + 1e-9) + 1e-9)) return false;
  const az = ev[SLOT_MU_PLUS + 3];
  const margin = (epsA * (1 + 1e-9) + 1e-9) * aP;
  return aPt * beams.cosMuonMin - az * beams.sinMuonMin > margin && az * beams.sinMuonMax - aPt * beams.cosMuonMax > margin;
}

function crossNorm(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const cx = ay * bz - az * by;
  const cy = az * bx - ax * bz;
  const cz = ax * by - ay * bx;
  return Math.sqrt(cx * cx + cy * cy + cz * cz);
}
