/**
 * γ → μ⁺μ⁻ on a nucleus (Bethe–Heitler muon-pair production) after H. Burkhardt, S. R. Kelner and
 * R. P. Kokoulin, "Monte Carlo generator for muon pair production", CERN-SL-2002-016 (AP) (2002),
 * the model of Geant4's G4GammaConversionToMuons (Geant4 Physics Reference Manual, "Gamma
 * conversion into a muon pair"). Our own implementation of the paper's formulas:
 *
 * - energy sharing x = E₊/E_γ on [x_min, 1 − x_min], x_min = ½ − √(¼ − m_μ/E_γ) (paper eq. 6):
 *     dσ/dx = 4αZ²r_c² (1 − (4/3)x(1 − x)) ln W,
 *     W = W_∞ (1 + (D_n√e − 2) δ/m_μ)/(1 + B Z^{−1/3} √e δ/m_e),  δ = m_μ²/(2E_γ x(1 − x)),
 *     W_∞ = B Z^{−1/3} m_μ/(D_n m_e),  B = 183,  D_n = 1.54 A^0.27,  r_c = r_e m_e/m_μ;
 * - the angles through t ∈ (0, 1), ψ ∈ [0, 2π), ρ ≥ 0 (paper §3): t with density
 *     f₁(t) ∝ (1 − 2x₊x₋ + 4x₊x₋ t(1 − t))/(1 + C₁/t²)²,  C₁ = (0.2 A^0.27 m_μ/(2E_γ x₊x₋))²,
 *   ψ with f₂(ψ | t) ∝ 1 − 2x₊x₋ + 4x₊x₋ t(1 − t)(1 + cos 2ψ), and y = ρ⁴ with density ∝ 1/(C₂ + y) on
 *   [0, ρ_max⁴], C₂ = (4/√(x₊x₋)) ((m_μ/(2E_γ x₊x₋ t))² + (m_e/(183 Z^{−1/3} m_μ))²)²,
 *   ρ_max = 1.9 A^−0.27 (1/t − 1); then with u = √(1/t − 1):
 *     θ₊ = m_μ(u + ½ρ cos ψ)/(E_γ x₊),  θ₋ = m_μ(u − ½ρ cos ψ)/(E_γ x₋),  φ₊ − φ₋ = π + ρ sin ψ/u;
 * - the total cross-section per atom: Burkhardt's parametrisation (paper eq. 13 / the reference
 *   manual), σ = (7/9)·4αZ²r_c² ln(1 + W_M C_f E_g), exact at threshold and at high energy.
 * The muons are built on shell with these energies and angles; the nucleus takes the small
 * three-momentum imbalance (four-momentum of γ + nucleus → μ⁺μ⁻ + nucleus: the muon pair does not
 * conserve it alone at the ≲ m_μ²/E level, as in the paper).
 */
import type { SimRng } from '../random.js';
import { ELECTRON_MASS, MUON_MASS } from '../kinematics.js';

const SQRT_E = Math.sqrt(Math.E);
/** classical electron radius [cm] (CODATA 2018) and its muon-mass scaled form r_c = r_e m_e/m_μ */
const R_E_CM = 2.8179403262e-13;
const R_C_CM = (R_E_CM * ELECTRON_MASS) / MUON_MASS;
const ALPHA = 1 / 137.035999;
/** Burkhardt's saturation exponent of the total cross-section parametrisation */
const POW_SAT = -0.88;

/** A material element for the conversion model. */
export interface Element {
  Z: number;
  /** atomic mass [g/mol] */
  A: number;
}

/** Energy-sharing and angular constants of an element (computed once per element). */
export interface BheConstants {
  Z: number;
  zThird: number;
  a27: number;
  dn: number;
  wInf: number;
  sBZ: number;
  c2Term2: number;
}

export function betheHeitlerConstants(el: Element): BheConstants {
  const hydrogen = el.Z === 1;
  const B = hydrogen ? 202.4 : 183;
  const a27 = el.A ** 0.27;
  const dn = hydrogen ? 1.49 : 1.54 * a27;
  const zThird = el.Z ** (-1 / 3);
  return {
    Z: el.Z, zThird, a27, dn, wInf: (B * zThird * MUON_MASS) / (dn * ELECTRON_MASS),
    sBZ: (SQRT_E * B * zThird) / ELECTRON_MASS, c2Term2: ELECTRON_MASS / (183 * zThird * MUON_MASS),
  };
}

/** Lowest photon energy that can make a muon pair on a (heavy) nucleus [GeV] */
export const MU_PAIR_THRESHOLD = 4 * MUON_MASS;

/** dσ/dx (unnormalised: without 4αZ²r_c²) at photon energy e [GeV]; 0 outside the allowed range */
export function muPairDsigmaDx(c: BheConstants, e: number, x: number): number {
  const xpm = x * (1 - x);
  if (!(xpm > MUON_MASS / e)) return 0;
  const del = (MUON_MASS * MUON_MASS) / (2 * e * xpm);
  const W = (c.wInf * (1 + ((c.dn * SQRT_E - 2) * del) / MUON_MASS)) / (1 + c.sBZ * del);
  return W > 1 ? (1 - (4 / 3) * xpm) * Math.log(W) : 0;
}

