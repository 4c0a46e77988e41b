import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { backgroundProcesses, defaultDetector, fitGaussianCore, fitResolution, simulateTable } from '../../src/simulate/index.js';
import { generateCollision } from '../../src/simulate/process.js';
import { ZprimeSignal } from '../../src/simulate/signal.js';
import { FINAL_SLOTS, MUON_MASS, SLOT_INITIAL, SLOT_MU_MINUS, SLOT_MU_PLUS, TRUTH_LENGTH, mass2 } from '../../src/simulate/kinematics.js';
import { PUBLISHED_CROSS_SECTIONS_NB } from '../../src/simulate/backgrounds.js';
import type { EventTable } from '../../src/data/table.js';

const det = defaultDetector();

test('four-momentum is conserved before smearing (every process, lab frame, 1e-9)', () => {
  const gens = [new ZprimeSignal(0.3), new ZprimeSignal(4.2), new ZprimeSignal(8.6), ...backgroundProcesses(det)];
  const rng = new SimRng(new Rng(11));
  const ev = new Float64Array(TRUTH_LENGTH);
  const scratch = new Float64Array(2);
  for (const g of gens) {
    let made = 0;
    for (let i = 0; i < 3000; i++) {
      if (!(generateCollision(g, rng, det, ev, scratch) > 0)) continue;
      made++;
      for (let k = 0; k < 4; k++) {
        let sum = 0;
        for (const o of FINAL_SLOTS) sum += ev[o + k];
        assert.ok(Math.abs(sum - ev[SLOT_INITIAL + k]) < 1e-9, `${g.name}: component ${k} off by ${sum - ev[SLOT_INITIAL + k]}`);
      }
      for (const o of [SLOT_MU_PLUS, SLOT_MU_MINUS]) assert.ok(Math.abs(Math.sqrt(mass2(ev, o)) - MUON_MASS) < 1e-6, `${g.name}: muon off shell`);
    }
    assert.ok(made > 100, `${g.name}: only ${made} events`);
  }
});

function byCategory(t: EventTable, cat: number): Float32Array {
  const c = t.column('category');
  const m2 = t.column('M2');
  return Float32Array.from(m2.filter((_, i) => c[i] === cat));
}

test('signal recoil mass² peaks at m_Z′² (fitted mean within 1σ)', () => {
  const masses = [0.5, 2, 5, 8];
  const t = simulateTable({ seed: 3, zprimeMasses: masses, signalPerMass: 3000, backgroundLuminosity: 1000, targetLuminosity: 50, backgroundScale: 0 });
  const fit = fitResolution(t);
  assert.deepEqual(fit.map((p) => p.mass), masses);
  for (const p of fit) {
    assert.ok(Math.abs(p.mean - p.mass * p.mass) < p.sigma, `m=${p.mass}: mean ${p.mean} vs ${p.mass ** 2} (σ ${p.sigma})`);
    assert.ok(p.events > 500);
  }
});

test('background recoil shapes: μμγ near 0, ττ and eeμμ broad', () => {
  const t = simulateTable({
    seed: 5, zprimeMasses: [], signalPerMass: 0, backgroundLuminosity: 1000, targetLuminosity: 50,
    backgroundScale: { mumu_gamma: 0.3, tautau: 0.003, eemumu: 0.0002 },
  });
  const quant = (a: Float32Array, q: number): number => Float32Array.from(a).sort()[Math.floor(q * (a.length - 1))];
  const mumu = byCategory(t, 1), tau = byCategory(t, 2), ee = byCategory(t, 3);
  for (const [name, a] of [['mumu', mumu], ['tautau', tau], ['eemumu', ee]] as const) assert.ok(a.length > 200, `${name}: ${a.length} events`);
  const core = fitGaussianCore(mumu);
  assert.ok(Math.abs(core.mean) < 0.1 && core.sigma < 0.5, `μμγ core ${core.mean} ± ${core.sigma}`);
  assert.ok(quant(mumu, 0.05) > -1.5 && quant(mumu, 0.95) < 1.5, 'μμγ: 90 % within ±1.5 GeV²');
  for (const [name, a] of [['tautau', tau], ['eemumu', ee]] as const) {
    const iqr = quant(a, 0.75) - quant(a, 0.25);
    assert.ok(iqr > 8, `${name}: interquartile range ${iqr} GeV² is not broad`);
    assert.ok(quant(a, 0.5) > 10, `${name}: median ${quant(a, 0.5)}`);
  }
});

test('published cross-sections and the region cross-sections derived from them', () => {
  const [mumu, tau, ee] = backgroundProcesses(det) as unknown as Array<{ crossSection: number; regionCrossSection?: number; epaCrossSection?: number; normalisation?: number }>;
  // ττ → μμ: 0.919 nb × 0.1739²
  assert.ok(Math.abs(tau.crossSection - 0.919 * 0.1739 ** 2) < 1e-9);
  // hard ISR into the barrel: a few per cent of σ(μμ) = 1.148 nb
  const frac = (mumu.regionCrossSection as number) / PUBLISHED_CROSS_SECTIONS_NB.mumuGamma;
  assert.ok(frac > 0.005 && frac < 0.1, `μμγ region fraction ${frac}`);
  // the EPA reproduces the published 18.9 nb to within 35 % before normalisation
  const ratio = (ee.epaCrossSection as number) / 18.9;
  console.log(`  σ_μμγ(region) = ${((mumu.regionCrossSection as number) * 1e3).toFixed(1)} pb; σ_EPA(eeμμ, W>0.5) = ${(ee.epaCrossSection as number).toFixed(2)} nb vs 18.9 nb published`);
  assert.ok(ratio > 0.65 && ratio < 1.35, `EPA/published = ${ratio}`);
});
