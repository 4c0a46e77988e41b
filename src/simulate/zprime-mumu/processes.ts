/**
 * The processes of the visible dark-photon channel, each filling one truth event: four lab-frame
 * muon four-vectors [μ⁺_A, μ⁻_A, μ⁺_B, μ⁻_B] (pair A: the Z′, the virtual photon or the first
 * converted photon; pair B: the recoil pair or the second converted photon) and the production
 * vertex of each pair [x_A, y_A, z_A, x_B, y_B, z_B] in cm. docs/zprime-mumu-simulation.md lists the
 * approximations; in short:
 *
 * - signal e⁺e⁻ → μ⁺μ⁻Z′: the invisible channel's production (signal.ts, quasi-collinear Z′
 *   emission off a muon line), the Z′ then decays isotropically in its rest frame into μ⁺μ⁻
 *   (a vector decaying to fermions, averaged over its polarisation); prompt: both vertices at the
 *   collision point, drawn from the beam spot.
 * - e⁺e⁻ → ℓ⁺ℓ⁻γ*, γ* → μ⁺μ⁻ (ℓ = μ: the four-muon QED background; ℓ = e: e⁺e⁻μ⁺μ⁻ with the
 *   electrons seen in the tracker, "tagged", and taken for muons): the same emission with a virtual
 *   photon of mass m drawn from dP = (α/3π) R(m) dm²/m², R = (1 + 2m_μ²/m²)√(1 − 4m_μ²/m²) (the
 *   γ* → μ⁺μ⁻ spectral function), times the emission rate at that mass (fourLeptonCrossSection).
 * - e⁺e⁻ → γγ, both photons converting into μ⁺μ⁻ in the material (material.ts) with the
 *   Bethe–Heitler model of bethe-heitler.ts: displaced vertices at the layers' radii. The weight of
 *   an event is the product of its two photons' conversion probabilities.
 */
import type { SimRng } from '../random.js';
import { type DetectorConfig, nominalBeams, sampleCollision } from '../detector.js';
import { generateCollision, type ProcessGenerator } from '../process.js';
import {
  ALPHA_EM, AZ, ELECTRON_MASS, HBARC2_NB, MUON_MASS, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH, SLOT_SCRATCH2,
  TRUTH_LENGTH, azimuth, boostZ, decayTwoBody, set4, setAlong, setPolar, twoBodyMomentum,
} from '../kinematics.js';
import { ZprimeSignal } from '../signal.js';
import { type BheConstants, type MuPairDraw, MU_PAIR_THRESHOLD, sampleMuPair } from './bethe-heitler.js';
import { ConversionMaterial, type MaterialLayer } from './material.js';
import { type MumuNativeSettings, emptyMumuSettings } from './native.js';

/** Process ids of the `category` column. */
export const MUMU_CATEGORY = { signal: 0, fourMuon: 1, eeMuMu: 2, conversion: 3 } as const;
export const MUMU_CATEGORY_NAMES = ['signal', 'mumumumu', 'eemumu_tagged', 'gamma_conversion'] as const;

/** truth layout: four muons (lab four-vectors) at these offsets, then the two vertices */
export const TRUTH_MUONS = 16;
export const TRUTH_VERTICES = 6;

/**
 * Beam spot of SuperKEKB's nano-beam scheme: σ_x = 10 μm, σ_y = 0.2 μm (neglected), σ_z = 350 μm
 * (Belle II Physics Book, Kou et al., PTEP 2019 123C01, §3.2 / Ohnishi et al., PTEP 2013 03A011).
 */
export const BEAM_SPOT_X = 0.001;
export const BEAM_SPOT_Z = 0.035;

export interface MumuProcess {
  readonly category: number;
  readonly name: string;
  /** generated mass (NaN for backgrounds) */
  readonly genMass: number;
  /**
   * One collision: fills `mu` (4 lab four-vectors) and `vtx` (2 vertices, cm) and returns the
   * event's weight relative to σ·L/N_gen (1 for unweighted processes, 0 when nothing was made).
   */
  generate(rng: SimRng, det: DetectorConfig, mu: Float64Array, vtx: Float64Array): number;
  /** the fields of the C++ twin (native.ts); the built-in processes only */
  mumuNativeSettings(): MumuNativeSettings;
}

