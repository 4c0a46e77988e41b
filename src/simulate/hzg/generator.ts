/**
 * Truth-level generators of pp → ℓ⁺ℓ⁻γ at √s = 13 TeV: the signal gg → H → Zγ and the
 * background qq̄ → Zγ with the photon from the initial state (ISR) or from a lepton (FSR).
 * Every approximation is listed in docs/hzg-simulation.md; the short form:
 *
 * - Signal: m_H = 125 GeV (Γ_H = 4.1 MeV ≪ resolution: not drawn). m_ℓℓ from the Z Breit–Wigner
 *   times the H → Z*γ phase-space factor (1 − m_ℓℓ²/m_H²)³ (the width ∝ (1 − m_Z²/m_H²)³,
 *   Djouadi, Phys. Rept. 457 (2008) 1, eq. 2.27). Spin 0: the Z direction is isotropic (cos Θ flat),
 *   the Z is transverse (helicity ±1, equal for a CP-even scalar), so the lepton in the Z frame
 *   goes as 1 + cos²θ and φ is flat (Gainer et al., arXiv:1108.2274, eq. 6 / the study's llg_angles
 *   note).
 * - ISR background: the fully differential LO qq̄ → Zγ → ℓℓγ angular distribution 𝒢₁ of Gainer et
 *   al. (as written out in jaebak/llg_angles, the study author's derivation), with the parity-odd
 *   𝒢₂ term (∝ (g_R² − g_L²) of leptons and quarks, ≈ 10 % of 𝒢₁) dropped: a charge-odd asymmetry
 *   in cos θ, cos Θ that no feature used here is sensitive to once both signs are averaged.
 *   m_ℓℓ from the Z Breit–Wigner (the propagator that carries m_ℓℓ in ISR).
 * - FSR background: Z* → ℓℓ with the lepton direction 1 + cos²θ, then a photon off a lepton in the
 *   soft/collinear (eikonal) limit: dP ∝ dE_γ/E_γ · dcos α/(1 − cos²α), α the photon–lepton angle
 *   in the ℓℓ frame (Berends & Kleiss, Nucl. Phys. B177 (1981) 237, the FSR eikonal factor).
 * - m_ℓℓγ (= √ŝ) before selection: a power law ∝ m^−n (parton luminosity × σ̂; n in HzgPhysics);
 *   the selection's p_T^γ/m_ℓℓγ and m_ℓℓγ + m_ℓℓ cuts make the turn-on near 110 GeV.
 * - The ℓℓγ system: transverse momentum p_T with dσ/dp_T ∝ p_T/(p_T² + a²)^b, rapidity Gaussian,
 *   the rest-frame z axis taken along the lab beam axis (ignores the O(p_T/m) tilt of the
 *   Collins–Soper axis).
 *
 * Layout of a truth event: three massless four-vectors (leptons' masses ≪ the p_T thresholds),
 * ℓ⁻ at 0, ℓ⁺ at 4, γ at 8 (E, px, py, pz), lab frame.
 */
import type { SimRng } from '../random.js';
import { boost } from '../kinematics.js';

export const SLOT_LMINUS = 0;
export const SLOT_LPLUS = 4;
export const SLOT_PHOTON = 8;
export const HZG_TRUTH_LENGTH = 12;

/** PDG 2024 (Navas et al., Phys. Rev. D 110 (2024) 030001) */
export const Z_MASS = 91.1876;
export const Z_WIDTH = 2.4955;
export const HIGGS_MASS = 125;

export interface SystemShape {
  /** dσ/dp_T ∝ p_T/(p_T² + a²)^b: a [GeV] */
  ptScale: number;
  ptPower: number;
  /** rapidity: Gaussian of this width, |y| < 4 */
  rapidityWidth: number;
  /** ptScale is a fraction of m_ℓℓγ */
  scalesWithMass?: boolean;
}

/**
 * ggF Higgs: peak of the p_T spectrum a/√(2b − 1) = 15 GeV, median 0.77 a ≈ 23 GeV, tail ∝ p_T⁻⁴
 * — the shape of the N3LO+N3LL ggF spectrum at 13 TeV (LHC Higgs XS WG, CERN-2017-002 (YR4),
 * fig. I.4.x: peak 10–15 GeV, ⟨p_T⟩ ≈ 30 GeV); y: dσ/dy of ggF is broad, ≈ flat to |y| ≈ 2.
 */
