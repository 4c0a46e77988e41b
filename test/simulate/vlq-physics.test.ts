// Physics of the VLQ generator and reconstruction (simulate --channel vlq): the neutrino p_z from
// the W-mass constraint, four-momentum conservation, the m_T^rec peak and its resolution, and the
// preselection applied to every accepted event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import {
  FINAL_SLOTS, SLOT_B, SLOT_L1, SLOT_L2, SLOT_L3, SLOT_NU, SLOT_P1, SLOT_P2, TOP_MASS, VLQ_TRUTH_LENGTH, W_MASS, generateBackground, generateSignal,
} from '../../src/simulate/vlq/generator.js';
import {
  RECO_DR_Z_J, RECO_FAT_JET_PT, RECO_LEAD_LEPTON_PT, RECO_LIGHT_JETS, RECO_MAX_LEPTON_ETA, RECO_MIN_LEPTON_PT, RECO_THIRD_IN_FAT_JET, RECO_Z_PT,
  VLQ_RECO_LENGTH, VLQ_SELECTION, VLQ_WORK_LENGTH, neutrinoPz, reconstructVlq,
} from '../../src/simulate/vlq/detector.js';

const mass2 = (v: Float64Array, slots: number[]): number => {
  let e = 0, x = 0, y = 0, z = 0;
  for (const o of slots) { e += v[o]; x += v[o + 1]; y += v[o + 2]; z += v[o + 3]; }
  return e * e - x * x - y * y - z * z;
};

test('neutrino p_z: a W at rest in x, boosted along z with β = 0.6, gives the double root p_z = γβ m_W/2 (hand derivation)', () => {
  // ℓ = (m/2)(γ, 1, 0, γβ), ν = (m/2)(γ, −1, 0, γβ): μ = m²/2 + p_Tℓ·p_Tν = m²/4, A = μ p_zℓ/p_Tℓ² = γβ m/2,
  // A² − (E_ℓ² p_Tν² − μ²)/p_Tℓ² = (m/2)²(γ²β² − γ² + 1) = 0: one solution, the true p_z.
  const m = W_MASS, beta = 0.6, gamma = 1.25, h = m / 2;
  const lep = Float64Array.from([gamma * h, h, 0, gamma * beta * h]);
  const out = new Float64Array(2);
  const disc = neutrinoPz(lep, 0, -h, 0, out);
  assert.ok(Math.abs(disc) < 1e-6, `discriminant ${disc}`);
  assert.ok(Math.abs(out[0] - gamma * beta * h) < 1e-6 && Math.abs(out[1] - gamma * beta * h) < 1e-6, `${out[0]} ${out[1]}`);
});

test('neutrino p_z: both solutions put (p_ℓ + p_ν)² on m_W², one of them the true p_z; an off-shell MET gives the real part', () => {
  const rng = new SimRng(new Rng(7));
  const ev = new Float64Array(VLQ_TRUTH_LENGTH), work = new Float64Array(4);
  const out = new Float64Array(2);
  for (let i = 0; i < 200; i++) {
    generateSignal(rng, 2000, 0, ev, work);
    const mW = Math.sqrt(mass2(ev, [SLOT_L3, SLOT_NU])); // the event's own (Breit–Wigner) W mass
    neutrinoPz(ev, SLOT_L3, ev[SLOT_NU + 1], ev[SLOT_NU + 2], out, mW);
    for (const pz of out) {
      const nu = Float64Array.from([Math.hypot(ev[SLOT_NU + 1], ev[SLOT_NU + 2], pz), ev[SLOT_NU + 1], ev[SLOT_NU + 2], pz]);
      const e = ev[SLOT_L3] + nu[0], x = ev[SLOT_L3 + 1] + nu[1], y = ev[SLOT_L3 + 2] + nu[2], z = ev[SLOT_L3 + 3] + nu[3];
      assert.ok(Math.abs(Math.sqrt(e * e - x * x - y * y - z * z) - mW) < 1e-3 * mW, `event ${i}: m(ℓν) with p_z ${pz}`);
    }
    const near = Math.min(Math.abs(out[0] - ev[SLOT_NU + 3]), Math.abs(out[1] - ev[SLOT_NU + 3]));
    assert.ok(near < 1e-4 * Math.max(1, Math.abs(ev[SLOT_NU + 3])) + 1e-3, `event ${i}: true p_z ${ev[SLOT_NU + 3]}, solutions ${out[0]}, ${out[1]}`);
  }
  // MET of 300 GeV against a 50 GeV lepton, back to back: m_T > m_W, no real solution → p_z = A
  const lep = Float64Array.from([Math.hypot(50, 20), 50, 0, 20]);
  const disc = neutrinoPz(lep, 0, -300, 0, out);
  assert.ok(disc < 0);
  const mu = (W_MASS * W_MASS) / 2 - 50 * 300;
  assert.ok(Math.abs(out[0] - (mu * 20) / 2500) < 1e-9 && out[0] === out[1]);
});