/** The beam spot: the prompt vertex of both pairs. */
function promptVertices(rng: SimRng, vtx: Float64Array): void {
  const x = BEAM_SPOT_X * rng.normal(), z = BEAM_SPOT_Z * rng.normal();
  vtx[0] = x; vtx[1] = 0; vtx[2] = z;
  vtx[3] = x; vtx[4] = 0; vtx[5] = z;
}

/** R(m) of γ* → μ⁺μ⁻ (file header) */
export function muPairSpectralFunction(m: number): number {
  const r = (MUON_MASS * MUON_MASS) / (m * m);
  return r >= 0.25 ? 0 : (1 + 2 * r) * Math.sqrt(1 - 4 * r);
}

/**
 * A vector of mass m radiated off the ℓ⁺ℓ⁻ pair (ZprimeSignal.radiate), decayed isotropically into
 * μ⁺μ⁻ in its rest frame. Fills the truth buffer `ev` (CM frame); returns 1, or 0 if not made.
 */
function radiateAndDecay(emission: ZprimeSignal, rng: SimRng, sqrtS: number, ev: Float64Array, m: number): number {
  if (emission.radiate(rng, sqrtS, ev, m) <= 0) return 0;
  azimuth(rng);
  const cos = 2 * rng.u01() - 1;
  decayTwoBody(ev, SLOT_INVISIBLE, m, MUON_MASS, MUON_MASS, cos, AZ[0], AZ[1], SLOT_LOST, SLOT_SCRATCH);
  return 1;
}

/** Copies a radiated event (recoil ℓ⁺ 4, ℓ⁻ 8; the vector's μ⁺ at SLOT_LOST, μ⁻ at SLOT_SCRATCH) into mu. */
function copyRadiated(ev: Float64Array, mu: Float64Array): void {
  for (let j = 0; j < 4; j++) {
    mu[j] = ev[SLOT_LOST + j];
    mu[4 + j] = ev[SLOT_SCRATCH + j];
    mu[8 + j] = ev[SLOT_MU_PLUS + j];
    mu[12 + j] = ev[SLOT_MU_MINUS + j];
  }
}

/** A vector radiated off a lepton pair and decayed into μ⁺μ⁻ (generateCM), both pairs prompt. */
abstract class RadiatedMuonPair implements MumuProcess, ProcessGenerator {
  abstract readonly category: number;
  abstract readonly name: string;
  abstract readonly genMass: number;
  private readonly ev = new Float64Array(TRUTH_LENGTH);
  private readonly scratch = new Float64Array(2);

  abstract generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number;
  abstract mumuNativeSettings(): MumuNativeSettings;

  generate(rng: SimRng, det: DetectorConfig, mu: Float64Array, vtx: Float64Array): number {
    const w = generateCollision(this, rng, det, this.ev, this.scratch);
    if (!(w > 0)) return 0;
    copyRadiated(this.ev, mu);
    promptVertices(rng, vtx);
    return w;
  }
}

/** e⁺e⁻ → μ⁺μ⁻Z′(→ μ⁺μ⁻) at one Z′ mass */
export class ZprimeToMuonsSignal extends RadiatedMuonPair {
  readonly category = MUMU_CATEGORY.signal;
  readonly name = 'signal';
  private readonly emission: ZprimeSignal;

  constructor(readonly genMass: number) {
    super();
    this.emission = new ZprimeSignal(genMass);
  }

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    return radiateAndDecay(this.emission, rng, sqrtS, ev, this.genMass);
  }

  mumuNativeSettings(): MumuNativeSettings {
    return { ...emptyMumuSettings(this.category), zprimeMass: this.genMass, radiatorMass: this.emission.radiatorMass };
  }
}

const INTEGRATION_POINTS = 400;
/** largest virtual-photon mass generated [GeV] (the emission picture fails well before √s) */
export const VIRTUAL_PHOTON_MASS_MAX = 9;