export const GGF_SHAPE: SystemShape = { ptScale: 30, ptPower: 2.5, rapidityWidth: 2.0 };
/**
 * qq̄ → Zγ recoils against softer (quark) ISR: at m_ℓℓγ = 125 GeV peak 10 GeV, median ≈ 15 GeV;
 * the scale a grows with the hard scale, a = 0.16 m_ℓℓγ (ptScale is per GeV of m_ℓℓγ here), so
 * p_T^ℓℓγ/m_ℓℓγ of the background does not depend on m_ℓℓγ (the study counts it among the
 * mass-uncorrelated features).
 */
export const QQ_SHAPE: SystemShape = { ptScale: 0.16, ptPower: 2.5, rapidityWidth: 2.2, scalesWithMass: true };

/** m_ℓℓγ range generated for the background [GeV]: the window 100–180 with room for smearing */
export const GEN_MASS_MIN = 95;
export const GEN_MASS_MAX = 190;
/** m_ℓℓ > 50 GeV is a selection cut: nothing below it is generated */
export const GEN_LL_MIN = 50;
/** the selection needs p_T^γ/m_ℓℓγ > 0.136: photons below 0.1 √ŝ in the ℓℓγ frame are not generated */
const GEN_PHOTON_FRACTION_MIN = 0.1;
/** 𝒢₁ ∝ 1/sin²Θ: |cos Θ| < 0.99 generated (such a photon has p_T/m < 0.071 at rest: fails 0.136) */
export const COS_THETA_MAX = 0.99;
/** FSR eikonal 1/(1 − cos²α): |cos α| < 0.995 (α < 5.7°, fails ΔR(ℓ,γ) > 0.4 unless the Z is slow) */
const COS_ALPHA_MAX = 0.995;

/** Breit–Wigner in s = m² (Z propagator |1/(s − M² + iMΓ)|²) on [sLo, sHi], by inverse CDF. */
export function breitWignerS(rng: SimRng, sLo: number, sHi: number, M = Z_MASS, G = Z_WIDTH): number {
  const mg = M * G;
  const a = Math.atan((sLo - M * M) / mg);
  const b = Math.atan((sHi - M * M) / mg);
  return M * M + mg * Math.tan(a + (b - a) * rng.u01());
}

/** density ∝ m^−n on [lo, hi] (n ≠ 1), inverse CDF */
export function powerLaw(rng: SimRng, lo: number, hi: number, n: number): number {
  const k = 1 - n;
  const a = lo ** k, b = hi ** k;
  return (a + (b - a) * rng.u01()) ** (1 / k);
}

/** density ∝ 1/(1 − c²) on |c| < cMax: c = tanh(u), u uniform in ±atanh(cMax) */
function cosSingular(rng: SimRng, cMax: number): number {
  const h = Math.atanh(cMax);
  return Math.tanh(h * (2 * rng.u01() - 1));
}

/** 1 + cos²θ by accept–reject on a flat proposal (efficiency 2/3) */
function cosOnePlusCos2(rng: SimRng): number {
  for (;;) {
    const c = 2 * rng.u01() - 1;
    if (2 * rng.u01() < 1 + c * c) return c;
  }
}

/**
 * The Zγ angular density 𝒢₁(ŝ, m_ℓℓ; Θ, θ, φ) of Gainer et al. (arXiv:1108.2274) for qq̄ → Zγ →
 * ℓℓγ (symmetric coupling part): Θ the Z direction to the quark in the ℓℓγ frame, θ the ℓ⁻ in the
 * Z frame to the Z flight direction, φ between the production and decay planes.
 */
export function zgammaAngularDensity(sHat: number, mll: number, cosTheta: number, cosLepton: number, phi: number): number {
  const m2 = mll * mll, rs = Math.sqrt(sHat);
  const sin2Theta = 1 - cosTheta * cosTheta;
  const sinl2 = 1 - cosLepton * cosLepton;
  const cos2l = 2 * cosLepton * cosLepton - 1;
  const sin2l = 2 * Math.sqrt(sinl2) * cosLepton;
  const cot = cosTheta / Math.sqrt(sin2Theta);
  return (m2 * m2 + sHat * sHat) * (3 + cos2l) * (4 / sin2Theta - 2)
    + 8 * m2 * sHat * sinl2 * (2 + Math.cos(2 * phi))
    + 8 * mll * rs * (m2 + sHat) * cot * sin2l * Math.cos(phi);
}

/** The decay angles drawn for one event, in the ℓℓγ rest frame (also returned for tests). */
export interface DecayAngles {
  sHat: number;
  mll: number;
  cosTheta: number;
  cosLepton: number;
  phi: number;
}

