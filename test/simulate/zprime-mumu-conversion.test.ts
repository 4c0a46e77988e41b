// The γγ-conversion background of `simulate --channel zprime-mumu`: the Bethe–Heitler μ-pair model
// (Burkhardt, Kelner, Kokoulin, CERN-SL-2002-016) against numeric integrations of its formulas, and
// the conversion radii against the material map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { defaultDetector } from '../../src/simulate/detector.js';
import {
  type MuPairDraw, betheHeitlerConstants, muPairCrossSection, muPairDsigmaDx, sampleMuPair,
} from '../../src/simulate/zprime-mumu/bethe-heitler.js';
import { ConversionMaterial, belle2MaterialMap, muPairPerRadiationLength } from '../../src/simulate/zprime-mumu/material.js';
import { PhotonConversionBackground, placeMuon } from '../../src/simulate/zprime-mumu/processes.js';

const MU = 0.1056583755, ME = 0.00051099895, ALPHA = 1 / 137.035999;
const RC = (2.8179403262e-13 * ME) / MU; // r_e m_e/m_μ [cm]
const SILICON = { Z: 14, A: 28.085 };

/** the paper's dσ/dx without 4αZ²r_c², written out again (eq. 6–8): B = 183, D_n = 1.54 A^0.27 */
function dsigmaDx(e: number, x: number, Z: number, A: number): number {
  const xpm = x * (1 - x);
  const dn = 1.54 * A ** 0.27, z3 = Z ** (-1 / 3);
  const wInf = (183 * z3 * MU) / (dn * ME);
  const delta = (MU * MU) / (2 * e * xpm);
  const W = (wInf * (1 + ((dn * Math.sqrt(Math.E) - 2) * delta) / MU)) / (1 + (183 * z3 * Math.sqrt(Math.E) * delta) / ME);
  return W > 1 ? (1 - (4 / 3) * xpm) * Math.log(W) : 0;
}

test('μ-pair cross-section: the total parametrisation equals ∫dσ/dx (paper eq. 6) within 1 %, and its high-energy limit (7/9)·4αZ²r_c² ln W_∞', () => {
  for (const e of [1, 5, 20, 1000]) {
    const sq = Math.sqrt(0.25 - MU / e), lo = 0.5 - sq, hi = 0.5 + sq, n = 20_000;
    let s = 0;
    for (let i = 0; i < n; i++) s += dsigmaDx(e, lo + ((hi - lo) * (i + 0.5)) / n, 14, 28.085);
    const integral = ((s * (hi - lo)) / n) * 4 * ALPHA * 196 * RC * RC;
    const sigma = muPairCrossSection(SILICON, e);
    assert.ok(Math.abs(sigma / integral - 1) < 0.01, `E = ${e} GeV: σ = ${sigma} cm², ∫dσ/dx = ${integral} cm²`);
  }
  // W_∞ = 183·14^(−1/3)·(m_μ/m_e)/(1.54·28.085^0.27) = 183·0.41491·206.768/3.7910 = 4141.6 (by hand)
  const limit = (7 / 9) * 4 * ALPHA * 196 * RC * RC * Math.log(4141.6);
  assert.ok(Math.abs(muPairCrossSection(SILICON, 1e7) / limit - 1) < 2e-3, `${muPairCrossSection(SILICON, 1e7)} vs ${limit}`);
  assert.equal(muPairCrossSection(SILICON, 0.4), 0); // below 4 m_μ
  // per radiation length at high energy: (7/9)(m_e/m_μ)² ln W_∞/ln(183 Z^−1/3)·(correction for X₀'s
  // Tsai form) ≈ 2.9·10⁻⁵ for silicon (N_A X₀/A σ); the 5 GeV value 4.0·10⁻⁶ of the docs
  const si = belle2MaterialMap()[1];
  const k5 = muPairPerRadiationLength(si, 5);
  assert.ok(k5 > 3.8e-6 && k5 < 4.2e-6, `k(5 GeV) = ${k5}`);
});

test('material: the tabulated k(E) matches the exact one; P(convert) = Σ (X/X₀)_i k_i(E)/sin θ', () => {
  const map = belle2MaterialMap();
  const mat = new ConversionMaterial(map);
  for (const e of [0.5, 1.3, 4.7, 7.9, 25]) {
    for (let i = 0; i < map.length; i++) {
      const exact = muPairPerRadiationLength(map[i], e);
      assert.ok(Math.abs(mat.perRadiationLength(i, e) / exact - 1) < 1e-3, `${map[i].name} at ${e} GeV`);
    }
  }
  const out = new Int32Array(1);
  const sinT = 0.8;
  const p = mat.convert(5, sinT, 0.5, out);
  const hand = map.reduce((s, l) => s + (l.x0Fraction / sinT) * muPairPerRadiationLength(l, 5), 0);
  assert.ok(Math.abs(p / hand - 1) < 1e-3);
  // ≈ 1.5·10⁻⁷ at normal incidence (docs): 0.8 % Be + 2×0.21 % + 4×0.57 % Si + 0.2 % C
  const normal = mat.convert(5, 1, 0.5, out);
  assert.ok(normal > 1.3e-7 && normal < 1.6e-7, `P = ${normal}`);
  assert.throws(() => new ConversionMaterial([{ ...map[0], radius: -1 }]), /layer 'beam pipe'/);
});

