/**
 * Four-vector arithmetic on flat Float64Array slots (E, px, py, pz) — no objects per event, so
 * the generators run at millions of events per second. Units GeV, natural units (c = 1).
 *
 * Constants: PDG 2024 (Navas et al., Phys. Rev. D 110 (2024) 030001).
 */
import type { SimRng } from './random.js';

export const MUON_MASS = 0.1056583755;
export const ELECTRON_MASS = 0.00051099895;
export const TAU_MASS = 1.77693;
export const ALPHA_EM = 1 / 137.035999;
/** (ħc)² in nb·GeV²: converts a cross-section in GeV⁻² into nb */
export const HBARC2_NB = 0.3893794e6;
/** B(τ → μ ν ν̄), PDG 2024 */
export const TAU_TO_MUON_BF = 0.1739;

/** Uniform in (0, 1) from one 32-bit draw (SimRng.u01): never exactly 0 or 1, safe under log. */
export function u01(rng: SimRng): number {
  return rng.u01();
}

/** Event layout: one truth event = five four-vectors, each at offset 4·slot. */
export const SLOT_INITIAL = 0; // e⁺e⁻ initial state (true beams)
export const SLOT_MU_PLUS = 4;
export const SLOT_MU_MINUS = 8;
export const SLOT_INVISIBLE = 12; // Z′ or the neutrinos
export const SLOT_LOST = 16; // undetected visible particles: ISR photon, beam-pipe e⁺e⁻
/** two spare slots for intermediate states (μ*, τ±, virtual photons) */
export const SLOT_SCRATCH = 20;
export const SLOT_SCRATCH2 = 24;
export const TRUTH_LENGTH = 28;
/** slots holding final-state particles (everything the initial state turned into) */
export const FINAL_SLOTS = [SLOT_MU_PLUS, SLOT_MU_MINUS, SLOT_INVISIBLE, SLOT_LOST] as const;

export function set4(v: Float64Array, o: number, e: number, px: number, py: number, pz: number): void {
  v[o] = e;
  v[o + 1] = px;
  v[o + 2] = py;
  v[o + 3] = pz;
}

export function copy4(from: Float64Array, fo: number, to: Float64Array, to_: number): void {
  to[to_] = from[fo];
  to[to_ + 1] = from[fo + 1];
  to[to_ + 2] = from[fo + 2];
  to[to_ + 3] = from[fo + 3];
}

/** to[to] = a[ao] − b[bo] */
export function sub4(a: Float64Array, ao: number, b: Float64Array, bo: number, to: Float64Array, too: number): void {
  to[too] = a[ao] - b[bo];
  to[too + 1] = a[ao + 1] - b[bo + 1];
  to[too + 2] = a[ao + 2] - b[bo + 2];
  to[too + 3] = a[ao + 3] - b[bo + 3];
}

/** to += a */
export function add4(a: Float64Array, ao: number, to: Float64Array, too: number): void {
  to[too] += a[ao];
  to[too + 1] += a[ao + 1];
  to[too + 2] += a[ao + 2];
  to[too + 3] += a[ao + 3];
}

export function mass2(v: Float64Array, o: number): number {
  return v[o] * v[o] - v[o + 1] * v[o + 1] - v[o + 2] * v[o + 2] - v[o + 3] * v[o + 3];
}

/** Lorentz boost along z with velocity β (rest frame → frame where the rest frame moves with +β ẑ). */
export function boostZ(v: Float64Array, o: number, beta: number, gamma: number): void {
  const e = v[o];
  const pz = v[o + 3];
  v[o] = gamma * (e + beta * pz);
  v[o + 3] = gamma * (pz + beta * e);
}

/**
 * General boost of the four-vector at v[o] by velocity (bx, by, bz) — the frame in which a body at
 * rest moves with that velocity (Jackson §11.3, Eq. 11.19).
 */
export function boost(v: Float64Array, o: number, bx: number, by: number, bz: number): void {
  const b2 = bx * bx + by * by + bz * bz;
  if (b2 <= 0) return;
  const gamma = 1 / Math.sqrt(1 - b2);
  const bp = bx * v[o + 1] + by * v[o + 2] + bz * v[o + 3];
  const g2 = (gamma - 1) / b2;
  const e = v[o];
  const k = g2 * bp + gamma * e;
  v[o + 1] += k * bx;
  v[o + 2] += k * by;
  v[o + 3] += k * bz;
  v[o] = gamma * (e + bp);
}

/**
 * A uniform azimuth as (cos φ, sin φ) in AZ[0], AZ[1], without trigonometry: a point (a, b)
 * uniform in the unit disk has a uniform polar angle ψ, and φ = 2ψ gives cos φ = (a² − b²)/r²,
 * sin φ = 2ab/r² (von Neumann, NBS Appl. Math. Ser. 12 (1951) 36).
 */
export const AZ = new Float64Array(2);
export function azimuth(rng: SimRng): void {
  let a: number, b: number, r2: number;
  do {
    a = 2 * rng.u01() - 1;
    b = 2 * rng.u01() - 1;
    r2 = a * a + b * b;
  } while (r2 >= 1);
  AZ[0] = (a * a - b * b) / r2;
  AZ[1] = (2 * a * b) / r2;
}

/**
 * Writes into v[o] a particle of mass m and momentum p in the direction (cosθ, φ) relative to the
 * axis n̂ = (nx, ny, nz) (unit vector), φ given as (cos φ, sin φ). The frame is built from n̂ and
 * any vector not parallel to it.
 */