/**
 * The emission rate at vector mass m off a lepton pair of mass mℓ (per radiator, without α/2π):
 *   I(m) = ∫ dm*²/(m*² − mℓ²) · (2p/√s) · ∫ P(z) dz,  P(z) = (1 + (1 − z)²)/z,
 * the m*² and z ranges of ZprimeSignal.radiate; ∫P dz = [2 ln z − 2z + z²/2] in closed form,
 * the m*² integral by the midpoint rule in ln(m*² − mℓ²).
 */
export function emissionIntegral(sqrtS: number, lepton: number, m: number): number {
  const lo = m * (m + 2 * lepton);
  const hi = (sqrtS - lepton) ** 2 - lepton * lepton;
  if (!(hi > lo)) return 0;
  const span = Math.log(hi / lo);
  const G = (z: number): number => 2 * Math.log(z) - 2 * z + (z * z) / 2;
  let sum = 0;
  for (let i = 0; i < INTEGRATION_POINTS; i++) {
    const mStar2 = lepton * lepton + lo * Math.exp((span * (i + 0.5)) / INTEGRATION_POINTS);
    const mStar = Math.sqrt(mStar2);
    const p = twoBodyMomentum(sqrtS, lepton, mStar);
    const k = twoBodyMomentum(mStar, m, lepton);
    if (!(p > 0) || !(k >= 0)) continue;
    const eStar = Math.sqrt(p * p + mStar2), eRest = Math.sqrt(k * k + m * m);
    const gamma = eStar / mStar, bg = p / mStar;
    const zLo = (gamma * eRest - bg * k) / eStar, zHi = (gamma * eRest + bg * k) / eStar;
    sum += ((2 * p) / sqrtS) * (G(zHi) - G(zLo));
  }
  return (sum * span) / INTEGRATION_POINTS;
}

/** σ(e⁺e⁻ → ℓ⁺ℓ⁻) at lowest order, 4πα²/3s [nb] */
export function bornPairCrossSection(sqrtS: number): number {
  return ((4 * Math.PI * ALPHA_EM * ALPHA_EM) / (3 * sqrtS * sqrtS)) * HBARC2_NB;
}

/**
 * The virtual-photon mass spectrum of e⁺e⁻ → ℓ⁺ℓ⁻γ*(→ μ⁺μ⁻) on a grid in ln m² (2m_μ to
 * VIRTUAL_PHOTON_MASS_MAX) and its integral:
 *   σ = σ_Born · 2 · (α/2π) · (α/3π) ∫ R(m) I(m) d ln m²   (two radiators) [nb].
 */
export function fourLeptonSpectrum(sqrtS: number, lepton: number): { crossSection: number; lnM2: Float64Array; cdf: Float64Array } {
  const n = 400;
  const a = Math.log(4 * MUON_MASS * MUON_MASS), b = Math.log(VIRTUAL_PHOTON_MASS_MAX ** 2);
  const lnM2 = new Float64Array(n + 1), cdf = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) lnM2[i] = a + ((b - a) * i) / n;
  for (let i = 0; i < n; i++) {
    const m = Math.exp(0.5 * (lnM2[i] + lnM2[i + 1]));
    cdf[i + 1] = cdf[i] + muPairSpectralFunction(m) * emissionIntegral(sqrtS, lepton, m) * (lnM2[i + 1] - lnM2[i]);
  }
  const total = cdf[n];
  for (let i = 0; i <= n; i++) cdf[i] /= total;
  const crossSection = bornPairCrossSection(sqrtS) * 2 * (ALPHA_EM / (2 * Math.PI)) * (ALPHA_EM / (3 * Math.PI)) * total;
  return { crossSection, lnM2, cdf };
}

/**
 * Probability that muon identification takes an electron for a muon, per track: an assumed round
 * number of the order of the e → μ fake rates of B-factory muon identification (docs: not a
 * measured Belle II figure); the tagged e⁺e⁻μ⁺μ⁻ events carry its square as weight.
 */
export const ELECTRON_AS_MUON = 0.005;

