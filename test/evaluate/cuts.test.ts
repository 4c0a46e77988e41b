import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { fixedWindows, windowIncidence } from '../../src/physics/windows.js';
import { aggregateSigmaMin, bestCommonCut, cutsAt, optimalCuts } from '../../src/evaluate/cuts.js';

function close(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
}

// With a = 2, b = 2, L = 1 eq. 9 reduces to σ = (2 + 2√B + 2(1+√B))/ε = 4(1+√B)/ε.
// Five events in one window, 3 signal generated:
//   output 0.9 S | 0.8 B w 0.25 | 0.7 S | 0.6 B w 8 | 0.5 S
// cut 0.9: ε = 1/3, B = 0     → σ = 4·1/(1/3)       = 12
// cut 0.7: ε = 2/3, B = 0.25  → σ = 4·1.5/(2/3)     = 9    ← best
// cut 0.5: ε = 1,   B = 8.25  → σ = 4·(1+√8.25)     ≈ 15.49
test('best cut on a 5-event example computed by hand', () => {
  const output = Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5]);
  const label = Float32Array.from([1, 0, 1, 0, 1]);
  const weight = Float32Array.from([1, 0.25, 1, 8, 1]);
  const inc = windowIncidence([1], fixedWindows([1], 0.5, 'mass'), { mass: new Float32Array(5).fill(1), label, genMass: new Float32Array(5).fill(1) });
  const params = { a: 2, b: 2, lumi: 1 };
  const form = 'paper' as const;
  const best = optimalCuts(output, weight, inc, { params, form });
  close(best.cut[0], Math.fround(0.7));
  close(best.sigmaMin[0], 9);
  close(best.efficiency[0], 2 / 3);
  close(best.background[0], 0.25);
  const at = cutsAt(output, weight, inc, Math.fround(0.5), { params, form });
  close(at.sigmaMin[0], 4 * (1 + Math.sqrt(8.25)));
  close(bestCommonCut(output, weight, inc, { params, form }).aggregate, 9);
});

function randomSearch(seed: number): { output: Float32Array; weight: Float32Array; masses: number[]; inc: ReturnType<typeof windowIncidence> } {
  const r = new Rng(seed);
  const n = 4000, masses = [1, 1.3, 1.6, 1.9, 2.2];
  const m = new Float32Array(n), y = new Float32Array(n), g = new Float32Array(n), o = new Float32Array(n), w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = r.uniform() < 0.2 ? 1 : 0;
    g[i] = y[i] ? masses[r.int(masses.length)] : NaN;
    m[i] = y[i] ? g[i] + 0.1 * r.normal() : r.range(0.5, 2.7);
    o[i] = Math.round(100 * Math.min(1, Math.max(0, (y[i] ? 0.65 : 0.35) + 0.2 * r.normal()))) / 100; // ties
    w[i] = y[i] ? 1 : r.range(0.01, 0.1);
  }
  const inc = windowIncidence(masses, fixedWindows(masses, 0.3, 'mass'), { mass: m, label: y, genMass: g });
  return { output: o, weight: w, masses, inc };
}

test('optimal cuts and best common cut agree with a brute-force scan of every distinct output (with ties)', () => {
  const { output, weight, masses, inc } = randomSearch(3);
  for (const form of ['paper', 'improved'] as const) {
    const fast = optimalCuts(output, weight, inc, { form });
    const cuts = [...new Set(output)].sort((a, b) => b - a);
    const bestPer = masses.map(() => Infinity);
    let bestMean = Infinity;
    for (const c of cuts) {
      const at = cutsAt(output, weight, inc, c, { form });
      at.sigmaMin.forEach((s, h) => { bestPer[h] = Math.min(bestPer[h], s); });
      bestMean = Math.min(bestMean, aggregateSigmaMin(at.sigmaMin));
    }
    masses.forEach((_, h) => close(fast.sigmaMin[h], bestPer[h], 1e-12));
    // restricted to some hypotheses: the same numbers there, nothing elsewhere
    const some = optimalCuts(output, weight, inc, { form, include: masses.map((_, h) => h === 1 || h === 3) });
    masses.forEach((_, h) => {
      if (h === 1 || h === 3) assert.equal(some.sigmaMin[h], fast.sigmaMin[h]);
      else assert.ok(some.sigmaMin[h] === Infinity && Number.isNaN(some.cut[h]));
    });
    // the reported cut reproduces the reported σ_min
    const again = masses.map((_, h) => cutsAt(output, weight, inc, fast.cut[h], { form }).sigmaMin[h]);
    masses.forEach((_, h) => close(again[h], fast.sigmaMin[h], 1e-12));
    const common = bestCommonCut(output, weight, inc, { form });
    close(common.aggregate, bestMean, 1e-12);
    // median goes through the candidate matrix (≤ 2048 candidates here, so still exact)
    let bestMedian = Infinity, bestMax = Infinity;
    for (const c of cuts) {
      const at = cutsAt(output, weight, inc, c, { form });
      bestMedian = Math.min(bestMedian, aggregateSigmaMin(at.sigmaMin, 'median'));
      bestMax = Math.min(bestMax, aggregateSigmaMin(Float64Array.from([0, 2, 4], (h) => at.sigmaMin[h]), 'max'));
    }
    close(bestCommonCut(output, weight, inc, { form, aggregate: 'median' }).aggregate, bestMedian, 1e-12);
    close(bestCommonCut(output, weight, inc, { form, include: [1, 0, 1, 0, 1], aggregate: 'max' }).aggregate, bestMax, 1e-12);
  }
});

test('a hypothesis with no signal in its window gets σ_min = ∞ and cut NaN; NaN outputs are an error', () => {
  const inc = windowIncidence([1, 5], fixedWindows([1, 5], 0.5, 'mass'), {
    mass: Float32Array.from([1, 1, 5]), label: Float32Array.from([1, 0, 0]), genMass: Float32Array.from([1, NaN, NaN]),
  });
  const r = optimalCuts(Float32Array.from([0.8, 0.2, 0.5]), null, inc);
  assert.equal(r.sigmaMin[1], Infinity);
  assert.ok(Number.isNaN(r.cut[1]));
  assert.ok(Number.isFinite(r.sigmaMin[0]));
  assert.throws(() => optimalCuts(Float32Array.from([0.8, NaN, 0.5]), null, inc), /NaN at event 1/);
});
