import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { backgroundProcesses, defaultDetector, gapProcesses, simulateTable } from '../../src/simulate/index.js';
import { nominalBeams } from '../../src/simulate/detector.js';
import { generateCollision } from '../../src/simulate/process.js';
import { MuMuGamma } from '../../src/simulate/backgrounds.js';
import { SLOT_LOST, TRUTH_LENGTH } from '../../src/simulate/kinematics.js';

const det = defaultDetector();
const beams = nominalBeams(det);
const DEG = Math.PI / 180;
/** lab polar angle → CM cos θ* at the nominal boost */
const toCm = (thetaLab: number): number => (Math.cos(thetaLab) - beams.beta) / (1 - beams.beta * Math.cos(thetaLab));
const betaE = Math.sqrt(1 - (4 * 0.51099895e-3 ** 2) / beams.sqrtS ** 2);
/**
 * Share of the ISR photons (dN/dcosθ* ∝ 1/(1 − β_e²cos²θ*), backgrounds.ts) between two lab angles:
 * ∫ dc/(1 − β²c²) = atanh(βc)/β, so the share of [a, b] in [A, B] is
 * (atanh βb − atanh βa)/(atanh βB − atanh βA) — the gap's solid-angle share weighted by the ISR
 * angular distribution (the flat solid-angle share would be (b − a)/(B − A)).
 */
function isrShare(fromLab: number, toLab: number, regionFromLab: number, regionToLab: number): number {
  const F = (thetaLab: number): number => Math.atanh(betaE * toCm(thetaLab));
  return (F(fromLab) - F(toLab)) / (F(regionFromLab) - F(regionToLab));
}
const REGION: [number, number] = [det.recoilThetaMin - 3 * DEG, det.recoilThetaMax + 3 * DEG]; // backgroundProcesses' region
const GAPS = [det.eclGapForward, det.eclGapBackward];

test('ECL gaps: the fraction of generated μμγ photons that enter a gap is the gaps\' share of the ISR angular distribution (4σ)', () => {
  const [mumu] = backgroundProcesses(det);
  const rng = new SimRng(new Rng(21));
  const ev = new Float64Array(TRUTH_LENGTH);
  const scratch = new Float64Array(2);
  const n = 200_000;
  const inGap = [0, 0];
  for (let i = 0; i < n; i++) {
    generateCollision(mumu, rng, det, ev, scratch);
    const theta = Math.atan2(Math.hypot(ev[SLOT_LOST + 1], ev[SLOT_LOST + 2]), ev[SLOT_LOST + 3]); // lab, true beams
    GAPS.forEach(([a, b], k) => { if (theta >= a && theta <= b) inGap[k]++; });
  }
  GAPS.forEach(([a, b], k) => {
    const p = isrShare(a, b, REGION[0], REGION[1]);
    const sigma = Math.sqrt((p * (1 - p)) / n);
    const f = inGap[k] / n;
    console.log(`  gap ${(a / DEG).toFixed(1)}°–${(b / DEG).toFixed(1)}°: ${f.toFixed(5)} of photons, expected ${p.toFixed(5)} ± ${sigma.toFixed(5)} (flat solid angle: ${((Math.cos(a) - Math.cos(b)) / (Math.cos(REGION[0]) - Math.cos(REGION[1]))).toFixed(5)})`);
    assert.ok(Math.abs(f - p) < 4 * sigma, `gap ${k}: ${f} vs ${p} ± ${sigma}`);
  });
});

