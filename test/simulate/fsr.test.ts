import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { SimRng } from '../../src/simulate/random.js';
import { defaultDetector, planJobs, simulateTable } from '../../src/simulate/index.js';
import { FinalStateRadiation, FSR_REGION } from '../../src/simulate/fsr.js';
import { MUON_MASS, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, TRUTH_LENGTH, set4 } from '../../src/simulate/kinematics.js';
import { nominalBeams } from '../../src/simulate/detector.js';

const det = defaultDetector();
const SQRT_S = 10.58;
const L = Math.log((SQRT_S * SQRT_S) / (MUON_MASS * MUON_MASS)); // ln(s/m_μ²) = 9.20
const P = (x: number): number => (1 + (1 - x) * (1 - x)) / x;
/** ∫ f over [a, b], midpoint rule (smooth integrands) */
const integral = (f: (x: number) => number, a: number, b: number, n = 4000): number => {
  let s = 0;
  for (let j = 0; j < n; j++) s += f(a + ((j + 0.5) * (b - a)) / n);
  return (s * (b - a)) / n;
};

/** radiate() at rest with every acceptance open: the photon spectrum and the photon–muon angles over all phase space */
function sample(n: number, seed: number, visit: (ev: Float64Array, w: number) => void): void {
  const open = { ...det, muonThetaMin: 0, muonThetaMax: Math.PI, muonPtMin: 0 };
  const g = new FinalStateRadiation(open, { photonEnergyMin: 0.1, mergeAngle: 0, mergeInefficiency: 1 });
  const rng = new SimRng(new Rng(seed));
  const ev = new Float64Array(TRUTH_LENGTH);
  for (let i = 0; i < n; i++) {
    set4(ev, 0, SQRT_S, 0, 0, 0);
    const w = g.radiate(rng, SQRT_S, ev);
    if (w > 0) visit(ev, w);
  }
}

test('FSR: the photon spectrum is the collinear radiator (α/π)(ln(s/m_μ²) − 1 + ln(1 − x))·P(x) per unit σ₀ (3 %)', () => {
  // Leading-log FSR off two muons: dσ/dx = σ₀ (α/π) [ln(t_max/t_min) − 1] P(x), t_max ≈ s(1 − x) (the μ* is
  // at most as heavy as the recoil allows), t_min ≈ x m_μ²/(1 − x)·… — at small x the textbook
  // (α/π)(ln(s/m²) − 1)P(x); the ln(1 − x) is the shrinking t range at large x. Weights are in units of σ₀α/π.
  const edges = [0.02, 0.05, 0.1, 0.2, 0.4, 0.7];
  const sums = new Array(edges.length - 1).fill(0);
  const n = 400_000;
  sample(n, 7, (ev, w) => {
    const x = (2 * ev[SLOT_LOST]) / SQRT_S;
    for (let b = 0; b < sums.length; b++) if (x >= edges[b] && x < edges[b + 1]) sums[b] += w;
  });
  for (let b = 0; b < sums.length; b++) {
    const expected = integral((x) => P(x) * (L - 1 + Math.log(1 - x)), edges[b], edges[b + 1]);
    const ratio = sums[b] / n / expected;
    console.log(`  x ∈ [${edges[b]}, ${edges[b + 1]}): MC / radiator = ${ratio.toFixed(4)}`);
    assert.ok(Math.abs(ratio - 1) < 0.03, `bin ${b}: ${ratio}`);
  }
});

