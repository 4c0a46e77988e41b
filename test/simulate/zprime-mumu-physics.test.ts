// `simulate --channel zprime-mumu`: four-momentum conservation of the generators, the signal's
// dimuon peak, the candidate rows (pairings, order, features) and determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { defaultDetector } from '../../src/simulate/detector.js';
import { generateCollision } from '../../src/simulate/process.js';
import { ELECTRON_MASS, MUON_MASS, TRUTH_LENGTH } from '../../src/simulate/kinematics.js';
import { FourLeptonBackground, ZprimeToMuonsSignal, bornPairCrossSection } from '../../src/simulate/zprime-mumu/processes.js';
import { defaultMumuSimulationConfig, simulateMumuEvents, simulateMumuTable, type MumuSimulationConfig } from '../../src/simulate/zprime-mumu/index.js';
import { fitGaussianCore } from '../../src/simulate/resolution.js';

const mass = (v: Float64Array, o: number): number => Math.sqrt(Math.max(0, v[o] ** 2 - v[o + 1] ** 2 - v[o + 2] ** 2 - v[o + 3] ** 2));

test('generators conserve four-momentum: ℓ⁺ℓ⁻ + μ⁺μ⁻ = the colliding beams; the Z′ pair has the generated mass', () => {
  const det = defaultDetector();
  const rng = new SimRng(new Rng(11));
  const ev = new Float64Array(TRUTH_LENGTH), scratch = new Float64Array(2);
  const slots = [4, 8, 16, 20]; // recoil ℓ⁺, ℓ⁻; the vector's μ⁺, μ⁻
  for (const [gen, lepton, zMass] of [
    [new ZprimeToMuonsSignal(2.5), MUON_MASS, 2.5], [new FourLeptonBackground(10.58, 'mu'), MUON_MASS, NaN], [new FourLeptonBackground(10.58, 'e'), ELECTRON_MASS, NaN],
  ] as const) {
    for (let i = 0; i < 2000; i++) {
      assert.ok(generateCollision(gen, rng, det, ev, scratch) > 0);
      for (let j = 0; j < 4; j++) {
        const sum = slots.reduce((s, o) => s + ev[o + j], 0);
        assert.ok(Math.abs(sum - ev[j]) < 1e-9 * ev[0], `${gen.name}: component ${j}: ${sum} vs ${ev[j]}`);
      }
      assert.ok(Math.abs(mass(ev, 4) - lepton) < 1e-6 && Math.abs(mass(ev, 16) - MUON_MASS) < 1e-6 && Math.abs(mass(ev, 20) - MUON_MASS) < 1e-6);
      if (!Number.isNaN(zMass)) {
        const z = new Float64Array(4);
        for (let j = 0; j < 4; j++) z[j] = ev[16 + j] + ev[20 + j];
        assert.ok(Math.abs(mass(z, 0) - zMass) < 1e-9, `m(μ⁺μ⁻) = ${mass(z, 0)}`);
      }
    }
  }
});

test('four-lepton cross-sections: σ_Born(e⁺e⁻ → μ⁺μ⁻) = 4πα²/3s = 0.776 nb at 10.58 GeV; eeμμ (tagged) ≪ μμμμ', () => {
  // 4π/3 · (1/137.036)² · 0.38938 mb·GeV² / 10.58² GeV² = 0.7757 nb (by hand)
  assert.ok(Math.abs(bornPairCrossSection(10.58) - 0.7757) < 1e-3);
  const mu = new FourLeptonBackground(10.58, 'mu'), e = new FourLeptonBackground(10.58, 'e');
  // α/2π · α/3π · 2 · ∫R·I ≈ 3·10⁻⁵ of σ_Born (docs: ≈ 26 fb). The radiator's mass hardly matters
  // (the γ* mass ≥ 2m_μ cuts the collinear logarithm, not m_ℓ): eeγ* is within 0–10 % of μμγ*, and the
  // tagged electrons must both pass as muons (0.5 %² = 2.5·10⁻⁵)
  assert.ok(mu.crossSection > 1e-5 && mu.crossSection < 1e-4, `σ(μμμμ) = ${mu.crossSection} nb`);
  const ratio = e.crossSection / 2.5e-5 / mu.crossSection;
  assert.ok(ratio > 1 && ratio < 1.1, `σ(eeγ*)/σ(μμγ*) = ${ratio}`);
});

const SMALL: MumuSimulationConfig = {
  ...defaultMumuSimulationConfig(), zprimeMasses: [1, 4], signalPerMass: 6000, fourMuonEvents: 6000, eeMuMuEvents: 2000, conversionEvents: 3000,
};

