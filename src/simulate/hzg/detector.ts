/**
 * An ATLAS/CMS-like detector for ℓℓγ: energy/momentum smearing, acceptance, the study's selection
 * and the 15 features computed from the smeared four-vectors (docs/hzg-simulation.md).
 *
 * Resolutions (Gaussian, directions not smeared — angular resolutions of mrad are negligible here):
 * - electrons and photons (ECAL): σ_E/E = a/√E ⊕ c, barrel |η| < 1.479: a = 3 %, c = 1.0 %;
 *   endcaps: a = 5 %, c = 2.0 % — within the CMS photon resolution of 1.1–2.6 % (barrel) and
 *   2.2–5 % (endcaps) for H → γγ photons (CMS, JINST 10 (2015) P08010) and electrons from Z decays
 *   (CMS, JINST 10 (2015) P06005).
 * - muons (tracker + muon system): σ_pT/pT = c ⊕ b·p_T, c = 1.3 % (|η| < 0.9), 1.8 % (0.9–1.2),
 *   2.5 % (endcaps), b = 10⁻⁴ GeV⁻¹ — CMS: 1.3–2.0 % in the barrel, < 6 % in the endcaps for
 *   p_T < 100 GeV (JINST 7 (2012) P10002).
 * These give an m_ℓℓγ resolution of ≈ 1.3–2.5 GeV at 125 GeV (test/simulate/hzg-physics), as
 * the 1–3 GeV (≈ 1–2.5 %) of the H → Zγ searches (CMS, JHEP 05 (2023) 233; ATLAS, PLB 809 (2020)
 * 135754).
 * Acceptance: |η_e| < 2.5, |η_μ| < 2.4, |η_γ| < 2.5, p_T^γ > 15 GeV (those searches' object
 * selections; the ECAL barrel–endcap gap and identification efficiencies are not modelled).
 */
import type { SimRng } from '../random.js';
import { boost } from '../kinematics.js';
import { SLOT_LMINUS, SLOT_LPLUS, SLOT_PHOTON } from './generator.js';

export const ELECTRON = 1;
export const MUON = 2;

/** The study's selection (arXiv:2401.00428 §IV): thresholds in GeV */
export const HZG_SELECTION = {
  leadingLeptonPt: 25,
  subleadingLeptonPt: 15,
  photonPtOverMass: 15 / 110,
  minDeltaR: 0.4,
  llMassMin: 50,
  llgPlusLlMassMin: 185,
  llgMassMin: 100,
  llgMassMax: 180,
} as const;

/** σ_E/E of an electron or photon */
export function ecalResolution(E: number, eta: number): number {
  const barrel = Math.abs(eta) < 1.479;
  const a = barrel ? 0.03 : 0.05, c = barrel ? 0.01 : 0.02;
  return Math.sqrt((a * a) / E + c * c);
}

/** σ_pT/pT of a muon */
export function muonResolution(pt: number, eta: number): number {
  const ae = Math.abs(eta);
  const c = ae < 0.9 ? 0.013 : ae < 1.2 ? 0.018 : 0.025;
  const b = 1e-4 * pt;
  return Math.sqrt(c * c + b * b);
}

// (Math.sqrt, not Math.hypot: several times faster in V8, and these run per object per event)
const pt = (v: Float64Array, o: number): number => Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
function eta(v: Float64Array, o: number): number {
  const p = Math.sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2] + v[o + 3] * v[o + 3]);
  return 0.5 * Math.log((p + v[o + 3]) / (p - v[o + 3]));
}
function deltaR(v: Float64Array, a: number, etaA: number, b: number, etaB: number): number {
  let dphi = Math.atan2(v[a + 2], v[a + 1]) - Math.atan2(v[b + 2], v[b + 1]);
  if (dphi > Math.PI) dphi -= 2 * Math.PI;
  else if (dphi < -Math.PI) dphi += 2 * Math.PI;
  const deta = etaA - etaB;
  return Math.sqrt(deta * deta + dphi * dphi);
}
/** (p_a + p_b)² of massless four-vectors */
const pairMass2 = (v: Float64Array, a: number, b: number): number =>
  2 * (v[a] * v[b] - v[a + 1] * v[b + 1] - v[a + 2] * v[b + 2] - v[a + 3] * v[b + 3]);

/** the per-event resolution feature evaluates each object's resolution at this energy [GeV] */
const REFERENCE_ENERGY = 40;

