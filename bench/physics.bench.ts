// Physics/evaluate speed: JSON lines {"what", "events", "seconds", ...}.
// Events: 5 M, ~10 % signal at 44 hypotheses 0.2 … 4.5 GeV, recoil mass² with the seed resolution,
// background falling in M²; windows ±2σ(M²) from width.txt (neighbouring windows overlap).
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Rng } from '../src/core/rng.js';
import { readResolutionTable, resolutionAt } from '../src/physics/resolution.js';
import { resolutionWindows, windowIncidence } from '../src/physics/windows.js';
import { bestCommonCut, optimalCuts } from '../src/evaluate/cuts.js';
import { binnedSignificance } from '../src/evaluate/binned.js';

const N = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const table = readResolutionTable(new URL('../test/fixtures/punzinet/width.txt', import.meta.url).pathname);
const masses = Array.from({ length: 44 }, (_, i) => Number((0.2 + 0.1 * i).toFixed(1)));
const r = new Rng(2024);
const mass2 = new Float32Array(N), label = new Float32Array(N), genMass = new Float32Array(N);
const output = new Float32Array(N), weight = new Float32Array(N);
for (let i = 0; i < N; i++) {
  if (r.uniform() < 0.1) {
    const m = masses[r.int(masses.length)];
    label[i] = 1;
    genMass[i] = m;
    mass2[i] = m * m + resolutionAt(table, m) * r.normal();
    output[i] = 1 / (1 + Math.exp(-(1 + 1.5 * r.normal())));
    weight[i] = 1;
  } else {
    genMass[i] = NaN;
    mass2[i] = -0.5 + 8 * r.exponential();
    output[i] = 1 / (1 + Math.exp(-(-1 + 1.5 * r.normal())));
    weight[i] = 0.05;
  }
}

// best of REPEAT runs: the 2 cores are shared, the minimum is the least disturbed figure
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
function timed<T>(f: () => T): [T, number] {
  let best = Infinity;
  let v: T | undefined;
  for (let r = 0; r < REPEAT; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    v = f();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return [v as T, best];
}
const cols = { mass: mass2, label, genMass, weight };
const windows = resolutionWindows(masses, table, 2, 'mass2');
const [inc, tInc] = timed(() => windowIncidence(masses, windows, cols));
const nnz = inc.background.events.length + inc.signal.events.length;
console.log(JSON.stringify({ what: 'window_incidence_44hyp', events: N, seconds: +tInc.toFixed(4), incidence_entries: nnz, load1: +loadavg()[0].toFixed(2) }));
const [cuts, tCut] = timed(() => optimalCuts(output, weight, inc));
console.log(JSON.stringify({ what: 'optimal_cut_44hyp', events: N, seconds: +tCut.toFixed(4), mean_sigma_min: +(cuts.sigmaMin.reduce((a, b) => a + b, 0) / 44).toFixed(4) }));
console.log(JSON.stringify({ what: 'optimal_cut_44hyp_with_incidence', events: N, seconds: +(tCut + tInc).toFixed(4) }));
const [common, tCommon] = timed(() => bestCommonCut(output, weight, inc));
console.log(JSON.stringify({ what: 'best_common_cut_44hyp', events: N, seconds: +tCommon.toFixed(4), cut: +common.cut[0].toFixed(4) }));
const [binned, tBinned] = timed(() => binnedSignificance({ output, label, weight, mass: mass2 }, { bins: 8 }));
console.log(JSON.stringify({ what: 'binned_significance_8bins', events: N, seconds: +tBinned.toFixed(4), z: +binned.z.toFixed(4) }));
