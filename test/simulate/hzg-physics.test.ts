// Physics of the built-in H → Zγ → ℓℓγ data set (src/simulate/hzg): kinematics, the decay-angle
// distributions against their formulas, the H peak, the Zγ spectrum, weights and efficiencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { fitGaussianCore } from '../../src/simulate/resolution.js';
import {
  COS_THETA_MAX, type DecayAngles, HZG_TRUTH_LENGTH, buildEvent, drawSignalAngles, drawZgammaAnglesAt, zgammaAngularDensity,
} from '../../src/simulate/hzg/generator.js';
import { measureDecayAngles } from '../../src/simulate/hzg/detector.js';
import { defaultHzgSimulationConfig, generateHzgTruth, planHzgJobs, simulateHzgTable, type HzgSimulationConfig } from '../../src/simulate/hzg/index.js';

const angles = (): DecayAngles => ({ sHat: 0, mll: 0, cosTheta: 0, cosLepton: 0, phi: 0 });
const m2 = (v: Float64Array, o: number): number => v[o] ** 2 - v[o + 1] ** 2 - v[o + 2] ** 2 - v[o + 3] ** 2;

test('four-momentum: m_ℓℓγ = √ŝ, m_ℓℓ as drawn, massless leptons and photon (every process, lab frame, 1e-9)', () => {
  const cfg: HzgSimulationConfig = { ...defaultHzgSimulationConfig(), signalEvents: 2000, backgroundEvents: 4000, fsrFraction: 0.5 };
  const ev = new Float64Array(HZG_TRUTH_LENGTH), a = angles();
  for (const job of planHzgJobs(cfg)) {
    const rng = new SimRng(job.rng);
    for (let i = 0; i < 1000; i++) {
      generateHzgTruth(job, rng, a, ev);
      const tot = new Float64Array(4);
      for (let o = 0; o < 12; o += 4) {
        for (let k = 0; k < 4; k++) tot[k] += ev[o + k];
        assert.ok(Math.abs(m2(ev, o)) < 1e-9 * ev[o] ** 2, `category ${job.category}: particle at ${o} off shell`);
      }
      assert.ok(Math.abs(Math.sqrt(m2(tot, 0)) - Math.sqrt(a.sHat)) < 1e-9 * Math.sqrt(a.sHat), `category ${job.category}: m_ℓℓγ ≠ √ŝ`);
      const ll = Float64Array.from({ length: 4 }, (_, k) => ev[k] + ev[4 + k]);
      assert.ok(Math.abs(Math.sqrt(m2(ll, 0)) - a.mll) < 1e-9 * a.mll, `category ${job.category}: m_ℓℓ`);
    }
  }
});

test('the measured decay angles give back the generated ones (p_T = 0: exact, up to the quark-axis sign)', () => {
  const rng = new SimRng(new Rng(3));
  const ev = new Float64Array(HZG_TRUTH_LENGTH), work = new Float64Array(16), out = new Float64Array(17), a = angles();
  const shape = { ptScale: 0, ptPower: 2.5, rapidityWidth: 1.5 };
  let flipped = 0;
  for (let i = 0; i < 2000; i++) {
    drawZgammaAnglesAt(rng, 150 ** 2, 91.2, a);
    buildEvent(rng, a, shape, ev);
    measureDecayAngles(ev, work, out);
    assert.ok(Math.abs(out[10] - a.cosLepton) < 1e-9, `cos θ ${out[10]} vs ${a.cosLepton}`);
    // the quark may come from the other beam: then Θ → π − Θ and φ → φ + π
    const same = Math.abs(out[9] - a.cosTheta) < 1e-9;
    if (!same) flipped++;
    assert.ok(same || Math.abs(out[9] + a.cosTheta) < 1e-9, `cos Θ ${out[9]} vs ${a.cosTheta}`);
    const dphi = out[11] - a.phi + (same ? 0 : Math.PI);
    assert.ok(Math.abs(Math.sin(dphi)) < 1e-9 && Math.cos(dphi) > 0, `φ ${out[11]} vs ${a.phi}`);
  }
  assert.ok(flipped > 100 && flipped < 1000, `quark against the system's motion in ${flipped} of 2000`);
});

