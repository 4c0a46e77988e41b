/**
 * Truth-level generators for the vector-like T quark search of the mass-unspecific-classifier
 * study (J. A. Aguilar-Saavedra, S. Rodríguez-Benítez, arXiv:2503.20926), pp at √s = 14 TeV:
 *
 * - signal pp → T b̄ j (t-channel W exchange, 4-flavour: the b̄ from g → b b̄), T → t Z,
 *   t → b W⁺ → b ℓ⁺ν, Z → ℓ⁺ℓ⁻;
 * - background pp → Z W⁺ j j with Z → ℓ⁺ℓ⁻, W⁺ → ℓ⁺ν: the Z W⁺ j system X of mass m_ZWj (the
 *   study's slicing variable) recoiling against the second jet; the jet j of X is the one the
 *   W lepton can share a fat jet with (the "fake top").
 *
 * No matrix element: each step is a parametrised density listed (with its source) in
 * docs/vlq-simulation.md. The initial partons are fixed last from the final state's total
 * (E ± p_z)/2 with zero total p_T, so every event conserves four-momentum exactly.
 *
 * Truth layout (E, px, py, pz per slot, GeV, lab frame): see the SLOT_* constants. Leptons, quarks
 * and neutrinos are massless (their masses ≪ the thresholds); the top is on shell at 172.5 GeV.
 */
import type { SimRng } from '../random.js';
import { AZ, azimuth, boost, setAlong } from '../kinematics.js';

export const SQRT_S = 14_000;
/** PDG 2024 (Navas et al., Phys. Rev. D 110 (2024) 030001) */
export const Z_MASS = 91.1876;
export const Z_WIDTH = 2.4955;
export const W_MASS = 80.3692;
export const W_WIDTH = 2.085;
export const TOP_MASS = 172.5;

/** incoming partons (x₁ along +z, x₂ along −z) */
export const SLOT_P1 = 0;
export const SLOT_P2 = 4;
/** Z → ℓ⁻ (slot L1) ℓ⁺ (slot L2) */
export const SLOT_L1 = 8;
export const SLOT_L2 = 12;
/** the W⁺ lepton (the "third lepton") and its neutrino */
export const SLOT_L3 = 16;
export const SLOT_NU = 20;
/** signal: the b from the top; background: the jet of the Z W j system */
export const SLOT_B = 24;
/** signal: the forward light jet; background: the second (recoil) jet */
export const SLOT_J = 28;
/** signal: the spectator b̄; background: empty (zero vector) */
export const SLOT_BBAR = 32;
export const VLQ_TRUTH_LENGTH = 36;
/** the final-state slots (everything the two partons turned into) */
export const FINAL_SLOTS = [SLOT_L1, SLOT_L2, SLOT_L3, SLOT_NU, SLOT_B, SLOT_J, SLOT_BBAR] as const;

/** Breit–Wigner in s = m² (|1/(s − M² + iMΓ)|²) on [mLo², mHi²], by inverse CDF; returns m. */
export function breitWignerMass(rng: SimRng, mLo: number, mHi: number, M: number, G: number): number {
  const mg = M * G;
  const a = Math.atan((mLo * mLo - M * M) / mg), b = Math.atan((mHi * mHi - M * M) / mg);
  return Math.sqrt(M * M + mg * Math.tan(a + (b - a) * rng.u01()));
}

/** dσ/dp_T ∝ p_T/(p_T² + a²)^b (b > 1) on p_T ≥ 0, by inverse CDF. */
export function drawPt(rng: SimRng, a: number, b: number): number {
  // CDF: 1 − (a²/(p² + a²))^(b−1)
  return a * Math.sqrt(rng.u01() ** (-1 / (b - 1)) - 1);
}

/** density ∝ m^−n on [lo, hi] (n ≠ 1), inverse CDF */
export function powerLaw(rng: SimRng, lo: number, hi: number, n: number): number {
  const k = 1 - n;
  const a = lo ** k, b = hi ** k;
  return (a + (b - a) * rng.u01()) ** (1 / k);
}

/** density ∝ 1 − c² (a longitudinal vector boson's decay angle), accept–reject */
function cosSin2(rng: SimRng): number {
  for (;;) {
    const c = 2 * rng.u01() - 1;
    if (rng.u01() < 1 - c * c) return c;
  }
}

