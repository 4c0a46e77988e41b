// The study's fig. 4 on the built-in H → Zγ data: a classifier that sees the three mass-correlated
// features (p_T^γ/m_ℓℓγ, p_T^ℓ1, p_T^ℓ2) sculpts a peak near 125 GeV into the background it keeps;
// one trained on the other twelve does not. The classifier is a weighted naive-Bayes likelihood
// ratio (per-feature 40-bin histograms, trained on even rows, applied to odd rows): quick,
// deterministic, and able to use the non-monotonic signal shapes that make the peak.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { massSculpting } from '../../src/evaluate/sculpting.js';
import { HZG_FEATURE_COLUMNS, HZG_MASS_CORRELATED, defaultHzgSimulationConfig, simulateHzgTable } from '../../src/simulate/hzg/index.js';

const table = simulateHzgTable({ ...defaultHzgSimulationConfig(), seed: 11, signalEvents: 60_000, backgroundEvents: 600_000 });
const label = table.column('label'), mass = table.column('llg_mass'), weight = table.column('weight');
const n = label.length;

function likelihoodRatio(features: readonly string[]): Float64Array {
  const out = new Float64Array(n);
  for (const f of features) {
    const x = table.column(f);
    const sorted = Float64Array.from(x).sort();
    const edges = Array.from({ length: 39 }, (_, k) => sorted[Math.floor(((k + 1) / 40) * n)]);
    const bin = (v: number): number => {
      let lo = 0, hi = edges.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v < edges[mid]) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const hs = new Float64Array(40).fill(1e-9), hb = new Float64Array(40).fill(1e-9);
    let ss = 0, sb = 0;
    for (let i = 0; i < n; i += 2) {
      const b = bin(x[i]);
      if (label[i] > 0.5) { hs[b] += weight[i]; ss += weight[i]; } else { hb[b] += weight[i]; sb += weight[i]; }
    }
    for (let i = 1; i < n; i += 2) out[i] += Math.log(hs[bin(x[i])] / ss / (hb[bin(x[i])] / sb));
  }
  return out;
}

/** test rows only (odd), background mass spectrum in the top of 8 equal-signal output bins vs all background */
function topBinShape(features: readonly string[]): { top: Float64Array; inclusive: Float64Array; meanStd: number } {
  const o = likelihoodRatio(features);
  const rows = Array.from({ length: n >> 1 }, (_, k) => 2 * k + 1);
  const pick = <T extends ArrayLike<number>>(a: T): Float64Array => Float64Array.from(rows, (i) => a[i]);
  const sc = massSculpting({ output: pick(o), label: pick(label), mass: pick(mass), weight: pick(weight) }, { outputBins: 8, massBins: 16, massRange: [100, 180] });
  const inclusive = new Float64Array(16);
  let total = 0;
  for (const i of rows) {
    if (label[i] > 0.5) continue;
    inclusive[Math.min(15, Math.floor((mass[i] - 100) / 5))] += weight[i];
    total += weight[i];
  }
  for (let k = 0; k < 16; k++) inclusive[k] /= total;
  return { top: sc.histograms[7], inclusive, meanStd: sc.meanStd };
}

/** background fraction in 120–130 GeV kept by the tightest bin over that of all background */
const peakContrast = (s: { top: Float64Array; inclusive: Float64Array }): number => (s.top[4] + s.top[5]) / (s.inclusive[4] + s.inclusive[5]);
const mode = (h: Float64Array): number => 100 + 5 * h.indexOf(Math.max(...h));

test('the three mass-correlated features sculpt a background peak at 120–130 GeV; the other twelve do not', () => {
  const others = HZG_FEATURE_COLUMNS.filter((f) => !(HZG_MASS_CORRELATED as readonly string[]).includes(f));
  const withThree = topBinShape(HZG_MASS_CORRELATED);
  const without = topBinShape(others);
  const fmt = (h: Float64Array): string => [...h].map((x) => (100 * x).toFixed(1)).join(' ');
  console.log(`  all background       ${fmt(withThree.inclusive)}`);
  console.log(`  tightest bin, 3      ${fmt(withThree.top)}  contrast ${peakContrast(withThree).toFixed(2)}, mean std ${withThree.meanStd.toFixed(4)}`);
  console.log(`  tightest bin, 12     ${fmt(without.top)}  contrast ${peakContrast(without).toFixed(2)}, mean std ${without.meanStd.toFixed(4)}`);
  // the inclusive background peaks at 110–120 (turn-on); the 3-feature selection moves its mode to 120–130
  assert.ok(mode(withThree.inclusive) < 120, `inclusive mode ${mode(withThree.inclusive)}`);
  assert.ok(mode(withThree.top) >= 120 && mode(withThree.top) < 130, `3 features: mode ${mode(withThree.top)} GeV`);
  assert.ok(peakContrast(withThree) > 1.25, `3 features: 120–130 GeV enhanced ×${peakContrast(withThree)}`);
  // the 12 others keep the 120–130 GeV share of the background (no peak at the signal)
  assert.ok(mode(without.top) < 120, `12 features: mode ${mode(without.top)} GeV`);
  assert.ok(peakContrast(without) < 1.05, `12 features: 120–130 GeV ×${peakContrast(without)}`);
});