test('signal H → Zγ: cos Θ flat, cos θ ∝ 1 + cos²θ, φ flat (moments within 4σ)', () => {
  const rng = new SimRng(new Rng(5));
  const a = angles();
  const n = 200_000;
  let cT2 = 0, cl2 = 0, c2phi = 0;
  for (let i = 0; i < n; i++) {
    drawSignalAngles(rng, a);
    cT2 += a.cosTheta ** 2;
    cl2 += a.cosLepton ** 2;
    c2phi += Math.cos(2 * a.phi);
  }
  // flat: ⟨c²⟩ = 1/3 (σ of c² = √(1/5 − 1/9)); 1 + c²: ⟨c²⟩ = (2/3 + 2/5)/(2 + 2/3) = 2/5; ⟨cos 2φ⟩ = 0 (σ 1/√2)
  const tol = (sd: number): number => (4 * sd) / Math.sqrt(n);
  assert.ok(Math.abs(cT2 / n - 1 / 3) < tol(Math.sqrt(1 / 5 - 1 / 9)), `⟨cos²Θ⟩ ${cT2 / n}`);
  assert.ok(Math.abs(cl2 / n - 2 / 5) < tol(0.3), `⟨cos²θ⟩ ${cl2 / n}`);
  assert.ok(Math.abs(c2phi / n) < tol(Math.SQRT1_2), `⟨cos 2φ⟩ ${c2phi / n}`);
});

test('𝒢₁ integrated over θ, φ is the textbook LO qq̄ → Zγ dσ/dcos Θ ∝ (t² + u² + 2ŝm²)/(tu)', () => {
  // t = −(ŝ − m²)(1 − c)/2, u = −(ŝ − m²)(1 + c)/2 (massless quarks; e.g. Brown & Mikaelian 1979)
  const sHat = 140 ** 2, m = 91.19;
  const lo = (c: number): number => {
    const t = (-(sHat - m * m) * (1 - c)) / 2, u = (-(sHat - m * m) * (1 + c)) / 2;
    return (t * t + u * u + 2 * sHat * m * m) / (t * u);
  };
  const integrated = (c: number): number => {
    const N = 200;
    let s = 0;
    for (let i = 0; i < N; i++) {
      const cl = -1 + (2 * (i + 0.5)) / N;
      for (let j = 0; j < N; j++) s += zgammaAngularDensity(sHat, m, c, cl, -Math.PI + (2 * Math.PI * (j + 0.5)) / N);
    }
    return s;
  };
  const ref = integrated(0) / lo(0);
  for (const c of [-0.9, -0.5, 0.3, 0.7, 0.95]) {
    const r = integrated(c) / lo(c) / ref;
    assert.ok(Math.abs(r - 1) < 1e-4, `cos Θ = ${c}: ratio ${r}`);
  }
});

