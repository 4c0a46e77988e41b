/**
 * The Belle II-like detector for four muons: the invisible channel's track smearing and acceptance
 * (detector.ts smearMuon; muons at 17°–150° with p_T > 0.3 GeV), straight tracks with
 * impact-parameter resolution, two-track vertices, the selection and the slides' features.
 *
 * - Track impact parameters: σ(d₀) = f·(10 μm ⊕ 15 μm·GeV/(pβ sin^{3/2}θ)), σ(z₀) = f·(15 μm ⊕
 *   20 μm·GeV/(pβ sin^{5/2}θ)) — the form and the size of the Belle II VXD resolution for tracks
 *   with PXD hits (Belle II TDR arXiv:1011.0352 §4.1; Physics Book PTEP 2019 123C01 §3.3: ≈ 10–20 μm
 *   at a few GeV). f grows with the silicon layers a track misses because it starts beyond them
 *   (SILICON_RADII, f = 1, 1.5, 4, 6, 10, 15, 30 for 0–6 missed layers: tracks from the outer
 *   layers are measured by the SVD's outer layers or the CDC alone) — a rough model.
 * - Tracks are straight lines (the 1.5 T curvature, a sagitta of r²/2R ≲ 0.1 mm at 1 GeV over a
 *   few cm, is neglected); the line passes through the true production point moved by σ(d₀)
 *   perpendicular to the track in the transverse plane and by σ(z₀) along z, along the smeared
 *   momentum. A pair's vertex is the midpoint of the two lines' closest approach.
 * - Selection: four accepted muon tracks (two of each charge, true charges), the four-muon mass
 *   within FOUR_MUON_MASS_WINDOW of the nominal √s (the event is fully reconstructed).
 * - Order (the slides'): μ⁺₁, μ⁺₂ by lab energy (highest first), then μ⁻₁, μ⁻₂.
 * - Candidates: every opposite-sign pairing, as the analysis does: (μ⁺_i μ⁻_j) is the Z′ candidate and
 *   the other two muons the recoil pair, four rows per event (pairing k = 2(i−1) + (j−1)).
 * Features per candidate: dr, d₀, z₀ of the Z′ vertex and of the recoil vertex (dr the transverse
 * distance of the vertex from the beam axis; d₀, z₀ of the pair's momentum line through its
 * vertex: a photon from the collision point converts at large dr but points back, d₀ ≈ 0); the
 * CM-frame energy of the recoil (non-Z′) pair; the Z′ transverse momentum with respect to each
 * recoil muon's direction in the CM frame, min and max; the dimuon mass.
 */
import type { SimRng } from '../random.js';
import { type DetectorConfig, type NominalBeams, smearMuon } from '../detector.js';

/** radii of the silicon layers [cm] (material.ts) */
export const SILICON_RADII = [1.4, 2.2, 3.9, 8.0, 10.4, 13.5];
const MISSED_LAYER_FACTOR = [1, 1.5, 4, 6, 10, 15, 30];
/** |m_4μ − √s| [GeV] */
export const FOUR_MUON_MASS_WINDOW = 0.5;

export const MUMU_FEATURE_COLUMNS = [
  'zp_dr', 'zp_d0', 'zp_z0', 'rec_dr', 'rec_d0', 'rec_z0', 'rec_cm_energy', 'zp_pt_min', 'zp_pt_max',
] as const;
export const N_FEATURES = MUMU_FEATURE_COLUMNS.length;

/** σ(d₀), σ(z₀) [cm] of a track of momentum p, speed β, sin θ, for a vertex at radius r [cm] */
export function impactResolution(p: number, beta: number, sinT: number, r: number, out: Float64Array): void {
  let missed = 0;
  while (missed < SILICON_RADII.length && SILICON_RADII[missed] < r) missed++;
  const f = MISSED_LAYER_FACTOR[missed];
  const pb = p * beta;
  const s32 = sinT * Math.sqrt(sinT);
  const a = 0.0015 / (pb * s32), b = 0.002 / (pb * s32 * sinT);
  out[0] = f * Math.sqrt(1e-6 + a * a);
  out[1] = f * Math.sqrt(2.25e-6 + b * b);
}