test('FSR: the dead cone — soft photons within θ₀ = m_μ/E_μ of their muon are (ln 2 − ½)/(ln 101 − 100/101) of those within 10θ₀ (3 %)', () => {
  // dP/dθ² ∝ θ²/(θ² + θ₀²)² (the mass term −2m²/t of the splitting function): ∫₀^Θ = ln(1 + Θ²/θ₀²) − Θ²/(Θ² + θ₀²),
  // so the share of θ < θ₀ among θ < 10θ₀ is (ln 2 − 1/2)/(ln 101 − 100/101) = 0.0533.
  let near = 0, within = 0;
  sample(400_000, 8, (ev, w) => {
    if ((2 * ev[SLOT_LOST]) / SQRT_S >= 0.05) return;
    let best = Infinity, e = 0;
    for (const o of [SLOT_MU_PLUS, SLOT_MU_MINUS]) {
      const c = (ev[o + 1] * ev[SLOT_LOST + 1] + ev[o + 2] * ev[SLOT_LOST + 2] + ev[o + 3] * ev[SLOT_LOST + 3]) / (Math.hypot(ev[o + 1], ev[o + 2], ev[o + 3]) * ev[SLOT_LOST]);
      const a = Math.acos(Math.min(1, c));
      if (a < best) { best = a; e = ev[o]; }
    }
    const theta0 = MUON_MASS / e;
    if (best < theta0) near += w;
    if (best < 10 * theta0) within += w;
  });
  const expected = (Math.log(2) - 0.5) / (Math.log(101) - 100 / 101);
  console.log(`  share within θ₀: ${(near / within).toFixed(4)}, expected ${expected.toFixed(4)}`);
  assert.ok(Math.abs(near / within / expected - 1) < 0.03);
});

test('FSR: the loss probability follows where the photon went (gap 1, ECL 10⁻³, merged with its muon: mergeInefficiency)', () => {
  const g = new FinalStateRadiation(det, { photonEnergyMin: 0.1, mergeAngle: (2.7 * Math.PI) / 180, mergeInefficiency: 0.5 });
  const rng = new SimRng(new Rng(9));
  const ev = new Float64Array(TRUTH_LENGTH);
  const seen = new Set<number>();
  const sqrtS = nominalBeams(det).sqrtS;
  for (let i = 0; i < 200_000 && seen.size < 4; i++) {
    set4(ev, 0, sqrtS, 0, 0, 0); // at rest: lab = CM
    if (!(g.radiate(rng, sqrtS, ev) > 0)) continue;
    const p = g.lossProbability(ev, sqrtS);
    const theta = Math.acos(ev[SLOT_LOST + 3] / ev[SLOT_LOST]);
    const expected = [det.photonInefficiency, 1, 0.5, 1][g.lastRegion];
    assert.equal(p, expected);
    if (g.lastRegion === FSR_REGION.gap) assert.ok((theta >= det.eclGapForward[0] && theta <= det.eclGapForward[1]) || (theta >= det.eclGapBackward[0] && theta <= det.eclGapBackward[1]));
    if (g.lastRegion === FSR_REGION.outside) assert.ok(theta < det.eclThetaMin || theta > det.eclThetaMax);
    seen.add(g.lastRegion);
  }
  assert.equal(seen.size, 4, 'every region is reached');
});

test('FSR: off by default; switched on, its job comes last — the other events are unchanged, the added μμγ sits at M² ≈ 0', () => {
  const cfg = { seed: 4, zprimeMasses: [0.5], signalPerMass: 300, backgroundLuminosity: 1000, targetLuminosity: 50, backgroundScale: { mumu_gamma: 0.05, tautau: 0.001, eemumu: 0.0001 } };
  assert.ok(planJobs(cfg).every((j) => !(j.generator instanceof FinalStateRadiation)), 'no FSR job by default');
  const without = simulateTable(cfg);
  const withFsr = simulateTable({ ...cfg, finalStateRadiation: true });
  const n = withFsr.length - without.length;
  assert.ok(n > 200, `only ${n} FSR events`);
  for (const c of ['M2', 'feature_1', 'feature_4', 'weights', 'category']) {
    const a = without.column(c), b = withFsr.column(c);
    for (let i = 0; i < without.length; i++) assert.equal(b[i], a[i], `${c}[${i}] changed`);
  }
  const m2 = withFsr.column('M2'), cat = withFsr.column('category');
  let near0 = 0;
  for (let i = without.length; i < withFsr.length; i++) {
    assert.equal(cat[i], 1, 'FSR events are μμγ');
    if (Math.abs(m2[i]) < 1) near0++;
  }
  console.log(`  ${n} FSR events, ${((100 * near0) / n).toFixed(1)} % with |M²| < 1 GeV²`);
  assert.ok(near0 / n > 0.9, 'a lost photon fakes M² ≈ 0');
  assert.throws(() => simulateTable({ ...cfg, finalStateRadiation: { mergeInefficiency: 2 } }), /finalStateRadiation\.mergeInefficiency must be in \[0, 1\]/);
});