/** density ∝ 1 + c² (a transverse vector boson, helicities ±1 equally), accept–reject */
function cosOnePlusCos2(rng: SimRng): number {
  for (;;) {
    const c = 2 * rng.u01() - 1;
    if (2 * rng.u01() < 1 + c * c) return c;
  }
}

/**
 * The charged lepton's angle in the W⁺ frame to the W flight direction in t → bW⁺ (SM helicity
 * fractions at NNLO, F₀ = 0.687, F_L = 0.311, F_R ≈ 0: Czarnecki, Körner, Piclum, PRD 81 (2010)
 * 111503): dN/dc = (3/4)F₀(1 − c²) + (3/8)F_L(1 − c)² (+ (3/8)F_R(1 + c)²).
 */
export const W_HELICITY = { longitudinal: 0.687, left: 0.311 };
export function topLeptonCos(rng: SimRng): number {
  const f0 = W_HELICITY.longitudinal, fl = W_HELICITY.left;
  const max = 0.75 * f0 + 1.5 * fl; // bound: (3/4)F₀ + (3/8)F_L·4
  for (;;) {
    const c = 2 * rng.u01() - 1;
    const d = 0.75 * f0 * (1 - c * c) + 0.375 * fl * (1 - c) * (1 - c);
    if (rng.u01() * max < d) return c;
  }
}

/**
 * Two-body decay of the parent in slot `po` (lab frame) into massless/massive daughters m1 (slot
 * d1) and m2 (slot d2): daughter 1 at angle cosθ to `axis` (unit vector, in the parent frame; the
 * parent's own flight direction when null) and azimuth φ uniform, then boosted to the lab.
 */
export function twoBody(
  rng: SimRng, ev: Float64Array, po: number, m1: number, m2: number, d1: number, d2: number, cosTheta: number, axis: Float64Array | null,
): void {
  const E = ev[po], px = ev[po + 1], py = ev[po + 2], pz = ev[po + 3];
  const M = Math.sqrt(Math.max(0, E * E - px * px - py * py - pz * pz));
  const p = Math.sqrt(Math.max(0, (M * M - (m1 + m2) ** 2) * (M * M - (m1 - m2) ** 2))) / (2 * M);
  let nx: number, ny: number, nz: number;
  if (axis) {
    nx = axis[0]; ny = axis[1]; nz = axis[2];
  } else {
    const pn = Math.hypot(px, py, pz);
    if (pn > 0) { nx = px / pn; ny = py / pn; nz = pz / pn; } else { nx = 0; ny = 0; nz = 1; }
  }
  azimuth(rng);
  setAlong(ev, d1, m1, p, cosTheta, AZ[0], AZ[1], nx, ny, nz);
  ev[d2] = Math.sqrt(m2 * m2 + p * p);
  ev[d2 + 1] = -ev[d1 + 1]; ev[d2 + 2] = -ev[d1 + 2]; ev[d2 + 3] = -ev[d1 + 3];
  const bx = px / E, by = py / E, bz = pz / E;
  boost(ev, d1, bx, by, bz);
  boost(ev, d2, bx, by, bz);
}

/** a massless (or massive) particle from p_T, η, φ-azimuth drawn here, mass m */
function setPtEta(rng: SimRng, ev: Float64Array, o: number, pt: number, eta: number, m = 0): void {
  azimuth(rng);
  const pz = pt * Math.sinh(eta);
  ev[o + 1] = pt * AZ[0]; ev[o + 2] = pt * AZ[1]; ev[o + 3] = pz;
  ev[o] = Math.sqrt(m * m + pt * pt + pz * pz);
}

/** a particle of mass m with transverse momentum (px, py) and rapidity y */
function setTransverseRapidity(ev: Float64Array, o: number, m: number, px: number, py: number, y: number): void {
  const mt = Math.sqrt(m * m + px * px + py * py);
  ev[o] = mt * Math.cosh(y); ev[o + 1] = px; ev[o + 2] = py; ev[o + 3] = mt * Math.sinh(y);
}

/**
 * The incoming partons from the final state's total (zero p_T by construction): x₁√s/2 = (E + p_z)/2
 * along +z, x₂√s/2 = (E − p_z)/2 along −z. False when an x exceeds 1 (the event is redrawn).
 */