test('generator: four-momentum is conserved (Σ final = p₁ + p₂), x₁,₂ < 1, the decay chain is on its masses', () => {
  const rng = new SimRng(new Rng(3));
  const ev = new Float64Array(VLQ_TRUTH_LENGTH), work = new Float64Array(4);
  for (let i = 0; i < 400; i++) {
    const signal = i % 2 === 0;
    const generated = signal ? generateSignal(rng, 1000 + 200 * (i % 28), 0.01 * (1000 + 200 * (i % 28)), ev, work) : 800 + 10 * (i % 500);
    if (!signal) generateBackground(rng, generated, ev, work);
    for (let k = 0; k < 4; k++) {
      let sum = 0;
      for (const o of FINAL_SLOTS) sum += ev[o + k];
      const initial = ev[SLOT_P1 + k] + ev[SLOT_P2 + k];
      assert.ok(Math.abs(sum - initial) < 1e-9 * ev[SLOT_P1] + 1e-9, `event ${i} component ${k}: ${sum} vs ${initial}`);
    }
    assert.ok(ev[SLOT_P1] < 7000 && ev[SLOT_P2] < 7000 && ev[SLOT_P1] > 0 && ev[SLOT_P2] > 0);
    // the heavy system: m(ℓℓ ℓν b) = m_T (signal) or m_ZWj (background)
    const heavy = Math.sqrt(mass2(ev, [SLOT_L1, SLOT_L2, SLOT_L3, SLOT_NU, SLOT_B]));
    assert.ok(Math.abs(heavy - generated) < 1e-6 * generated, `event ${i}: ${heavy} vs ${generated}`);
    if (signal) assert.ok(Math.abs(Math.sqrt(mass2(ev, [SLOT_L3, SLOT_NU, SLOT_B])) - TOP_MASS) < 1e-6, `event ${i}: top mass`);
    const mW = Math.sqrt(mass2(ev, [SLOT_L3, SLOT_NU])), mZ = Math.sqrt(mass2(ev, [SLOT_L1, SLOT_L2]));
    assert.ok(mW >= 60 - 1e-6 && mW <= 100 + 1e-6 && mZ >= 60 - 1e-6 && mZ <= 120 + 1e-6, `event ${i}: m_W ${mW}, m_Z ${mZ}`);
  }
});

/** m_T^rec of accepted signal events at one mass */
function reconstructedMasses(mT: number, events: number, seed: number): number[] {
  const rng = new SimRng(new Rng(seed));
  const ev = new Float64Array(VLQ_TRUTH_LENGTH), scratch = new Float64Array(4), work = new Float64Array(VLQ_WORK_LENGTH), out = new Float64Array(VLQ_RECO_LENGTH);
  const m: number[] = [];
  while (m.length < events) {
    generateSignal(rng, mT, 0.01 * mT, ev, scratch);
    if (reconstructVlq(rng, ev, rng.u01() < 0.5 ? 0 : 1, rng.u01() < 0.5 ? 0 : 1, out, work)) m.push(out[0]);
  }
  return m.sort((a, b) => a - b);
}

test('m_T^rec peaks at the generated m_T: median within 1 %, half the central 68 % between 1.5 % and 4.5 % of m_T (docs/vlq-simulation.md table)', () => {
  for (const mT of [1000, 3000, 6400]) {
    const m = reconstructedMasses(mT, 3000, mT);
    const q = (p: number): number => m[Math.floor(p * (m.length - 1))];
    const median = q(0.5), halfWidth = (q(0.84) - q(0.16)) / 2;
    assert.ok(Math.abs(median / mT - 1) < 0.01, `m_T = ${mT}: median m_T^rec ${median.toFixed(0)}`);
    assert.ok(halfWidth / mT > 0.015 && halfWidth / mT < 0.045, `m_T = ${mT}: σ68/m_T = ${(halfWidth / mT).toFixed(4)}`);
  }
});

test('preselection: every accepted event has 3 leptons ≥ 25 GeV in |η| < 2.5 (leading > 40), p_T^Z > 60, fat jet > 80 holding ℓ3, a light jet, ΔR(Z, J) ≥ 1', () => {
  const rng = new SimRng(new Rng(11));
  const ev = new Float64Array(VLQ_TRUTH_LENGTH), scratch = new Float64Array(4), work = new Float64Array(VLQ_WORK_LENGTH), out = new Float64Array(VLQ_RECO_LENGTH);
  const S = VLQ_SELECTION;
  let accepted = 0, tried = 0;
  for (let i = 0; i < 6000; i++) {
    if (i % 2 === 0) generateSignal(rng, 1000 + 400 * (i % 14), 0.01 * (1000 + 400 * (i % 14)), ev, scratch);
    else generateBackground(rng, 800 + 5 * (i % 1000), ev, scratch);
    tried++;
    if (!reconstructVlq(rng, ev, i % 3 === 0 ? 0 : 1, i % 5 === 0 ? 0 : 1, out, work)) continue;
    accepted++;
    assert.ok(out[RECO_MIN_LEPTON_PT] >= S.leptonPt && out[RECO_LEAD_LEPTON_PT] > S.leadingLeptonPt && out[RECO_MAX_LEPTON_ETA] < S.leptonEta);
    assert.ok(out[RECO_Z_PT] > S.zPt && out[RECO_FAT_JET_PT] > S.fatJetPt && out[RECO_THIRD_IN_FAT_JET] < S.fatJetRadius);
    assert.ok(out[RECO_LIGHT_JETS] >= 1 && out[RECO_DR_Z_J] >= S.zFatJetDeltaR);
    assert.ok(out[2] >= S.leptonPt && out[1] >= out[2] && out[4] >= 0 && out[4] <= Math.PI && Number.isInteger(out[5]) && out[5] <= out[RECO_LIGHT_JETS]);
  }
  assert.ok(accepted > 0.2 * tried && accepted < tried, `accepted ${accepted} of ${tried}`);
});
