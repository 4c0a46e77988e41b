/**
 * HL-LHC detector response, the study's preselection and its reconstruction for the T → tZ
 * trilepton search (arXiv:2503.20926), on a truth event of generator.ts.
 *
 * Resolutions: the Delphes HL-LHC card (delphes/delphes cards/delphes_card_HLLHC.tcl, M. Selvaggi
 * 2017): electrons by its ECAL (2·√((0.009E)² + 0.12²E + 0.45²) for |η| ≤ 1.5, HGCAL-like in the
 * endcaps), muons by its "tracker resolution up to 100 GeV, then tracker slope/5" (σ/p_T =
 * a(η)·(0.8 + 0.2 p_T/100 GeV) above 100 GeV), jets by its HCAL (2·√((0.0302E)² + 0.5205²E + 1.59²)
 * for |η| ≤ 1.7, 2·√((0.05E)² + 0.706²E) to 3.2, √((0.0942E)² + E) to 4.9). Each object keeps its
 * direction and is scaled by 1 + σ·N(0, 1). Jets: anti-k_T R = 0.4 with p_T > 30 GeV, |η| < 4.9
 * (the card's JetPTMin and HCAL reach); each quark is one jet (no showering, no pile-up).
 * Missing p_T: minus the vector sum of the smeared visible objects within |η| < 4.9 (the card
 * builds it from all energy-flow objects), plus a Gaussian soft term of 10 GeV per component.
 *
 * Preselection (the study's): three leptons with p_T ≥ 25 GeV, |η| < 2.5, the leading above
 * 40 GeV; a same-flavour opposite-sign pair (the one nearest m_Z is the Z) with p_T^Z > 60 GeV; a
 * fat jet J (R = 0.8) holding the third lepton and at least one quark, p_T^J > 80 GeV; a light jet
 * outside J; ΔR(Z, J) ≥ 1. Reconstruction: p_z^ν from (p_ℓ3 + p_ν)² = m_W², of the two solutions
 * the one with m(J + ν) nearest m_t (the real part when there is none); m_t^rec = m(J + ν),
 * m_T^rec = m(J + ν + Z).
 */
import type { SimRng } from '../random.js';
import {
  SLOT_B, SLOT_BBAR, SLOT_J, SLOT_L1, SLOT_L2, SLOT_L3, SLOT_NU, TOP_MASS, VLQ_TRUTH_LENGTH, W_MASS, Z_MASS,
} from './generator.js';

export const ELECTRON = 0;
export const MUON = 1;

/** The study's preselection (arXiv:2503.20926, sec. on the VLQ benchmark) [GeV] */
export const VLQ_SELECTION = {
  leptonPt: 25, leptonEta: 2.5, leadingLeptonPt: 40, zPt: 60, fatJetRadius: 0.8, fatJetPt: 80, zFatJetDeltaR: 1,
  jetPt: 30, jetEta: 4.9, forwardEtaMin: 2.5, forwardEtaMax: 5, softMet: 10,
};

/** Feature columns in order (the study's six) */
export const VLQ_FEATURE_COLUMNS = ['mT_rec', 'pt_lZ1', 'pt_lZ2', 'mt_rec', 'dphi_Z_l3', 'n_fwd_jets'] as const;
/**
 * `out` of reconstructVlq: the six features, then what the preselection looked at (for the tests and
 * for studies of the cuts): RECO_* indices below.
 */
export const RECO_LEAD_LEPTON_PT = 6;
export const RECO_MIN_LEPTON_PT = 7;
export const RECO_MAX_LEPTON_ETA = 8;
export const RECO_Z_PT = 9;
export const RECO_Z_MASS = 10;
export const RECO_FAT_JET_PT = 11;
export const RECO_DR_Z_J = 12;
export const RECO_LIGHT_JETS = 13;
export const RECO_THIRD_IN_FAT_JET = 14;
export const VLQ_RECO_LENGTH = 15;

/** Delphes HL-LHC muon: a(η) = the tracker's high-p_T slope per 100 GeV in |η| steps of 0.2 (to 2.6) */
const MUON_SLOPE = [0.00924, 0.00917, 0.00908, 0.00918, 0.01043, 0.01387, 0.0168, 0.01816, 0.01804, 0.0201, 0.02029, 0.02152, 0.02448];

export function muonResolution(pt: number, eta: number): number {
  const a = MUON_SLOPE[Math.min(MUON_SLOPE.length - 1, Math.floor(Math.abs(eta) / 0.2))];
  return pt >= 100 ? a * (0.8 + 0.2 * pt / 100) : a * (0.6 + 0.4 * pt / 100);
}

/** Delphes HL-LHC ECAL σ(E)/E for electrons */
export function electronResolution(e: number, eta: number): number {
  const x = Math.abs(eta);
  const s = x <= 1.5 ? 2 * Math.sqrt(e * e * 0.009 ** 2 + e * 0.12 ** 2 + 0.45 ** 2)
    : x <= 1.75 ? 2 * Math.sqrt(e * e * 0.006 ** 2 + e * 0.2 ** 2)
      : x <= 2.15 ? 2 * Math.sqrt(e * e * 0.007 ** 2 + e * 0.21 ** 2)
        : 2 * Math.sqrt(e * e * 0.008 ** 2 + e * 0.24 ** 2);
  return s / e;
}