export function setAlong(
  v: Float64Array, o: number, m: number, p: number, cosTheta: number, cosPhi: number, sinPhi: number, nx: number, ny: number, nz: number,
): void {
  const sinTheta = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  // first transverse unit vector u ⟂ n̂: cross n̂ with the axis it is least parallel to
  let ux: number, uy: number, uz: number;
  if (Math.abs(nx) < 0.9) {
    const l = 1 / Math.sqrt(ny * ny + nz * nz);
    ux = 0;
    uy = nz * l;
    uz = -ny * l; // n × x̂
  } else {
    const l = 1 / Math.sqrt(nx * nx + nz * nz);
    ux = -nz * l;
    uy = 0;
    uz = nx * l; // n × ŷ
  }
  const wx = ny * uz - nz * uy;
  const wy = nz * ux - nx * uz;
  const wz = nx * uy - ny * ux;
  const c = cosPhi * sinTheta;
  const s = sinPhi * sinTheta;
  const px = p * (cosTheta * nx + c * ux + s * wx);
  const py = p * (cosTheta * ny + c * uy + s * wy);
  const pz = p * (cosTheta * nz + c * uz + s * wz);
  set4(v, o, Math.sqrt(p * p + m * m), px, py, pz);
}

/** Particle of mass m, momentum p, polar angle (cosθ) about ẑ and azimuth φ given as (cos φ, sin φ). */
export function setPolar(v: Float64Array, o: number, m: number, p: number, cosTheta: number, cosPhi: number, sinPhi: number): void {
  const sinTheta = Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  set4(v, o, Math.sqrt(p * p + m * m), p * sinTheta * cosPhi, p * sinTheta * sinPhi, p * cosTheta);
}

/**
 * Boosts v[o], given in the rest frame of a parent of mass M, energy E and momentum P (in the
 * frame wanted), into that frame: with β = P/E, γ = E/M, Jackson Eq. 11.19 becomes
 *   p′ = p + P·((P·p)/(M(E + M)) + e/M),   e′ = (E e + P·p)/M
 * (using |P|² = (E − M)(E + M)): no square root, exact for a parent on shell.
 */
export function boostFromRest(v: Float64Array, o: number, E: number, Px: number, Py: number, Pz: number, M: number): void {
  const e = v[o];
  const pp = Px * v[o + 1] + Py * v[o + 2] + Pz * v[o + 3];
  const f = (pp / (E + M) + e) / M;
  v[o + 1] += f * Px;
  v[o + 2] += f * Py;
  v[o + 3] += f * Pz;
  v[o] = (E * e + pp) / M;
}

/** Two-body momentum in the rest frame of a mass M decaying to m1 + m2 (Källén function); NaN below threshold. */
export function twoBodyMomentum(M: number, m1: number, m2: number): number {
  const a = M * M - (m1 + m2) * (m1 + m2);
  const b = M * M - (m1 - m2) * (m1 - m2);
  if (a < 0) return NaN;
  return Math.sqrt(a * b) / (2 * M);
}

/**
 * The two-body decay of the body at v[po] (mass M, on shell) into m1 at v[o1] and m2 at v[o2]:
 * direction (cosθ, φ) of particle 1 in the parent's rest frame about the parent's flight
 * direction (about ẑ when the parent is at rest), then boosted; particle 2 = parent − particle 1
 * (exact four-momentum conservation, and no second boost). `k` is the decay momentum if the
 * caller has it (twoBodyMomentum(M, m1, m2)).
 */
export function decayTwoBody(
  v: Float64Array, po: number, M: number, m1: number, m2: number, cosTheta: number, cosPhi: number, sinPhi: number, o1: number, o2: number,
  k = twoBodyMomentum(M, m1, m2),
): void {
  const e = v[po];
  const px = v[po + 1], py = v[po + 2], pz = v[po + 3];
  const p2 = px * px + py * py + pz * pz;
  if (p2 > 0) {
    const ip = 1 / Math.sqrt(p2);
    setAlong(v, o1, m1, k, cosTheta, cosPhi, sinPhi, px * ip, py * ip, pz * ip);
    boostFromRest(v, o1, e, px, py, pz, M);
  } else setPolar(v, o1, m1, k, cosTheta, cosPhi, sinPhi);
  sub4(v, po, v, o1, v, o2);
}

/**
 * cosθ distributed as 1 + cos²θ on [−1, 1] (vector-current annihilation into fermions, massless
 * limit), as the exact mixture (1 + c²)·3/8 = ¾·U(−1, 1) + ¼·(3c²/2): with probability ¾ a
 * uniform c, else |c| = the largest of three uniforms (density 3|c|²) with a random sign.
 * No cube roots (the inverse CDF needs Cardano's formula).
 */
export function cosThetaOnePlusCos2(rng: SimRng): number {
  const u = rng.u01();
  if (u < 0.75) return (8 * u) / 3 - 1; // u/¾ is uniform on (0, 1)
  const m = Math.max(rng.u01(), rng.u01(), rng.u01());
  return u < 0.875 ? m : -m; // (u − ¾)/¼ < ½ picks the sign
}

/** cosθ with density ∝ 1/(1 − β²cos²θ) on [cLo, cHi] (collinear peaking of radiation, t-channel poles). */
export function cosThetaCollinear(rng: SimRng, beta: number, cLo: number, cHi: number): number {
  const a = Math.atanh(beta * cLo);
  const b = Math.atanh(beta * cHi);
  return Math.tanh(a + (b - a) * u01(rng)) / beta;
}