test('the Zγ angle sampler follows 𝒢₁: moments against a quadrature of the formula', () => {
  const sHat = 150 ** 2, m = 91.19;
  // quadrature of 𝒢₁ over |cos Θ| < COS_THETA_MAX, cos θ, φ (midpoint in u = atanh cos Θ to resolve the 1/sin²Θ rise)
  const N = 120;
  const h = Math.atanh(COS_THETA_MAX);
  let z = 0, cT2 = 0, cl2 = 0, c2phi = 0, cphiMix = 0;
  for (let i = 0; i < N; i++) {
    const cT = Math.tanh(-h + (2 * h * (i + 0.5)) / N);
    const jac = 1 - cT * cT; // dc = (1 − c²) du
    for (let j = 0; j < N; j++) {
      const cl = -1 + (2 * (j + 0.5)) / N;
      for (let k = 0; k < N; k++) {
        const phi = -Math.PI + (2 * Math.PI * (k + 0.5)) / N;
        const g = zgammaAngularDensity(sHat, m, cT, cl, phi) * jac;
        z += g; cT2 += g * cT * cT; cl2 += g * cl * cl; c2phi += g * Math.cos(2 * phi);
        cphiMix += g * Math.sign(cT * cl) * Math.cos(phi);
      }
    }
  }
  const rng = new SimRng(new Rng(9));
  const a = angles();
  const n = 200_000;
  let sT2 = 0, sl2 = 0, s2phi = 0, sMix = 0;
  for (let i = 0; i < n; i++) {
    drawZgammaAnglesAt(rng, sHat, m, a);
    sT2 += a.cosTheta ** 2; sl2 += a.cosLepton ** 2; s2phi += Math.cos(2 * a.phi);
    sMix += Math.sign(a.cosTheta * a.cosLepton) * Math.cos(a.phi);
  }
  const check = (what: string, sample: number, expect: number): void =>
    assert.ok(Math.abs(sample / n - expect / z) < 4 * 0.7 / Math.sqrt(n), `${what}: sample ${sample / n} vs 𝒢₁ ${expect / z}`);
  check('⟨cos²Θ⟩', sT2, cT2);
  check('⟨cos²θ⟩', sl2, cl2);
  check('⟨cos 2φ⟩', s2phi, c2phi);
  check('⟨sign(cos Θ cos θ) cos φ⟩', sMix, cphiMix);
  // and the background differs from the signal where it should: Zγ peaks forward in Θ
  assert.ok(cT2 / z > 0.5, `Zγ ⟨cos²Θ⟩ = ${cT2 / z} (flat: 1/3)`);
});

const table = simulateHzgTable({ ...defaultHzgSimulationConfig(), seed: 7, signalEvents: 30_000, backgroundEvents: 300_000 });
const cat = table.column('category'), mass = table.column('llg_mass'), w = table.column('weight'), nGen = table.column('n_gen');

test('H peak at 125 GeV with a 1–3 GeV resolution (Gaussian core fit)', () => {
  const sig = mass.filter((_, i) => cat[i] === 0);
  const core = fitGaussianCore(sig);
  // hand estimate: objects of 30–60 GeV at 1.1–2.5 % each, mass shares ≈ (0.38, 0.38, 0.23): σ_m/m ≈ 0.8–1.6 %
  assert.ok(Math.abs(core.mean - 125) < 0.2, `peak ${core.mean}`);
  assert.ok(core.sigma > 1 && core.sigma < 3, `σ ${core.sigma} GeV`);
  console.log(`  H peak ${core.mean.toFixed(2)} GeV, σ ${core.sigma.toFixed(2)} GeV (${core.events} events)`);
});

test('Zγ m_ℓℓγ spectrum: turn-on below 125 GeV, then falling in every 10 GeV bin to 180', () => {
  const h = new Float64Array(8); // 100–180 in 10 GeV bins
  for (let i = 0; i < mass.length; i++) if (cat[i] > 0) h[Math.min(7, Math.floor((mass[i] - 100) / 10))] += w[i];
  const peak = h.indexOf(Math.max(...h));
  assert.ok(peak <= 2, `peak bin ${100 + 10 * peak} GeV`);
  assert.ok(h[0] < h[peak], 'a turn-on at 100–110 GeV (p_T^γ/m and m_ℓℓγ + m_ℓℓ cuts)');
  for (let b = peak + 1; b < 8; b++) assert.ok(h[b] < h[b - 1], `bin ${100 + 10 * b} GeV does not fall: ${[...h].map((x) => x.toFixed(0))}`);
  assert.ok(h[7] / h[peak] > 0.1 && h[7] / h[peak] < 0.5, `170–180 / peak = ${h[7] / h[peak]}`);
});