/** Total σ(γ Z → μ⁺μ⁻ Z) per atom [cm²] at photon energy e [GeV] (Burkhardt's parametrisation) */
export function muPairCrossSection(el: Element, e: number): number {
  if (e <= MU_PAIR_THRESHOLD) return 0;
  const c = betheHeitlerConstants(el);
  const B = el.Z === 1 ? 202.4 : 183;
  const wMedAppr = 1 / (4 * c.dn * SQRT_E * MUON_MASS);
  const wSatur = c.wInf / wMedAppr;
  const powThres = 1.479 + 0.00799 * c.dn;
  const eCor = -18 + 4347 / (B * c.zThird); // [GeV]
  const corFuc = 1 + 0.04 * Math.log(1 + eCor / e);
  const eg = (1 - MU_PAIR_THRESHOLD / e) ** powThres * (wSatur ** POW_SAT + e ** POW_SAT) ** (1 / POW_SAT);
  return (7 / 9) * 4 * ALPHA * el.Z * el.Z * R_C_CM * R_C_CM * Math.log(1 + wMedAppr * corFuc * eg);
}

/** One sampled conversion: x = E₊/E_γ and the polar angles of μ⁺, μ⁻ to the photon and their azimuth difference. */
export interface MuPairDraw {
  x: number;
  thetaPlus: number;
  thetaMinus: number;
  /** φ₊ − φ₋ − π (0 = coplanar with the photon, back to back in azimuth) */
  phiHalf2: number;
}

/** Samples the energy sharing and the angles (file header) for photon energy e > MU_PAIR_THRESHOLD. */
export function sampleMuPair(rng: SimRng, c: BheConstants, e: number, out: MuPairDraw): void {
  const inv = MUON_MASS / e;
  const sq = Math.sqrt(0.25 - inv);
  const xMin = 0.5 - sq, xMax = 0.5 + sq;
  const logWmaxInv = 1 / Math.log((c.wInf * (1 + 2 * (c.dn * SQRT_E - 2) * inv)) / (1 + 2 * c.sBZ * MUON_MASS * inv));
  let x: number;
  // x by rejection against the bound ln W ≤ ln W(x = ½) (W grows with x(1 − x)), 1 − (4/3)x(1−x) ≤ 1
  for (;;) {
    x = xMin + (xMax - xMin) * rng.u01();
    if (rng.u01() <= muPairDsigmaDx(c, e, x) * logWmaxInv) break;
  }
  const xpm = x * (1 - x);
  for (;;) {
    const c1s = (0.2 * c.a27 * inv) / (2 * xpm);
    const c1 = c1s * c1s;
    const f1Max = (1 - xpm) / ((1 + c1) * (1 + c1));
    let t: number;
    for (;;) {
      t = rng.u01();
      const den = 1 + c1 / (t * t);
      if (rng.u01() * f1Max <= (1 - 2 * xpm + 4 * xpm * t * (1 - t)) / (den * den)) break;
    }
    const f2Max = 1 - 2 * xpm * (1 - 4 * t * (1 - t));
    let psi: number;
    for (;;) {
      psi = 2 * Math.PI * rng.u01();
      if (rng.u01() * f2Max <= 1 - 2 * xpm + 4 * xpm * t * (1 - t) * (1 + Math.cos(2 * psi))) break;
    }
    const c2t1 = inv / (2 * xpm * t);
    const c2 = (4 / Math.sqrt(xpm)) * (c2t1 * c2t1 + c.c2Term2 * c.c2Term2) ** 2;
    const rhoMax = (1.9 / c.a27) * (1 / t - 1);
    // ρ_max⁴ as (ρ_max²)² and the fourth root as √√: exact IEEE operations, so both engines give the same
    // numbers without pow (≈ 25 ns a call, two per converted photon)
    const rhoMax2 = rhoMax * rhoMax;
    const beta = Math.log((c2 + rhoMax2 * rhoMax2) / c2);
    const rho = Math.sqrt(Math.sqrt(c2 * (Math.exp(beta * rng.u01()) - 1)));
    const u = Math.sqrt(1 / t - 1);
    const xiHalf = 0.5 * rho * Math.cos(psi);
    const thetaPlus = (inv * (u + xiHalf)) / x;
    const thetaMinus = (inv * (u - xiHalf)) / (1 - x);
    if (Math.abs(thetaPlus) > Math.PI || Math.abs(thetaMinus) > Math.PI) continue;
    out.x = x;
    out.thetaPlus = thetaPlus;
    out.thetaMinus = thetaMinus;
    out.phiHalf2 = (rho / u) * Math.sin(psi);
    return;
  }
}