/** ŝ, m_ℓℓ and the angles of H → Zγ → ℓℓγ */
export function drawSignalAngles(rng: SimRng, out: DecayAngles): void {
  const mH2 = HIGGS_MASS * HIGGS_MASS;
  const sLo = GEN_LL_MIN * GEN_LL_MIN, sHi = mH2 * 0.96;
  const norm = (1 - sLo / mH2) ** 3;
  let s: number;
  do s = breitWignerS(rng, sLo, sHi); while (rng.u01() * norm >= (1 - s / mH2) ** 3);
  out.sHat = mH2;
  out.mll = Math.sqrt(s);
  out.cosTheta = 2 * rng.u01() - 1;
  out.cosLepton = cosOnePlusCos2(rng);
  out.phi = 2 * Math.PI * rng.u01() - Math.PI;
}

/** ŝ (∝ m^−massPower), m_ℓℓ (Z Breit–Wigner) and the angles (𝒢₁) of ISR qq̄ → Zγ → ℓℓγ */
export function drawIsrAngles(rng: SimRng, massPower: number, out: DecayAngles): void {
  const sHat = powerLaw(rng, GEN_MASS_MIN, GEN_MASS_MAX, massPower) ** 2;
  const sHi = sHat * (1 - 2 * GEN_PHOTON_FRACTION_MIN);
  drawZgammaAnglesAt(rng, sHat, Math.sqrt(breitWignerS(rng, GEN_LL_MIN * GEN_LL_MIN, sHi)), out);
}

/** The angles of qq̄ → Zγ → ℓℓγ at fixed ŝ and m_ℓℓ: 𝒢₁ by accept–reject on a 1/sin²Θ proposal. */
export function drawZgammaAnglesAt(rng: SimRng, sHat: number, mll: number, out: DecayAngles): void {
  const m2 = mll * mll, rs = Math.sqrt(sHat);
  // 𝒢₁·sin²Θ/4 ≤ 4(m⁴ + ŝ²) + 6 m²ŝ + 2 m √ŝ (m² + ŝ) (each term at its maximum)
  const bound = 4 * (m2 * m2 + sHat * sHat) + 6 * m2 * sHat + 2 * mll * rs * (m2 + sHat);
  for (;;) {
    const cT = cosSingular(rng, COS_THETA_MAX);
    const cl = 2 * rng.u01() - 1;
    const phi = 2 * Math.PI * rng.u01() - Math.PI;
    const g = zgammaAngularDensity(sHat, mll, cT, cl, phi) * (1 - cT * cT) / 4;
    if (rng.u01() * bound < g) {
      out.sHat = sHat; out.mll = mll; out.cosTheta = cT; out.cosLepton = cl; out.phi = phi;
      return;
    }
  }
}

/**
 * FSR: the ℓℓγ mass is the Z* virtuality, ∝ m^−n × Breit–Wigner; the photon energy in the ℓℓγ
 * frame E_γ = (ŝ − m_ℓℓ²)/(2√ŝ) drawn as dE/E (m_ℓℓ² from ds/(ŝ − s)); the ℓ⁻ direction in the ℓℓ
 * frame relative to the ℓℓ flight axis (= the photon axis) from the eikonal 1/(1 − cos²α) times
 * the Z* → ℓℓ decay 1 + cos²: approximated by the eikonal alone; cos Θ of the Z*-system axis flat.
 */
export function drawFsrAngles(rng: SimRng, massPower: number, out: DecayAngles): void {
  const M2 = Z_MASS * Z_MASS, MG = Z_MASS * Z_WIDTH;
  const peak = 1 / ((GEN_MASS_MIN ** 2 - M2) ** 2 + MG * MG);
  let sHat: number;
  do sHat = powerLaw(rng, GEN_MASS_MIN, GEN_MASS_MAX, massPower) ** 2;
  while (rng.u01() * peak >= 1 / ((sHat - M2) ** 2 + MG * MG));
  const sLo = GEN_LL_MIN * GEN_LL_MIN, sHi = sHat * (1 - 2 * GEN_PHOTON_FRACTION_MIN);
  // ds/(ŝ − s) on [sLo, sHi]: ŝ − s = (ŝ − sLo)·r^u, r = (ŝ − sHi)/(ŝ − sLo)
  const r = (sHat - sHi) / (sHat - sLo);
  const s = sHat - (sHat - sLo) * r ** rng.u01();
  out.sHat = sHat;
  out.mll = Math.sqrt(s);
  out.cosTheta = 2 * rng.u01() - 1;
  out.cosLepton = cosSingular(rng, COS_ALPHA_MAX);
  out.phi = 2 * Math.PI * rng.u01() - Math.PI;
}