test('weights: σ·L/N_gen per process (w · n_gen = σ·L), selected sums = σ·L·ε, efficiencies plausible', () => {
  const L = 138;
  const sigma = [7.52, 55_500 * 0.85, 55_500 * 0.15]; // fb; ISR/FSR share of the generated phase space
  const sums = [0, 0, 0], counts = [0, 0, 0];
  for (let i = 0; i < cat.length; i++) {
    const c = cat[i];
    sums[c] += w[i];
    counts[c]++;
    assert.ok(Math.abs((w[i] * nGen[i]) / (sigma[c] * L) - 1) < 1e-6, `event ${i}: w·n_gen ≠ σL`);
  }
  const effSignal = counts[0] / 30_000;
  const effBackground = (counts[1] + counts[2]) / 300_000;
  // Σ w = σL·N_sel/N_gen exactly (all weights of a process equal)
  assert.ok(Math.abs(sums[0] - 7.52 * L * effSignal) < 1e-3 * sums[0]);
  // hand estimate of the signal acceptance: |η| < 2.4–2.5 for three objects from a central-ish ggF H
  // (≈ 0.75), p_T^ℓ2 > 15 GeV for Z leptons (≈ 0.85), p_T^γ/m > 0.136 ⇔ sin Θ* > 0.58 at rest (≈ 0.8):
  // ≈ 0.5; identification efficiencies (not modelled) bring the analyses' ≈ 0.3 (CMS, JHEP 05 (2023) 233)
  assert.ok(effSignal > 0.3 && effSignal < 0.6, `signal efficiency ${effSignal}`);
  // the background is generated from m_ℓℓγ = 95 GeV with soft photons: most fail p_T^γ/m or m_ℓℓγ + m_ℓℓ
  assert.ok(effBackground > 0.03 && effBackground < 0.3, `background efficiency ${effBackground}`);
  assert.ok(counts[2] < 0.1 * counts[1], `FSR (${counts[2]}) mostly removed by m_ℓℓγ + m_ℓℓ > 185 GeV`);
  console.log(`  ε(H→Zγ) = ${effSignal.toFixed(3)}, ε(Zγ) = ${effBackground.toFixed(3)}; S = ${sums[0].toFixed(0)}, B = ${(sums[1] + sums[2]).toFixed(0)} at 138 fb⁻¹`);
});

test('per-feature separation directions (weighted means in the 120–130 GeV window)', () => {
  const mean = (name: string, signal: boolean, f: (x: number) => number = (x) => x): number => {
    const x = table.column(name);
    let s = 0, sw = 0;
    for (let i = 0; i < x.length; i++) {
      if ((cat[i] === 0) !== signal || !(mass[i] > 120 && mass[i] < 130)) continue;
      s += w[i] * f(x[i]);
      sw += w[i];
    }
    return s / sw;
  };
  // ggF H is harder in p_T than qq̄ → Zγ (gluon ISR): larger p_T^ℓℓγ/m and p_Tt
  assert.ok(mean('llg_pt_over_mass', true) > 1.1 * mean('llg_pt_over_mass', false));
  assert.ok(mean('llg_ptt', true) > 1.1 * mean('llg_ptt', false));
  // spin 0: flat cos Θ; Zγ peaks forward (𝒢₁ ∝ 1/sin²Θ)
  assert.ok(mean('cos_Theta', true, (x) => x * x) < mean('cos_Theta', false, (x) => x * x));
  // transverse Z in H → Zγ (1 + cos²θ) vs the Zγ mixture with longitudinal Z (sin²θ)
  assert.ok(mean('cos_theta', true, (x) => x * x) > mean('cos_theta', false, (x) => x * x));
  // a central photon carries more p_T: Zγ's forward Θ gives lower p_T^γ/m at the same m_ℓℓγ
  assert.ok(mean('photon_pt_over_mass', true) > mean('photon_pt_over_mass', false));
  // lepton flavour: e and μ equally in both (B(Z → ee) = B(Z → μμ)); acceptance differs by |η| < 2.5 vs 2.4 only
  assert.ok(Math.abs(mean('lep_flavour', true) - mean('lep_flavour', false)) < 0.05);
});