/** e⁺e⁻ → ℓ⁺ℓ⁻γ*, γ* → μ⁺μ⁻ (ℓ = μ or e) */
export class FourLeptonBackground extends RadiatedMuonPair {
  readonly genMass = NaN;
  readonly category: number;
  readonly name: string;
  /** σ of the generated region [nb] */
  readonly crossSection: number;
  private readonly emission: ZprimeSignal;
  private readonly lnM2: Float64Array;
  private readonly cdf: Float64Array;
  private readonly misId: number;

  constructor(sqrtS: number, readonly lepton: 'mu' | 'e') {
    super();
    const mass = lepton === 'mu' ? MUON_MASS : ELECTRON_MASS;
    this.category = lepton === 'mu' ? MUMU_CATEGORY.fourMuon : MUMU_CATEGORY.eeMuMu;
    this.name = lepton === 'mu' ? 'mumumumu' : 'eemumu_tagged';
    this.emission = new ZprimeSignal(1, undefined, mass);
    const spec = fourLeptonSpectrum(sqrtS, mass);
    this.lnM2 = spec.lnM2;
    this.cdf = spec.cdf;
    this.misId = lepton === 'mu' ? 1 : ELECTRON_AS_MUON * ELECTRON_AS_MUON;
    this.crossSection = spec.crossSection * this.misId;
  }

  /** a virtual-photon mass from the tabulated spectrum (inverse CDF, uniform in ln m² within a bin) */
  drawMass(rng: SimRng): number {
    const u = rng.u01();
    let lo = 0, hi = this.cdf.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] <= u) lo = mid;
      else hi = mid;
    }
    const f = (u - this.cdf[lo]) / (this.cdf[hi] - this.cdf[lo] || 1);
    return Math.exp(0.5 * (this.lnM2[lo] + f * (this.lnM2[hi] - this.lnM2[lo])));
  }

  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number {
    const m = this.drawMass(rng);
    if (m + 2 * this.emission.radiatorMass >= sqrtS) return 0;
    return radiateAndDecay(this.emission, rng, sqrtS, ev, m);
  }

  mumuNativeSettings(): MumuNativeSettings {
    return { ...emptyMumuSettings(this.category), radiatorMass: this.emission.radiatorMass, spectrumPoints: this.cdf.length, lnM2: this.lnM2, cdf: this.cdf };
  }
}

/**
 * e⁺e⁻ → γγ at lowest order (massless electrons): dσ/dcos θ = (2πα²/s)(1 + cos²θ)/(1 − cos²θ)
 * for one photon at θ, each event counted once (identical photons). Generated for |cos θ*| < c₀
 * (CM), the range in which both photons can give muons in the tracker: σ = (2πα²/s)(ln((1+c₀)/(1−c₀)) − c₀).
 */
export class PhotonConversionBackground implements MumuProcess {
  readonly category = MUMU_CATEGORY.conversion;
  readonly name = 'gamma_conversion';
  readonly genMass = NaN;
  readonly crossSection: number;
  readonly cosMax: number;
  readonly material: ConversionMaterial;
  private readonly atanhMax: number;
  private readonly ev = new Float64Array(TRUTH_LENGTH);
  private readonly boostOut = new Float64Array(1);
  private readonly layer = new Int32Array(1);
  private readonly draw: MuPairDraw = { x: 0, thetaPlus: 0, thetaMinus: 0, phiHalf2: 0 };

  constructor(det: DetectorConfig, layers: MaterialLayer[]) {
    const beams = nominalBeams(det);
    const margin = 0.1; // rad: the muons of a conversion fly within ~m_μ/(xE) ≪ 0.1 rad of the photon
    const toCm = (thetaLab: number): number => {
      const c = Math.cos(thetaLab);
      return (c - beams.beta) / (1 - beams.beta * c);
    };
    const hi = toCm(Math.max(0, det.muonThetaMin - margin)), lo = toCm(Math.min(Math.PI, det.muonThetaMax + margin));
    this.cosMax = Math.min(hi, -lo);
    this.atanhMax = Math.atanh(this.cosMax);
    const s = beams.sqrtS * beams.sqrtS;
    const c0 = this.cosMax;
    this.crossSection = ((2 * Math.PI * ALPHA_EM * ALPHA_EM) / s) * (Math.log((1 + c0) / (1 - c0)) - c0) * HBARC2_NB;
    this.material = new ConversionMaterial(layers);
  }