test('signal: the dimuon peak sits at the generated mass with the detector resolution (σ_m/m 0.15–0.6 %)', () => {
  const t = simulateMumuTable({ ...SMALL, fourMuonEvents: 0, eeMuMuEvents: 0, conversionEvents: 0 });
  const M = t.column('M'), gen = t.column('gen_mass');
  for (const m of [1, 4]) {
    // the candidate nearest the generated mass in each event (rows come in fours)
    const nearest: number[] = [];
    for (let i = 0; i < t.length; i += 4) {
      if (gen[i] !== m) continue;
      let best = M[i];
      for (let k = 1; k < 4; k++) if (Math.abs(M[i + k] - m) < Math.abs(best - m)) best = M[i + k];
      nearest.push(best - m);
    }
    const fit = fitGaussianCore(nearest);
    // hand estimate: σ_p/p ≈ 0.12 %·p_T ⊕ 0.25 % ≈ 0.3 % for 1–3 GeV muons, m ∝ √(p₁p₂): σ_m/m ≈ 0.3 %/√2 ≈ 0.2 %,
    // plus the opening-angle term (1 mrad ⊕ 1 mrad/p): 0.15–0.6 %
    assert.ok(Math.abs(fit.mean) < 0.2 * fit.sigma, `m = ${m}: peak offset ${fit.mean}`);
    assert.ok(fit.sigma / m > 0.0015 && fit.sigma / m < 0.006, `m = ${m}: σ_m = ${fit.sigma}`);
  }
});

test('rows: four candidates per event (each opposite-sign pairing), μ⁺ then μ⁻ by energy, M = m(μ⁺_i μ⁻_j) of the written four-vectors', () => {
  const t = simulateMumuTable(SMALL);
  assert.equal(t.length % 4, 0);
  const col = (n: string): Float32Array => t.column(n);
  const pairing = col('pairing'), M = col('M'), cat = col('category');
  const v = ['mu_p1', 'mu_p2', 'mu_m1', 'mu_m2'].map((p) => ['E', 'px', 'py', 'pz'].map((c) => col(`${p}_${c}`)));
  const seen = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    assert.equal(pairing[i], i % 4);
    seen.add(cat[i]);
    assert.ok(v[0][0][i] >= v[1][0][i] && v[2][0][i] >= v[3][0][i], 'highest-energy μ⁺ first, then μ⁻');
    const a = v[pairing[i] >> 1], b = v[2 + (pairing[i] & 1)];
    const E = a[0][i] + b[0][i], px = a[1][i] + b[1][i], py = a[2][i] + b[2][i], pz = a[3][i] + b[3][i];
    const m = Math.sqrt(Math.max(0, E * E - px * px - py * py - pz * pz));
    assert.ok(Math.abs(m - M[i]) < 2e-3 * Math.max(1, M[i]), `row ${i}: M ${M[i]} vs ${m}`);
    if (i % 4 === 0) {
      // the features of pairing k describe the pair that pairing 3 − k calls the recoil
      const zp = ['zp_dr', 'zp_d0', 'zp_z0'].map(col), rec = ['rec_dr', 'rec_d0', 'rec_z0'].map(col);
      for (let k = 0; k < 4; k++) for (let f = 0; f < 3; f++) assert.equal(zp[f][i + k], rec[f][i + 3 - k]);
    }
  }
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  // prompt signal vertices vs displaced conversions: the median Z′-candidate dr
  const dr = col('zp_dr');
  const median = (c: number): number => {
    const x = [...dr].filter((_, i) => cat[i] === c).sort((p, q) => p - q);
    return x[x.length >> 1];
  };
  assert.ok(median(0) < 0.01, `signal median dr ${median(0)} cm`);
  assert.ok(median(3) > 1, `conversion median dr ${median(3)} cm (beam pipe at 1 cm, SVD at 3.9–13.5 cm)`);
});

test('same seed, same rows whatever the chunk size; bad settings name the setting', () => {
  const cfg = { ...SMALL, zprimeMasses: [2], signalPerMass: 1500, fourMuonEvents: 1500, eeMuMuEvents: 500, conversionEvents: 800 };
  const a = [...simulateMumuEvents({ ...cfg, chunkSize: 1000 })], b = [...simulateMumuEvents({ ...cfg, chunkSize: 65_536 })];
  const join = (chunks: Map<string, Float32Array>[], n: string): number[] => chunks.flatMap((c) => [...(c.get(n) as Float32Array)]);
  for (const n of ['M', 'weights', 'zp_dr', 'rec_cm_energy', 'zp_pt_max', 'mu_m2_pz']) assert.deepEqual(join(a, n), join(b, n), n);
  assert.throws(() => simulateMumuTable({ ...cfg, zprimeMasses: [11] }), /zprimeMasses/);
  assert.throws(() => simulateMumuTable({ ...cfg, fourMuonEvents: -1 }), /fourMuonEvents/);
});