/**
 * Smears the truth event in place (each object scaled by 1 + σ·N(0,1): directions, hence η, kept);
 * res[0..2] get the relative resolutions used, res[12..14] those at REFERENCE_ENERGY (for the σ_m
 * feature), res[8..10] the objects' η.
 */
function smear(rng: SimRng, ev: Float64Array, flavour: number, res: Float64Array): void {
  for (let k = 0; k < 3; k++) {
    const o = 4 * k;
    const e = eta(ev, o);
    res[8 + k] = e;
    const ecal = k === 2 || flavour === ELECTRON;
    res[k] = ecal ? ecalResolution(ev[o], e) : muonResolution(pt(ev, o), e);
    res[12 + k] = ecal ? ecalResolution(REFERENCE_ENERGY, e) : muonResolution(REFERENCE_ENERGY, e);
    const f = Math.max(0.05, 1 + res[k] * rng.normal());
    for (let j = 0; j < 4; j++) ev[o + j] *= f;
  }
}

/** Feature columns in order (the study's 15), plus the masses */
export const HZG_FEATURE_COLUMNS = [
  'photon_eta', 'lep1_eta', 'lep2_eta', 'min_dR_lg', 'max_dR_lg', 'lep_flavour', 'llg_pt_over_mass', 'llg_ptt',
  'llg_mass_resolution', 'cos_Theta', 'cos_theta', 'phi', 'photon_pt_over_mass', 'lep1_pt', 'lep2_pt',
] as const;
/** the three features correlated with m_ℓℓγ in the background (the study's fig. 4) */
export const HZG_MASS_CORRELATED = ['photon_pt_over_mass', 'lep1_pt', 'lep2_pt'] as const;
export const RECO_LLG_MASS = 15;
export const RECO_LL_MASS = 16;
export const HZG_RECO_LENGTH = 17;

/**
 * Detector + selection + features: smears `ev` (lab ℓ⁻, ℓ⁺, γ) in place, fills `out` (15 features,
 * m_ℓℓγ, m_ℓℓ) and says whether the event passes. `work` is 16 doubles of scratch.
 */
export function reconstructHzg(rng: SimRng, ev: Float64Array, flavour: number, out: Float64Array, work: Float64Array): boolean {
  const res = work;
  smear(rng, ev, flavour, res);
  const etaMax = flavour === ELECTRON ? 2.5 : 2.4;
  const etaM = res[8], etaP = res[9], etaG = res[10], ptG = pt(ev, SLOT_PHOTON);
  if (!(Math.abs(etaG) < 2.5) || ptG < 15) return false;
  if (!(Math.abs(etaM) < etaMax && Math.abs(etaP) < etaMax)) return false;
  const ptM = pt(ev, SLOT_LMINUS), ptP = pt(ev, SLOT_LPLUS);
  const lead = ptM >= ptP ? SLOT_LMINUS : SLOT_LPLUS;
  const pt1 = Math.max(ptM, ptP), pt2 = Math.min(ptM, ptP);
  const S = HZG_SELECTION;
  if (pt1 <= S.leadingLeptonPt || pt2 <= S.subleadingLeptonPt) return false;
  const mll2 = pairMass2(ev, SLOT_LMINUS, SLOT_LPLUS);
  const mMg2 = pairMass2(ev, SLOT_LMINUS, SLOT_PHOTON), mPg2 = pairMass2(ev, SLOT_LPLUS, SLOT_PHOTON);
  const mll = Math.sqrt(Math.max(0, mll2));
  const m = Math.sqrt(mll2 + mMg2 + mPg2);
  if (mll <= S.llMassMin || m + mll <= S.llgPlusLlMassMin || !(m > S.llgMassMin && m < S.llgMassMax)) return false;
  if (ptG / m <= S.photonPtOverMass) return false;
  const drM = deltaR(ev, SLOT_LMINUS, etaM, SLOT_PHOTON, etaG), drP = deltaR(ev, SLOT_LPLUS, etaP, SLOT_PHOTON, etaG);
  const drMin = Math.min(drM, drP);
  if (drMin <= S.minDeltaR) return false;

  // ℓℓγ system, p_T/m and p_Tt = |p_T^ℓℓγ × t̂|, t̂ = unit(p_T^ℓℓ − p_T^γ) (ATLAS, PLB 809 (2020) 135754)
  const px = ev[1] + ev[5] + ev[9], py = ev[2] + ev[6] + ev[10], pzs = ev[3] + ev[7] + ev[11], E = ev[0] + ev[4] + ev[8];
  const tx = ev[1] + ev[5] - ev[9], ty = ev[2] + ev[6] - ev[10];
  const tn = Math.sqrt(tx * tx + ty * ty) || 1;
  // per-event σ_m/m: m² = Σ pair masses², so ∂ln m/∂ln E_i = (m_ij² + m_ik²)/(2m²), shares summing
  // to 1. As an estimate from the objects' detector regions: shares equal (⅓) and each resolution at
  // REFERENCE_ENERGY. The event's own shares (a function of m_ℓℓ/m_ℓℓγ) and energies (the photon's
  // is (m² − m_ℓℓ²)/2m in the ℓℓγ frame) are functions of the mass itself and would make σ_m a
  // fourth mass-correlated feature (the study has three); the smearing itself uses the full σ(E).
  const relativeSigmaM = Math.hypot(res[12], res[13], res[14]) / 3;

  measureDecayAngles(ev, work, out);
  out[0] = etaG;
  out[1] = lead === SLOT_LMINUS ? etaM : etaP;
  out[2] = lead === SLOT_LMINUS ? etaP : etaM;
  out[3] = drMin;
  out[4] = Math.max(drM, drP);
  out[5] = flavour;
  out[6] = Math.sqrt(px * px + py * py) / m;
  out[7] = Math.abs(px * ty - py * tx) / tn;
  out[8] = relativeSigmaM;
  out[12] = ptG / m;
  out[13] = pt1;
  out[14] = pt2;
  out[RECO_LLG_MASS] = m;
  out[RECO_LL_MASS] = mll;
  return true;
}