/** weighted quantiles of (value, weight) pairs */
function quantiles(v: Float64Array, w: Float64Array, qs: number[]): number[] {
  const idx = Array.from(v.keys()).sort((a, b) => v[a] - v[b]);
  let total = 0;
  for (const i of idx) total += w[i];
  const out: number[] = [];
  let acc = 0, q = 0;
  for (const i of idx) {
    acc += w[i];
    while (q < qs.length && acc >= qs[q] * total) {
      out.push(v[i]);
      q++;
    }
  }
  return out;
}

test('Bethe–Heitler sampler: x, the pair mass and the opening angle follow a numeric integration of the paper\'s density (E_γ = 5 GeV, Si)', () => {
  const E = 5;
  // --- numeric integration over x, t, ψ and v (ρ⁴ = C₂(e^{βv} − 1), v uniform ⇔ ρ⁴ ∝ 1/(C₂ + ρ⁴)) ---
  const sq = Math.sqrt(0.25 - MU / E), xLo = 0.5 - sq, xHi = 0.5 + sq;
  const NX = 30, NT = 160, NP = 16, NV = 16;
  const n = NX * NT * NP * NV;
  const mass = new Float64Array(n), open = new Float64Array(n), wt = new Float64Array(n);
  const a27 = 28.085 ** 0.27, z3 = 14 ** (-1 / 3);
  const xHist = new Float64Array(20);
  let k = 0;
  for (let ix = 0; ix < NX; ix++) {
    const x = xLo + ((xHi - xLo) * (ix + 0.5)) / NX, xpm = x * (1 - x);
    const wx = dsigmaDx(E, x, 14, 28.085);
    const c1 = ((0.2 * a27 * MU) / (E * 2 * xpm)) ** 2;
    const f1 = (t: number): number => (1 - 2 * xpm + 4 * xpm * t * (1 - t)) / (1 + c1 / (t * t)) ** 2;
    let n1 = 0;
    for (let it = 0; it < NT; it++) n1 += f1((it + 0.5) / NT);
    const Ep = x * E, Em = (1 - x) * E, pp = Math.sqrt(Ep * Ep - MU * MU), pm = Math.sqrt(Em * Em - MU * MU);
    for (let it = 0; it < NT; it++) {
      const t = (it + 0.5) / NT, wt1 = (wx * f1(t)) / n1;
      const g = 1 - 2 * xpm + 4 * xpm * t * (1 - t);
      const c2 = (4 / Math.sqrt(xpm)) * ((MU / (2 * E * xpm * t)) ** 2 + (ME / (183 * z3 * MU)) ** 2) ** 2;
      const rhoMax = (1.9 / a27) * (1 / t - 1);
      const beta = Math.log((c2 + rhoMax ** 4) / c2);
      const u = Math.sqrt(1 / t - 1);
      for (let ip = 0; ip < NP; ip++) {
        const psi = (2 * Math.PI * (ip + 0.5)) / NP;
        const f2 = (g + 4 * xpm * t * (1 - t) * Math.cos(2 * psi)) / (2 * Math.PI * g) * ((2 * Math.PI) / NP);
        for (let iv = 0; iv < NV; iv++) {
          const rho = (c2 * (Math.exp((beta * (iv + 0.5)) / NV) - 1)) ** 0.25;
          const tp = (MU * (u + 0.5 * rho * Math.cos(psi))) / (E * x), tm = (MU * (u - 0.5 * rho * Math.cos(psi))) / (E * (1 - x));
          const cosA = Math.cos(tp) * Math.cos(tm) - Math.sin(tp) * Math.sin(tm) * Math.cos((rho * Math.sin(psi)) / u);
          mass[k] = Math.sqrt(2 * MU * MU + 2 * (Ep * Em - pp * pm * cosA));
          open[k] = Math.acos(Math.min(1, cosA));
          wt[k] = (wt1 * f2) / NV;
          k++;
        }
      }
    }
  }
  for (let i = 0; i < 4000; i++) xHist[Math.floor(i / 200)] += dsigmaDx(E, xLo + ((xHi - xLo) * (i + 0.5)) / 4000, 14, 28.085);
  const qs = [0.1, 0.25, 0.5, 0.75, 0.9];
  const massQ = quantiles(mass, wt, qs), openQ = quantiles(open, wt, qs);

  // --- the sampler, muons built along a tilted photon ---
  const rng = new SimRng(new Rng(7));
  const c = betheHeitlerConstants(SILICON);
  const d: MuPairDraw = { x: 0, thetaPlus: 0, thetaMinus: 0, phiHalf2: 0 };
  const N = 100_000;
  const mcMass = new Float64Array(N), mcOpen = new Float64Array(N), ones = new Float64Array(N).fill(1);
  const mcX = new Float64Array(20);
  const v = new Float64Array(8);
  const nx = 0.6, ny = 0, nz = 0.8;
  for (let i = 0; i < N; i++) {
    sampleMuPair(rng, c, E, d);
    mcX[Math.min(19, Math.floor(((d.x - xLo) / (xHi - xLo)) * 20))]++;
    const phi0 = 2 * Math.PI * rng.u01();
    placeMuon(v, 0, d.x * E, d.thetaPlus, phi0 + 0.5 * d.phiHalf2, nx, ny, nz);
    placeMuon(v, 4, (1 - d.x) * E, d.thetaMinus, phi0 - 0.5 * d.phiHalf2 + Math.PI, nx, ny, nz);
    const e = v[0] + v[4], px = v[1] + v[5], py = v[2] + v[6], pz = v[3] + v[7];
    mcMass[i] = Math.sqrt(e * e - px * px - py * py - pz * pz);
    const dot = (v[1] * v[5] + v[2] * v[6] + v[3] * v[7]) / (Math.hypot(v[1], v[2], v[3]) * Math.hypot(v[5], v[6], v[7]));
    mcOpen[i] = Math.acos(Math.min(1, dot));
    assert.ok(Math.abs(e - E) < 1e-9, 'E₊ + E₋ = E_γ');
  }
  const mcMassQ = quantiles(mcMass, ones, qs), mcOpenQ = quantiles(mcOpen, ones, qs);
  for (let q = 0; q < qs.length; q++) {
    assert.ok(Math.abs(mcMassQ[q] / massQ[q] - 1) < 0.02, `m_μμ quantile ${qs[q]}: MC ${mcMassQ[q]} vs integral ${massQ[q]}`);
    assert.ok(Math.abs(mcOpenQ[q] / openQ[q] - 1) < 0.02, `opening-angle quantile ${qs[q]}: MC ${mcOpenQ[q]} vs integral ${openQ[q]}`);
  }
  // the median pair mass is a few m_μ (threshold 2m_μ = 0.211 GeV): the pair is light and collimated
  assert.ok(massQ[2] > 0.22 && massQ[2] < 0.6, `median m_μμ ${massQ[2]}`);
  // x: 20 bins against the integral, within 4σ (Poisson) each
  const xTot = xHist.reduce((s, h) => s + h, 0);
  for (let b = 0; b < 20; b++) {
    const expect = (N * xHist[b]) / xTot;
    assert.ok(Math.abs(mcX[b] - expect) < 4 * Math.sqrt(expect), `x bin ${b}: ${mcX[b]} vs ${expect.toFixed(0)}`);
  }
});