function closeWithPartons(ev: Float64Array): boolean {
  let E = 0, pz = 0;
  for (const o of FINAL_SLOTS) { E += ev[o]; pz += ev[o + 3]; }
  const e1 = (E + pz) / 2, e2 = (E - pz) / 2;
  if (!(e1 < SQRT_S / 2 && e2 < SQRT_S / 2 && e1 > 0 && e2 > 0)) return false;
  ev[SLOT_P1] = e1; ev[SLOT_P1 + 1] = 0; ev[SLOT_P1 + 2] = 0; ev[SLOT_P1 + 3] = e1;
  ev[SLOT_P2] = e2; ev[SLOT_P2 + 1] = 0; ev[SLOT_P2 + 2] = 0; ev[SLOT_P2 + 3] = -e2;
  return true;
}

/** The signal's shape parameters (docs/vlq-simulation.md gives their sources). */
export const SIGNAL_SHAPE = {
  /** forward light jet: dσ/dp_T ∝ p_T/(p_T² + a²)^b, a = m_W (t-channel W propagator) */
  jetPtScale: W_MASS, jetPtPower: 2,
  /** forward light jet |η|: Gaussian around 2.5, width 1.0 (single-top t-channel spectator jet) */
  jetEtaMean: 2.5, jetEtaWidth: 1.0,
  /** spectator b̄ from g → b b̄: soft, p_T scale 20 GeV, broad in η */
  bbarPtScale: 20, bbarPtPower: 2, bbarEtaWidth: 2.0,
  /** T rapidity: Gaussian of width 0.45·ln(√s/m_T) + 0.2 (narrower as m_T → √s) */
  rapiditySlope: 0.45, rapidityOffset: 0.2,
};

/** Γ_T for a singlet with mixing sin θ_L (BR Wb : tZ : tH ≈ 2 : 1 : 1; Γ(T → Wb) = g² s_L² M³/(64π m_W²)). */
export function singletWidth(mT: number, sinThetaL: number): number {
  const g2 = 0.4247; // g² = 4π α/sin²θ_W at m_Z (α = 1/127.95, sin²θ_W = 0.2312)
  return (2 * g2 * sinThetaL * sinThetaL * mT ** 3) / (64 * Math.PI * W_MASS * W_MASS);
}

/**
 * One signal event into `ev` (VLQ_TRUTH_LENGTH doubles): T of pole mass `mT`, width `width`
 * (Breit–Wigner in s on ±3Γ, at least m_t + m_Z + 1 GeV), produced with a forward jet and a b̄;
 * `work` is 4 doubles of scratch (the T, then the top, then the W four-vector).
 */
export function generateSignal(rng: SimRng, mT: number, width: number, ev: Float64Array, work: Float64Array): number {
  const S = SIGNAL_SHAPE;
  for (;;) {
    const lo = Math.max(TOP_MASS + Z_MASS + 1, mT - 3 * width), hi = mT + 3 * width;
    const m = width > 0 ? breitWignerMass(rng, lo, hi, mT, width) : mT;
    const etaJ = (rng.u01() < 0.5 ? -1 : 1) * (S.jetEtaMean + S.jetEtaWidth * rng.normal());
    setPtEta(rng, ev, SLOT_J, drawPt(rng, S.jetPtScale, S.jetPtPower), etaJ);
    setPtEta(rng, ev, SLOT_BBAR, drawPt(rng, S.bbarPtScale, S.bbarPtPower), S.bbarEtaWidth * rng.normal());
    const sigmaY = S.rapiditySlope * Math.log(SQRT_S / m) + S.rapidityOffset;
    const yT = sigmaY * rng.normal();
    setTransverseRapidity(work, 0, m, -(ev[SLOT_J + 1] + ev[SLOT_BBAR + 1]), -(ev[SLOT_J + 2] + ev[SLOT_BBAR + 2]), yT);
    // T → t Z: isotropic in the T frame (unpolarised T); t in slot B (scratch), Z in slot L1 (scratch)
    copyInto(work, 0, ev, SLOT_NU);
    const mZ = breitWignerMass(rng, 60, 120, Z_MASS, Z_WIDTH);
    twoBody(rng, ev, SLOT_NU, TOP_MASS, mZ, SLOT_B, SLOT_L1, 2 * rng.u01() - 1, null);
    // Z → ℓ⁻ℓ⁺: a heavy T decays to a longitudinal Z (Goldstone equivalence), 1 − cos²θ
    copyInto(ev, SLOT_L1, work, 0);
    copyInto(work, 0, ev, SLOT_NU);
    twoBody(rng, ev, SLOT_NU, 0, 0, SLOT_L1, SLOT_L2, cosSin2(rng), null);
    // t → b W⁺ (isotropic: unpolarised top), W⁺ → ℓ⁺ν with the SM helicity fractions
    copyInto(ev, SLOT_B, work, 0);
    copyInto(work, 0, ev, SLOT_NU);
    const mW = breitWignerMass(rng, 60, 100, W_MASS, W_WIDTH);
    twoBody(rng, ev, SLOT_NU, mW, 0, SLOT_L3, SLOT_B, 2 * rng.u01() - 1, null); // W in slot L3 (scratch)
    copyInto(ev, SLOT_L3, ev, SLOT_NU);
    twoBody(rng, ev, SLOT_NU, 0, 0, SLOT_L3, SLOT_NU, topLeptonCos(rng), null);
    if (closeWithPartons(ev)) return m;
  }
}