/** Delphes HL-LHC HCAL σ(E)/E for jets */
export function jetResolution(e: number, eta: number): number {
  const x = Math.abs(eta);
  const s = x <= 1.7 ? 2 * Math.sqrt(e * e * 0.0302 ** 2 + e * 0.5205 ** 2 + 1.59 ** 2)
    : x <= 3.2 ? 2 * Math.sqrt(e * e * 0.05 ** 2 + e * 0.706 ** 2)
      : Math.sqrt(e * e * 0.0942 ** 2 + e);
  return s / e;
}

const pt = (v: Float64Array, o: number): number => Math.hypot(v[o + 1], v[o + 2]);
function eta(v: Float64Array, o: number): number {
  const p = Math.hypot(v[o + 1], v[o + 2], v[o + 3]);
  return 0.5 * Math.log((p + v[o + 3]) / Math.max(1e-300, p - v[o + 3]));
}
function deltaPhi(v: Float64Array, a: number, b: number): number {
  let d = Math.atan2(v[a + 2], v[a + 1]) - Math.atan2(v[b + 2], v[b + 1]);
  while (d > Math.PI) d -= 2 * Math.PI;
  while (d < -Math.PI) d += 2 * Math.PI;
  return d;
}
function deltaR(v: Float64Array, a: number, b: number): number {
  const de = eta(v, a) - eta(v, b), dp = deltaPhi(v, a, b);
  return Math.sqrt(de * de + dp * dp);
}
function mass(v: Float64Array, o: number): number {
  return Math.sqrt(Math.max(0, v[o] * v[o] - v[o + 1] * v[o + 1] - v[o + 2] * v[o + 2] - v[o + 3] * v[o + 3]));
}
function add(v: Float64Array, from: number, to: number): void {
  v[to] += v[from]; v[to + 1] += v[from + 1]; v[to + 2] += v[from + 2]; v[to + 3] += v[from + 3];
}
function copy(v: Float64Array, from: number, to: number): void {
  v[to] = v[from]; v[to + 1] = v[from + 1]; v[to + 2] = v[from + 2]; v[to + 3] = v[from + 3];
}

/**
 * The neutrino p_z from the W-mass constraint (p_ℓ + p_ν)² = m_W² with a massless lepton and
 * p_T^ν = the missing p_T: with μ = m_W²/2 + p_T^ℓ·p_T^ν, A = μ p_z^ℓ/(p_T^ℓ)²,
 * p_z^ν = A ± √(A² − ((E^ℓ p_T^ν)² − μ²)/(p_T^ℓ)²). Writes both into `out` (equal, the real part
 * A, when the discriminant is negative) and returns the discriminant.
 */
export function neutrinoPz(lep: Float64Array, lo: number, metX: number, metY: number, out: Float64Array, mW = W_MASS): number {
  const lx = lep[lo + 1], ly = lep[lo + 2], lz = lep[lo + 3], le = lep[lo];
  const pt2 = lx * lx + ly * ly;
  const mu = (mW * mW) / 2 + lx * metX + ly * metY;
  const a = (mu * lz) / pt2;
  const disc = a * a - (le * le * (metX * metX + metY * metY) - mu * mu) / pt2;
  const r = disc > 0 ? Math.sqrt(disc) : 0;
  out[0] = a + r;
  out[1] = a - r;
  return disc;
}

/** scratch layout of `work` (VLQ_WORK_LENGTH doubles) */
const W_Z = VLQ_TRUTH_LENGTH, W_J = W_Z + 4, W_NU = W_J + 4, W_T = W_NU + 4, W_PZ = W_T + 4;
export const VLQ_WORK_LENGTH = W_PZ + 2;

const JET_SLOTS = [SLOT_B, SLOT_J, SLOT_BBAR] as const;

/**
 * Detector + preselection + features for the truth event `ev` (left unchanged): flavours of the Z
 * and W leptons; fills `out` (the six features) and says whether the event passes. `work` holds
 * VLQ_WORK_LENGTH doubles (the smeared event first).
 */