test('ECL gaps: each gap job is the gap\'s share of the μμγ region cross-section times (gap − ECL) inefficiency, photons only in the gap', () => {
  const [mumu] = backgroundProcesses(det) as MuMuGamma[];
  const gaps = gapProcesses(det);
  assert.equal(gaps.length, 2);
  gaps.forEach((g, k) => {
    const [a, b] = GAPS[k];
    // the photon-energy integral is the same in every angular range: the ratio is purely angular
    const share = g.regionCrossSection / mumu.regionCrossSection;
    assert.ok(Math.abs(share / isrShare(a, b, REGION[0], REGION[1]) - 1) < 1e-9, `gap ${k}: share ${share}`);
    assert.ok(Math.abs(g.crossSection - g.regionCrossSection * (det.gapPhotonInefficiency - det.photonInefficiency)) < 1e-15);
    const rng = new SimRng(new Rng(22 + k));
    const ev = new Float64Array(TRUTH_LENGTH);
    const scratch = new Float64Array(2);
    for (let i = 0; i < 2000; i++) {
      generateCollision(g, rng, det, ev, scratch);
      const theta = Math.atan2(Math.hypot(ev[SLOT_LOST + 1], ev[SLOT_LOST + 2]), ev[SLOT_LOST + 3]);
      // lab angle from the true (spread) beams: within 0.05° of the gap set at the nominal boost (beam-energy spread)
      assert.ok(theta > a - 0.05 * DEG && theta < b + 0.05 * DEG, `gap ${k}: photon at ${theta / DEG}°`);
    }
  });
  assert.equal(gapProcesses({ ...det, gapPhotonInefficiency: det.photonInefficiency }).length, 0, 'no gap jobs when gaps are no blinder than the ECL');
});

test('ECL gaps: the gap jobs come last — the other events are unchanged; the added μμγ sits at M² ≈ 0 with its recoil at the barrel edges', () => {
  const cfg = { seed: 4, zprimeMasses: [0.5], signalPerMass: 500, backgroundLuminosity: 1000, targetLuminosity: 50, backgroundScale: { mumu_gamma: 1, tautau: 0.001, eemumu: 0.0001 } };
  const without = simulateTable({ ...cfg, detector: { ...det, gapPhotonInefficiency: det.photonInefficiency } });
  const withGaps = simulateTable(cfg);
  assert.ok(withGaps.length > without.length + 500, `only ${withGaps.length - without.length} gap events`);
  for (const c of ['M2', 'feature_1', 'feature_4', 'weights', 'category']) {
    const a = without.column(c), b = withGaps.column(c);
    for (let i = 0; i < without.length; i++) assert.equal(b[i], a[i], `${c}[${i}] changed`);
  }
  const m2 = withGaps.column('M2'), cat = withGaps.column('category');
  const px = (s: string): Float32Array => withGaps.column(s);
  const [ppx, ppy, ppz, mpx, mpy, mpz] = ['mu_plus_px', 'mu_plus_py', 'mu_plus_pz', 'mu_minus_px', 'mu_minus_py', 'mu_minus_pz'].map(px);
  let nearEdge = 0, near0 = 0;
  const n = withGaps.length - without.length;
  for (let i = without.length; i < withGaps.length; i++) {
    assert.equal(cat[i], 1, 'gap events are μμγ');
    if (Math.abs(m2[i]) < 1) near0++;
    // recoil = beams − μ⁺ − μ⁻ (lab); its polar angle within 3° of a barrel edge
    const rx = -ppx[i] - mpx[i], ry = -ppy[i] - mpy[i], rz = beams.pz - ppz[i] - mpz[i];
    const theta = Math.atan2(Math.hypot(rx, ry), rz);
    if (Math.abs(theta - det.recoilThetaMin) < 3 * DEG || Math.abs(theta - det.recoilThetaMax) < 3 * DEG) nearEdge++;
  }
  console.log(`  ${n} gap events: ${((100 * near0) / n).toFixed(1)} % with |M²| < 1 GeV², ${((100 * nearEdge) / n).toFixed(1)} % with the recoil within 3° of a barrel edge`);
  assert.ok(near0 / n > 0.9, 'a lost photon fakes M² ≈ 0');
  assert.ok(nearEdge / n > 0.5, 'the recoil points next to the gap it came through');
});