/**
 * The Zγ decay angles (Gainer et al., arXiv:1108.2274) of lab ℓ⁻ (slot 0), ℓ⁺ (4), γ (8) into
 * out[9] = cos Θ, out[10] = cos θ, out[11] = φ. In the ℓℓγ rest frame: Θ between the Z and the
 * quark axis, taken as the beam the ℓℓγ system moves along (sign of its p_z); θ of the ℓ⁻ in the Z
 * frame to the Z flight direction; φ of the ℓ⁻ about the Z axis from the (quark, Z) plane. Boosts
 * `ev` in place (the ℓℓγ frame, then ℓ⁻ into the Z frame); `work[4..7]` is scratch.
 */
export function measureDecayAngles(ev: Float64Array, work: Float64Array, out: Float64Array): void {
  const px = ev[1] + ev[5] + ev[9], py = ev[2] + ev[6] + ev[10], pzs = ev[3] + ev[7] + ev[11], E = ev[0] + ev[4] + ev[8];
  boost(ev, 0, -px / E, -py / E, -pzs / E);
  boost(ev, 4, -px / E, -py / E, -pzs / E);
  const q = work.subarray(4, 8);
  q[0] = 1; q[1] = 0; q[2] = 0; q[3] = pzs >= 0 ? 1 : -1;
  boost(q, 0, -px / E, -py / E, -pzs / E);
  let qn = Math.hypot(q[1], q[2], q[3]);
  const qx = q[1] / qn, qy = q[2] / qn, qz = q[3] / qn;
  const zx = ev[1] + ev[5], zy = ev[2] + ev[6], zz = ev[3] + ev[7], zE = ev[0] + ev[4];
  const zn = Math.hypot(zx, zy, zz);
  const ezx = zx / zn, ezy = zy / zn, ezz = zz / zn;
  const cosTheta = qx * ezx + qy * ezy + qz * ezz;
  boost(ev, 0, -zx / zE, -zy / zE, -zz / zE); // ℓ⁻ into the Z frame
  const ln = Math.hypot(ev[1], ev[2], ev[3]);
  const lx = ev[1] / ln, ly = ev[2] / ln, lz = ev[3] / ln;
  const cosLepton = lx * ezx + ly * ezy + lz * ezz;
  let exx = qx - cosTheta * ezx, exy = qy - cosTheta * ezy, exz = qz - cosTheta * ezz;
  qn = Math.hypot(exx, exy, exz) || 1;
  exx /= qn; exy /= qn; exz /= qn;
  const eyx = ezy * exz - ezz * exy, eyy = ezz * exx - ezx * exz, eyz = ezx * exy - ezy * exx;
  const phi = Math.atan2(lx * eyx + ly * eyy + lz * eyz, lx * exx + ly * exy + lz * exz);

  out[9] = cosTheta;
  out[10] = cosLepton;
  out[11] = phi;
}