export function reconstructVlq(rng: SimRng, ev: Float64Array, zFlavour: number, wFlavour: number, out: Float64Array, work: Float64Array): boolean {
  const S = VLQ_SELECTION;
  const r = work;
  for (let k = 0; k < VLQ_TRUTH_LENGTH; k++) r[k] = ev[k];
  // smear; missing p_T = −Σ visible (smeared) within the calorimeter reach, + soft term
  let metX = S.softMet * rng.normal(), metY = S.softMet * rng.normal();
  for (const o of [SLOT_L1, SLOT_L2, SLOT_L3]) {
    const flavour = o === SLOT_L3 ? wFlavour : zFlavour;
    const e = eta(r, o);
    const sigma = flavour === ELECTRON ? electronResolution(r[o], e) : muonResolution(pt(r, o), e);
    const f = Math.max(0.05, 1 + sigma * rng.normal());
    for (let j = 0; j < 4; j++) r[o + j] *= f;
    if (Math.abs(e) < S.jetEta) { metX -= r[o + 1]; metY -= r[o + 2]; }
  }
  for (const o of JET_SLOTS) {
    if (!(r[o] > 0)) continue;
    const e = eta(r, o);
    if (!(Math.abs(e) < S.jetEta)) continue;
    const f = Math.max(0.05, 1 + jetResolution(r[o], e) * rng.normal());
    for (let j = 0; j < 4; j++) r[o + j] *= f;
    metX -= r[o + 1]; metY -= r[o + 2];
  }
  // three central leptons
  let lead = 0, low = Infinity, etaMax = 0;
  for (const o of [SLOT_L1, SLOT_L2, SLOT_L3]) {
    const p = pt(r, o), e = Math.abs(eta(r, o));
    if (p < S.leptonPt || !(e < S.leptonEta)) return false;
    lead = Math.max(lead, p);
    low = Math.min(low, p);
    etaMax = Math.max(etaMax, e);
  }
  if (lead <= S.leadingLeptonPt) return false;
  // Z: the same-flavour opposite-sign pair nearest m_Z (ℓ⁻ is L1; L2 and L3 are ℓ⁺)
  copy(r, SLOT_L1, W_Z); add(r, SLOT_L2, W_Z);
  let third = SLOT_L3, zPartner = SLOT_L2;
  if (wFlavour === zFlavour) {
    copy(r, SLOT_L1, W_T); add(r, SLOT_L3, W_T);
    if (Math.abs(mass(r, W_T) - Z_MASS) < Math.abs(mass(r, W_Z) - Z_MASS)) {
      copy(r, W_T, W_Z);
      third = SLOT_L2; zPartner = SLOT_L3;
    }
  }
  if (pt(r, W_Z) <= S.zPt) return false;
  // fat jet: the third lepton and the quarks within R = 0.8 of it
  copy(r, third, W_J);
  let inside = 0;
  for (const o of JET_SLOTS) {
    if (!(r[o] > 0) || !(Math.abs(eta(r, o)) < S.jetEta)) continue;
    if (deltaR(r, o, third) < S.fatJetRadius) { add(r, o, W_J); inside |= 1 << JET_SLOTS.indexOf(o); }
  }
  if (inside === 0 || pt(r, W_J) <= S.fatJetPt) return false;
  // light jets outside the fat jet; forward ones counted
  let light = 0, forward = 0;
  for (let k = 0; k < JET_SLOTS.length; k++) {
    const o = JET_SLOTS[k];
    if (inside & (1 << k) || !(r[o] > 0)) continue;
    const e = Math.abs(eta(r, o));
    if (pt(r, o) < S.jetPt || !(e < S.jetEta) || deltaR(r, o, W_J) < S.fatJetRadius) continue;
    light++;
    if (e >= S.forwardEtaMin && e <= S.forwardEtaMax) forward++;
  }
  if (light === 0) return false;
  if (deltaR(r, W_Z, W_J) < S.zFatJetDeltaR) return false;
  // neutrino: W-mass constraint on the third lepton, the solution with m(J + ν) nearest m_t
  const pz = r.subarray(W_PZ, W_PZ + 2);
  neutrinoPz(r, third, metX, metY, pz);
  let best = 0, bestDiff = Infinity, bestMt = 0;
  for (const z of [pz[0], pz[1]]) {
    r[W_NU] = Math.sqrt(metX * metX + metY * metY + z * z); r[W_NU + 1] = metX; r[W_NU + 2] = metY; r[W_NU + 3] = z;
    copy(r, W_J, W_T); add(r, W_NU, W_T);
    const m = mass(r, W_T);
    if (Math.abs(m - TOP_MASS) < bestDiff) { bestDiff = Math.abs(m - TOP_MASS); best = z; bestMt = m; }
  }
  r[W_NU] = Math.sqrt(metX * metX + metY * metY + best * best); r[W_NU + 1] = metX; r[W_NU + 2] = metY; r[W_NU + 3] = best;
  copy(r, W_J, W_T); add(r, W_NU, W_T); add(r, W_Z, W_T);
  const zl1 = SLOT_L1, zl2 = zPartner;
  out[0] = mass(r, W_T);
  out[1] = Math.max(pt(r, zl1), pt(r, zl2));
  out[2] = Math.min(pt(r, zl1), pt(r, zl2));
  out[3] = bestMt;
  out[4] = Math.abs(deltaPhi(r, W_Z, third));
  out[5] = forward;
  out[RECO_LEAD_LEPTON_PT] = lead;
  out[RECO_MIN_LEPTON_PT] = low;
  out[RECO_MAX_LEPTON_ETA] = etaMax;
  out[RECO_Z_PT] = pt(r, W_Z);
  out[RECO_Z_MASS] = mass(r, W_Z);
  out[RECO_FAT_JET_PT] = pt(r, W_J);
  out[RECO_DR_Z_J] = deltaR(r, W_Z, W_J);
  out[RECO_LIGHT_JETS] = light;
  out[RECO_THIRD_IN_FAT_JET] = deltaR(r, third, W_J);
  return true;
}
