// Judgement speed: JSON lines {"what", "events", "seconds", ...}. 1 M test events (10 % signal at 44
// hypotheses 0.2 … 4.5 GeV, fixed windows ±0.1 GeV), 500 k training events: judgeFully of one method
// (ROC, Z curve, binned Z, sculpting + DisCo on 10 k background, KS, per-mass AUC / Z / ε / Punzi FOM).
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Rng } from '../src/core/rng.js';
import { fixedWindows, windowIncidence } from '../src/physics/windows.js';
import { judgeFully } from '../src/evaluate/judgements.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const masses = Array.from({ length: 44 }, (_, i) => Number((0.2 + 0.1 * i).toFixed(1)));
const r = new Rng(2025);
function events(n: number): { mass: Float32Array; label: Float32Array; genMass: Float32Array; output: Float32Array; weight: Float32Array } {
  const mass = new Float32Array(n), label = new Float32Array(n), genMass = new Float32Array(n), output = new Float32Array(n), weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sig = r.uniform() < 0.1;
    const m = masses[r.int(masses.length)];
    label[i] = sig ? 1 : 0;
    genMass[i] = sig ? m : NaN;
    mass[i] = sig ? m + 0.03 * r.normal() : 0.1 + 4.6 * r.uniform();
    output[i] = 1 / (1 + Math.exp(-((sig ? 1 : -1) + 1.5 * r.normal())));
    weight[i] = sig ? 1 : 0.05;
  }
  return { mass, label, genMass, output, weight };
}
const test = events(N), train = events(N >> 1);
const incidence = windowIncidence(masses, fixedWindows(masses, 0.1, 'mass'), { mass: test.mass, label: test.label, genMass: test.genMass, weight: test.weight });
const t0 = performance.now();
const j = judgeFully({
  method: 'bench', net: 0, masses, trained: masses.map((_, h) => h % 2 === 0), commonCut: 0.5, punziA: 3, massTitle: 'M [GeV]',
  test: { output: test.output, label: test.label, weight: test.weight, mass: test.mass, incidence }, train: { output: train.output, label: train.label, weight: train.weight },
});
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ what: 'judgements_one_method_44hyp', events: N, seconds: +seconds.toFixed(4), train_events: N >> 1, auc: +j.roc.auc.toFixed(4), load1: +loadavg()[0].toFixed(2) }));