function copyInto(from: Float64Array, fo: number, to: Float64Array, too: number): void {
  to[too] = from[fo]; to[too + 1] = from[fo + 1]; to[too + 2] = from[fo + 2]; to[too + 3] = from[fo + 3];
}

/** The background's shape parameters (docs/vlq-simulation.md). */
export const BACKGROUND_SHAPE = {
  /** recoil jet: dσ/dp_T ∝ p_T/(p_T² + a²)^b with a = 0.1·m_ZWj */
  recoilPtFraction: 0.1, recoilPtPower: 2,
  /** recoil jet η: Gaussian of width 2.0 (QCD radiation, central-to-forward) */
  recoilEtaWidth: 2.0,
  /** Z W j rapidity: Gaussian of width 0.4·ln(√s/m_ZWj) + 0.1 */
  rapiditySlope: 0.4, rapidityOffset: 0.1,
  /** the W j mass: ∝ m^−2 from m_W + 10 GeV up to m_ZWj − m_Z (collinear emission, dm²/m²) */
  wjMassPower: 2,
};

/**
 * One background event of Z W j mass `mZWj` into `ev`; `work` is 4 doubles of scratch. The Z W j
 * system X decays X → Z + (W j) isotropically, (W j) → W j isotropically, Z → ℓℓ as a transverse
 * Z (1 + cos²θ), W → ℓν as a transverse W (the lepton's 1 + cos²θ averaged over both helicities).
 */
export function generateBackground(rng: SimRng, mZWj: number, ev: Float64Array, work: Float64Array): void {
  const B = BACKGROUND_SHAPE;
  for (;;) {
    ev[SLOT_BBAR] = ev[SLOT_BBAR + 1] = ev[SLOT_BBAR + 2] = ev[SLOT_BBAR + 3] = 0;
    setPtEta(rng, ev, SLOT_J, drawPt(rng, B.recoilPtFraction * mZWj, B.recoilPtPower), B.recoilEtaWidth * rng.normal());
    const sigmaY = B.rapiditySlope * Math.log(SQRT_S / mZWj) + B.rapidityOffset;
    setTransverseRapidity(work, 0, mZWj, -ev[SLOT_J + 1], -ev[SLOT_J + 2], sigmaY * rng.normal());
    copyInto(work, 0, ev, SLOT_NU);
    const mZ = breitWignerMass(rng, 60, 120, Z_MASS, Z_WIDTH);
    const mWj = powerLaw(rng, W_MASS + 10, mZWj - mZ - 1, B.wjMassPower);
    twoBody(rng, ev, SLOT_NU, mZ, mWj, SLOT_L1, SLOT_B, 2 * rng.u01() - 1, null); // Z in L1, Wj in B (scratch)
    copyInto(ev, SLOT_B, work, 0);
    copyInto(ev, SLOT_L1, ev, SLOT_NU);
    twoBody(rng, ev, SLOT_NU, 0, 0, SLOT_L1, SLOT_L2, cosOnePlusCos2(rng), null);
    copyInto(work, 0, ev, SLOT_NU);
    const mW = breitWignerMass(rng, 60, 100, W_MASS, W_WIDTH);
    twoBody(rng, ev, SLOT_NU, mW, 0, SLOT_L3, SLOT_B, 2 * rng.u01() - 1, null); // W in L3 (scratch), j in B
    copyInto(ev, SLOT_L3, ev, SLOT_NU);
    twoBody(rng, ev, SLOT_NU, 0, 0, SLOT_L3, SLOT_NU, cosOnePlusCos2(rng), null);
    if (closeWithPartons(ev)) return;
  }
}
