// The eeμμ importance sampler against the brute-force one (`sampler: 'reference'`, the plain EPA
// sampling the generator used before): same integrand, so the cross-section of passing events and
// its distributions must agree within statistical errors.
//
// The check. Each sampler gives N trials with weights W_i = σ_region·w_i·pass_i/N (w = the event's
// relative weight, 0 if it fails); Σ W_i estimates σ_pass and, as the trials are independent, its
// variance is estimated by Σ W_i² − (Σ W_i)²/N ≈ Σ W_i². The same holds per bin of any observable
// (W_i restricted to the bin). Two independent estimates a, b of one number: z = (a − b)/√(σ_a² + σ_b²)
// is ≈ N(0, 1), and Σ z² over k bins is ≈ χ²_k (bins of one sample are independent, up to the
// negligible multinomial correlation). Bounds: |z| < 4 for σ_pass, χ²_k below k + 4√(2k).
// The importance sampler as a simulation job runs it (`configureJob`: partial unweighting and the
// muon pre-check inside the generator) is held to the same bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { defaultDetector } from '../../src/simulate/index.js';
import { generateCollision } from '../../src/simulate/process.js';
import { RECO_LENGTH, RECO_PT_DIMUON, RECO_RECOIL_MASS2, nominalBeams, reconstruct } from '../../src/simulate/detector.js';
import { TRUTH_LENGTH } from '../../src/simulate/kinematics.js';
import { SimRng } from '../../src/simulate/random.js';
import { TwoPhotonMuMu, defaultTwoPhotonOptions } from '../../src/simulate/twophoton.js';

const det = defaultDetector();
const beams = nominalBeams(det);
const M2_EDGES = [-Infinity, 20, 40, 60, 80, Infinity];
const PT_EDGES = [0, 0.6, 0.9, 1.2, Infinity];

interface Estimate { sum: number; var: number; m2: Array<[number, number]>; pt: Array<[number, number]> }

function run(sampler: 'importance' | 'reference', trials: number, seed: number, unweightCap = 0): Estimate {
  const gen = new TwoPhotonMuMu({ ...defaultTwoPhotonOptions(beams.sqrtS, det), sampler });
  if (unweightCap > 0) gen.configureJob(det, unweightCap);
  const rng = new SimRng(new Rng(seed));
  const ev = new Float64Array(TRUTH_LENGTH), reco = new Float64Array(RECO_LENGTH), scratch = new Float64Array(2);
  const est: Estimate = { sum: 0, var: 0, m2: M2_EDGES.slice(1).map(() => [0, 0]), pt: PT_EDGES.slice(1).map(() => [0, 0]) };
  const bin = (edges: number[], v: number): number => edges.findIndex((e, i) => v >= e && v < edges[i + 1]);
  for (let i = 0; i < trials; i++) {
    const w = generateCollision(gen, rng, det, ev, scratch);
    if (!(w > 0) || !reconstruct(rng, det, beams, ev, reco)) continue;
    const W = (gen.crossSection * 1e3 * w) / trials; // pb
    est.sum += W;
    est.var += W * W;
    for (const [h, edges, v] of [[est.m2, M2_EDGES, reco[RECO_RECOIL_MASS2]], [est.pt, PT_EDGES, reco[RECO_PT_DIMUON]]] as const) {
      const b = h[bin(edges, v)];
      b[0] += W;
      b[1] += W * W;
    }
  }
  return est;
}

test('eeμμ importance sampler: σ_pass and its M² and p_T(μμ) spectra agree with the brute-force sampler', () => {
  const ref = run('reference', 600_000, 21);
  const lines: string[] = [];
  for (const [label, imp] of [['importance', run('importance', 200_000, 22)], ['as a job (cap 2)', run('importance', 200_000, 23, 2)]] as const) {
    const z = (ref.sum - imp.sum) / Math.sqrt(ref.var + imp.var);
    lines.push(`σ_pass: brute force ${ref.sum.toFixed(2)} ± ${Math.sqrt(ref.var).toFixed(2)} pb, ${label} ${imp.sum.toFixed(2)} ± ${Math.sqrt(imp.var).toFixed(2)} pb (z = ${z.toFixed(2)})`);
    assert.ok(Math.abs(z) < 4, lines.at(-1));
    for (const [name, a, b] of [['M²', ref.m2, imp.m2], ['p_T(μμ)', ref.pt, imp.pt]] as const) {
      let chi2 = 0;
      for (let k = 0; k < a.length; k++) chi2 += (a[k][0] - b[k][0]) ** 2 / (a[k][1] + b[k][1]);
      const bound = a.length + 4 * Math.sqrt(2 * a.length);
      lines.push(`${name}: χ² = ${chi2.toFixed(2)} for ${a.length} bins (bound ${bound.toFixed(1)})`);
      assert.ok(chi2 < bound, lines.at(-1));
    }
  }
  console.log(lines.map((l) => '  ' + l).join('\n'));
});