/** p_T from dσ/dp_T ∝ p_T/(p_T² + a²)^b (inverse CDF: 1 − (1 + p_T²/a²)^(1−b)) */
export function systemPt(rng: SimRng, shape: SystemShape, mass: number): number {
  return shape.ptScale * (shape.scalesWithMass ? mass : 1) * Math.sqrt(rng.u01() ** (1 / (1 - shape.ptPower)) - 1);
}

function systemRapidity(rng: SimRng, shape: SystemShape): number {
  let y: number;
  do y = shape.rapidityWidth * rng.normal(); while (Math.abs(y) > 4);
  return y;
}

/**
 * Builds the lab-frame ℓ⁻, ℓ⁺, γ of one event from its angles: the ℓℓγ frame with the quark along
 * +z or −z (the parton with the larger x, more often the valence quark, moves with the system:
 * the quark is taken along sign(y) with probability (1 + tanh|y|)/2), then the boost to the lab
 * with the system's p_T (random azimuth) and rapidity.
 */
export function buildEvent(rng: SimRng, a: DecayAngles, shape: SystemShape, ev: Float64Array): void {
  const rs = Math.sqrt(a.sHat), s = a.mll * a.mll;
  const pz = (a.sHat - s) / (2 * rs); // |p_Z| = E_γ in the ℓℓγ frame
  const eZ = rs - pz;
  const pt = systemPt(rng, shape, rs), y = systemRapidity(rng, shape);
  const quarkSign = (rng.u01() < 0.5 * (1 + Math.tanh(Math.abs(y))) ? 1 : -1) * (y >= 0 ? 1 : -1);
  // Z direction ez (polar Θ to the quark axis, random azimuth), ex in the (quark, Z) plane
  const az = 2 * Math.PI * rng.u01();
  const sT = Math.sqrt(1 - a.cosTheta * a.cosTheta);
  const ezx = sT * Math.cos(az), ezy = sT * Math.sin(az), ezz = a.cosTheta * quarkSign;
  // ex = unit(q̂ − (q̂·ez) ez), q̂ = (0, 0, quarkSign)
  let exx = -a.cosTheta * ezx, exy = -a.cosTheta * ezy, exz = quarkSign - a.cosTheta * ezz;
  const nx = Math.hypot(exx, exy, exz) || 1;
  exx /= nx; exy /= nx; exz /= nx;
  const eyx = ezy * exz - ezz * exy, eyy = ezz * exx - ezx * exz, eyz = ezx * exy - ezy * exx;
  // ℓ⁻ in the Z frame: cos θ to ez, φ from ex towards ey; ℓ⁺ opposite
  const sl = Math.sqrt(1 - a.cosLepton * a.cosLepton), half = a.mll / 2;
  const dx = a.cosLepton * ezx + sl * (Math.cos(a.phi) * exx + Math.sin(a.phi) * eyx);
  const dy = a.cosLepton * ezy + sl * (Math.cos(a.phi) * exy + Math.sin(a.phi) * eyy);
  const dz = a.cosLepton * ezz + sl * (Math.cos(a.phi) * exz + Math.sin(a.phi) * eyz);
  ev[0] = half; ev[1] = half * dx; ev[2] = half * dy; ev[3] = half * dz;
  ev[4] = half; ev[5] = -half * dx; ev[6] = -half * dy; ev[7] = -half * dz;
  const bZ = pz / eZ;
  boost(ev, 0, bZ * ezx, bZ * ezy, bZ * ezz);
  boost(ev, 4, bZ * ezx, bZ * ezy, bZ * ezz);
  ev[8] = pz; ev[9] = -pz * ezx; ev[10] = -pz * ezy; ev[11] = -pz * ezz;
  // to the lab: the system's four-momentum (m_T cosh y, p_T cos ψ, p_T sin ψ, m_T sinh y)
  const psi = 2 * Math.PI * rng.u01();
  const mT = Math.sqrt(a.sHat + pt * pt);
  const E = mT * Math.cosh(y);
  const bx = (pt * Math.cos(psi)) / E, by = (pt * Math.sin(psi)) / E, bz = (mT * Math.sinh(y)) / E;
  for (let o = 0; o < HZG_TRUTH_LENGTH; o += 4) boost(ev, o, bx, by, bz);
}