  generate(rng: SimRng, det: DetectorConfig, mu: Float64Array, vtx: Float64Array): number {
    const ev = this.ev;
    const sqrtS = sampleCollision(rng, det, ev, this.boostOut);
    const beta = this.boostOut[0], gamma = ev[0] / sqrtS;
    // cos θ* ∝ (1 + c²)/(1 − c²): c = tanh(u) (∝ 1/(1 − c²)), kept with probability (1 + c²)/2
    let c: number;
    do c = Math.tanh(this.atanhMax * (2 * rng.u01() - 1));
    while (2 * rng.u01() > 1 + c * c);
    azimuth(rng);
    const e = sqrtS / 2;
    setPolar(ev, SLOT_SCRATCH, 0, e, c, AZ[0], AZ[1]);
    set4(ev, SLOT_SCRATCH2, e, -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]);
    boostZ(ev, SLOT_SCRATCH, beta, gamma);
    boostZ(ev, SLOT_SCRATCH2, beta, gamma);
    const x0 = BEAM_SPOT_X * rng.normal(), z0 = BEAM_SPOT_Z * rng.normal();
    const w1 = this.convert(rng, ev, SLOT_SCRATCH, mu, 0, vtx, 0, x0, z0);
    if (!(w1 > 0)) return 0;
    const w2 = this.convert(rng, ev, SLOT_SCRATCH2, mu, 8, vtx, 3, x0, z0);
    return w1 * w2;
  }

  mumuNativeSettings(): MumuNativeSettings {
    return { ...emptyMumuSettings(this.category), atanhMax: this.atanhMax, ...this.material.nativeTables() };
  }

  /**
   * Converts the lab photon at ev[o] in the material: μ⁺ into mu[mo], μ⁻ into mu[mo + 4], the
   * conversion point into vtx[vo..vo+2]; returns the conversion probability (0 below threshold).
   */
  private convert(rng: SimRng, ev: Float64Array, o: number, mu: Float64Array, mo: number, vtx: Float64Array, vo: number, x0: number, z0: number): number {
    const e = ev[o];
    if (e <= MU_PAIR_THRESHOLD) return 0;
    const nx = ev[o + 1] / e, ny = ev[o + 2] / e, nz = ev[o + 3] / e;
    const sinT = Math.sqrt(nx * nx + ny * ny);
    const p = this.material.convert(e, sinT, rng.u01(), this.layer);
    if (!(p > 0)) return 0;
    const r = this.material.layers[this.layer[0]].radius;
    const path = r / sinT;
    vtx[vo] = x0 + path * nx; vtx[vo + 1] = path * ny; vtx[vo + 2] = z0 + path * nz;
    const c: BheConstants = this.material.constants[this.layer[0]];
    const d = this.draw;
    sampleMuPair(rng, c, e, d);
    const phi0 = 2 * Math.PI * rng.u01();
    placeMuon(mu, mo, d.x * e, d.thetaPlus, phi0 + 0.5 * d.phiHalf2, nx, ny, nz);
    placeMuon(mu, mo + 4, (1 - d.x) * e, d.thetaMinus, phi0 - 0.5 * d.phiHalf2 + Math.PI, nx, ny, nz);
    return p;
  }
}

/** a muon of energy E at polar angle θ (may be negative: the opposite azimuth) and azimuth φ about n̂ */
export function placeMuon(mu: Float64Array, o: number, E: number, theta: number, phi: number, nx: number, ny: number, nz: number): void {
  const p = Math.sqrt(Math.max(0, E * E - MUON_MASS * MUON_MASS));
  setAlong(mu, o, MUON_MASS, p, Math.cos(theta), Math.cos(phi) * Math.sign(theta || 1), Math.sin(phi) * Math.sign(theta || 1), nx, ny, nz);
}