test('γγ conversions: the conversion radii follow the material map (X/X₀ per layer × k(E)/sin θ)', () => {
  const det = defaultDetector();
  const map = belle2MaterialMap();
  const gen = new PhotonConversionBackground(det, map);
  const rng = new SimRng(new Rng(3));
  const mu = new Float64Array(16), vtx = new Float64Array(6);
  const observed = new Float64Array(map.length), expected = new Float64Array(map.length);
  let converted = 0;
  for (let i = 0; i < 40_000; i++) {
    const w = gen.generate(rng, det, mu, vtx);
    assert.ok(w > 0 && w < 1e-12, `weight P₁P₂ = ${w}`);
    for (const [v, m] of [[0, 0], [3, 8]] as const) {
      const r = Math.hypot(vtx[v], vtx[v + 1]);
      let best = 0;
      for (let l = 1; l < map.length; l++) if (Math.abs(map[l].radius - r) < Math.abs(map[best].radius - r)) best = l;
      assert.ok(Math.abs(map[best].radius - r) < 0.01, `vertex at r = ${r} cm`);
      observed[best]++;
      // the photon's energy is the pair's; the share of each layer with the exact k(E) (sin θ cancels)
      const e = mu[m] + mu[m + 4];
      let sum = 0;
      for (const l of map) sum += l.x0Fraction * muPairPerRadiationLength(l, e);
      map.forEach((l, j) => (expected[j] += (l.x0Fraction * muPairPerRadiationLength(l, e)) / sum));
      converted++;
    }
  }
  let chi2 = 0;
  for (let l = 0; l < map.length; l++) chi2 += (observed[l] - expected[l]) ** 2 / expected[l];
  assert.ok(chi2 < 24, `χ² = ${chi2.toFixed(1)} for ${map.length} layers (observed ${[...observed]}, expected ${[...expected].map((x) => x.toFixed(0))})`);
  // same material: the four SVD layers against the two PXD layers go as 4 × 0.57 % : 2 × 0.21 % = 5.43
  const svd = observed[3] + observed[4] + observed[5] + observed[6], pxd = observed[1] + observed[2];
  assert.ok(Math.abs(svd / pxd / ((4 * 0.57) / (2 * 0.21)) - 1) < 0.06, `SVD/PXD = ${svd / pxd}`);
  assert.equal(converted, 80_000);
});