/** The reconstructed event: four smeared muons (P1, P2, M1, M2), four pair vertices, the rows. */
export class FourMuonReco {
  /** smeared lab four-vectors in truth order [μ⁺_A, μ⁻_A, μ⁺_B, μ⁻_B] */
  readonly smeared = new Float64Array(16);
  /** smeared lab four-vectors in the slides' order μ⁺₁, μ⁺₂, μ⁻₁, μ⁻₂ */
  readonly ordered = new Float64Array(16);
  /** per track (ordered): a point on its line (x, y, z) */
  private readonly point = new Float64Array(12);
  /** per pair k = 2i + j (μ⁺_i μ⁻_j): dr, d0, z0, CM energy, mass */
  readonly pairs = new Float64Array(20);
  /** per candidate k: the N_FEATURES features then the dimuon mass */
  readonly rows = new Float64Array(4 * (N_FEATURES + 1));
  private readonly res = new Float64Array(2);
  private readonly cm = new Float64Array(16);
  private readonly order = new Int32Array(4);

  constructor(private readonly det: DetectorConfig, private readonly beams: NominalBeams) {}

  /** Smears, selects and fills the rows; false if the event fails the selection. */
  reconstruct(rng: SimRng, mu: Float64Array, vtx: Float64Array): boolean {
    const det = this.det, beams = this.beams, s = this.smeared;
    for (let t = 0; t < 4; t++) {
      const o = 4 * t;
      const pt = Math.sqrt(mu[o + 1] * mu[o + 1] + mu[o + 2] * mu[o + 2]);
      if (pt < 0.8 * det.muonPtMin) return false; // surely fails: no draws spent
      smearMuon(rng, det, mu, o, s, o);
      const spt = Math.sqrt(s[o + 1] * s[o + 1] + s[o + 2] * s[o + 2]);
      if (spt <= det.muonPtMin) return false;
      const cosT = s[o + 3] / Math.sqrt(spt * spt + s[o + 3] * s[o + 3]);
      if (!(cosT <= beams.cosMuonHi && cosT >= beams.cosMuonLo)) return false;
    }
    const E = s[0] + s[4] + s[8] + s[12], px = s[1] + s[5] + s[9] + s[13];
    const py = s[2] + s[6] + s[10] + s[14], pz = s[3] + s[7] + s[11] + s[15];
    const m4 = Math.sqrt(Math.max(0, E * E - px * px - py * py - pz * pz));
    if (!(Math.abs(m4 - beams.sqrtS) < FOUR_MUON_MASS_WINDOW)) return false;
    // the slides' order: μ⁺ (truth slots 0, 2) by energy, then μ⁻ (1, 3)
    const pHi = s[0] >= s[8] ? 0 : 2, mHi = s[4] >= s[12] ? 1 : 3;
    const order = this.order;
    order[0] = pHi; order[1] = 2 - pHi; order[2] = mHi; order[3] = 4 - mHi;
    for (let k = 0; k < 4; k++) {
      const t = order[k], v = t < 2 ? 0 : 3;
      const x = vtx[v], y = vtx[v + 1];
      this.placeTrack(rng, t, k, x, y, vtx[v + 2], Math.sqrt(x * x + y * y));
    }
    this.toCm();
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) this.pairVertex(2 * i + j, i, 2 + j);
    const nf = N_FEATURES + 1;
    const P = this.pairs;
    for (let k = 0; k < 4; k++) {
      const c = 3 - k; // the complementary pair: the recoil
      const o = k * nf;
      const row = this.rows;
      row[o] = P[5 * k]; row[o + 1] = P[5 * k + 1]; row[o + 2] = P[5 * k + 2];
      row[o + 3] = P[5 * c]; row[o + 4] = P[5 * c + 1]; row[o + 5] = P[5 * c + 2];
      row[o + 6] = P[5 * c + 3];
      const i = k >> 1, j = k & 1;
      const ptA = this.ptRelative(i, 2 + j, 1 - i), ptB = this.ptRelative(i, 2 + j, 3 - j);
      row[o + 7] = Math.min(ptA, ptB);
      row[o + 8] = Math.max(ptA, ptB);
      row[o + 9] = P[5 * k + 4];
    }
    return true;
  }

  /** copies truth track t (smeared) to ordered slot k and draws its line's point */
  private placeTrack(rng: SimRng, t: number, k: number, x: number, y: number, z: number, r: number): void {
    const s = this.smeared, q = this.ordered;
    for (let j = 0; j < 4; j++) q[4 * k + j] = s[4 * t + j];
    const o = 4 * k;
    const pt = Math.sqrt(q[o + 1] * q[o + 1] + q[o + 2] * q[o + 2]);
    const p = Math.sqrt(pt * pt + q[o + 3] * q[o + 3]);
    impactResolution(p, p / q[o], pt / p, r, this.res);
    const d = this.res[0] * rng.normal(), dz = this.res[1] * rng.normal();
    this.point[3 * k] = x - (d * q[o + 2]) / pt;
    this.point[3 * k + 1] = y + (d * q[o + 1]) / pt;
    this.point[3 * k + 2] = z + dz;
  }

  /** the ordered muons in the nominal CM frame (boost by −β along z) */
  private toCm(): void {
    const b = this.beams.beta, g = this.beams.gamma, q = this.ordered, c = this.cm;
    for (let k = 0; k < 4; k++) {
      const o = 4 * k;
      c[o] = g * (q[o] - b * q[o + 3]);
      c[o + 1] = q[o + 1];
      c[o + 2] = q[o + 2];
      c[o + 3] = g * (q[o + 3] - b * q[o]);
    }
  }

  /** vertex (closest approach of the two lines), dr, d0, z0, CM energy and mass of tracks a, b into pair k */
  private pairVertex(k: number, a: number, b: number): void {
    const q = this.ordered, pt = this.point;
    const oa = 4 * a, ob = 4 * b;
    const na = 1 / Math.sqrt(q[oa + 1] ** 2 + q[oa + 2] ** 2 + q[oa + 3] ** 2), nb = 1 / Math.sqrt(q[ob + 1] ** 2 + q[ob + 2] ** 2 + q[ob + 3] ** 2);
    const ux = q[oa + 1] * na, uy = q[oa + 2] * na, uz = q[oa + 3] * na;
    const vx = q[ob + 1] * nb, vy = q[ob + 2] * nb, vz = q[ob + 3] * nb;
    const wx = pt[3 * a] - pt[3 * b], wy = pt[3 * a + 1] - pt[3 * b + 1], wz = pt[3 * a + 2] - pt[3 * b + 2];
    const B = ux * vx + uy * vy + uz * vz, D = ux * wx + uy * wy + uz * wz, Ew = vx * wx + vy * wy + vz * wz;
    const den = 1 - B * B;
    let sa = 0, tb = Ew;
    if (den > 1e-12) {
      sa = (B * Ew - D) / den;
      tb = (Ew - B * D) / den;
    }
    const X = 0.5 * (pt[3 * a] + sa * ux + pt[3 * b] + tb * vx);
    const Y = 0.5 * (pt[3 * a + 1] + sa * uy + pt[3 * b + 1] + tb * vy);
    const Z = 0.5 * (pt[3 * a + 2] + sa * uz + pt[3 * b + 2] + tb * vz);
    const Px = q[oa + 1] + q[ob + 1], Py = q[oa + 2] + q[ob + 2], Pz = q[oa + 3] + q[ob + 3], Pe = q[oa] + q[ob];
    const Pt2 = Px * Px + Py * Py;
    const P = this.pairs, o = 5 * k;
    P[o] = Math.sqrt(X * X + Y * Y);
    P[o + 1] = (X * Py - Y * Px) / Math.sqrt(Pt2);
    P[o + 2] = Z - ((X * Px + Y * Py) / Pt2) * Pz;
    P[o + 3] = this.cm[oa] + this.cm[ob];
    P[o + 4] = Math.sqrt(Math.max(0, Pe * Pe - Px * Px - Py * Py - Pz * Pz));
  }

  /** |p_(a+b) × û_r| in the CM frame: the pair (a, b)'s momentum transverse to muon r */
  private ptRelative(a: number, b: number, r: number): number {
    const c = this.cm, oa = 4 * a, ob = 4 * b, or = 4 * r;
    const px = c[oa + 1] + c[ob + 1], py = c[oa + 2] + c[ob + 2], pz = c[oa + 3] + c[ob + 3];
    const ux = c[or + 1], uy = c[or + 2], uz = c[or + 3];
    const n = Math.sqrt(ux * ux + uy * uy + uz * uz);
    const cx = py * uz - pz * uy, cy = pz * ux - px * uz, cz = px * uy - py * ux;
    return Math.sqrt(cx * cx + cy * cy + cz * cz) / n;
  }
}
