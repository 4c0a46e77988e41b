// Scoring a parameterised net at 28 mass hypotheses (the VLQ scan 1.0 … 6.4 TeV in 0.2 TeV steps) ×
// 1 M events (BENCH_EVENTS), 6 features + the mass, [64, 64] ReLU: JSON lines {"what", "events",
// "seconds", "cpu_seconds", "events_per_second" (event-hypothesis scores per second), ...}.
//  - pnn_plain: the mass at the input (an MLP of 7 inputs): every layer depends on m, so each
//    hypothesis is a full pass (the dense kernels, as judging scores), nothing reused;
//  - affine_per_hypothesis: the affine pNN scored once per hypothesis (forward on the kernels);
//  - affine_reuse: scoreAffineAtMasses — the first layer and the second layer's two products once
//    per event, O(width) per hypothesis (src/models/affine-spec.ts).
// ../shared/anchors has no pNN scoring program: no anchor_seconds / ratio on these lines.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { Rng, tensor, noGrad, kernels } from '../src/core/index.js';
import { buildMlp } from '../src/models/mlp.js';
import { AffinePNN, affineSpecOf } from '../src/models/affine-pnn.js';
import { scoreAffineAtMasses } from '../src/models/affine-spec.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000), NF = 6, CHUNK = 65536;
const masses = Array.from({ length: 28 }, (_, i) => Number((1 + 0.2 * i).toFixed(1)));
const rng = new Rng(2026);
const features = Float32Array.from({ length: N * NF }, () => rng.normal());

function timed(what: string, run: () => number): void {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const check = run();
  const seconds = (performance.now() - t0) / 1000, cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({
    what, events: N, hypotheses: masses.length, seconds: +seconds.toFixed(3), cpu_seconds: +cpuSeconds.toFixed(3),
    events_per_second: Math.round((N * masses.length) / seconds), kernels: kernels.name, checksum: +check.toFixed(3), load1: +loadavg()[0].toFixed(2),
  }));
}

/** Scores of a model forward (inputs: features then the mass) at every hypothesis, in chunks; returns the score sum. */
function perHypothesis(forward: (x: Float32Array, n: number) => Float32Array): number {
  let sum = 0;
  const x = new Float32Array(CHUNK * (NF + 1));
  for (const m of masses) {
    for (let start = 0; start < N; start += CHUNK) {
      const c = Math.min(CHUNK, N - start);
      for (let i = 0; i < c; i++) {
        x.set(features.subarray((start + i) * NF, (start + i + 1) * NF), i * (NF + 1));
        x[i * (NF + 1) + NF] = (m - 3.7) / 1.6;
      }
      const p = forward(x.subarray(0, c * (NF + 1)), c);
      for (let i = 0; i < c; i++) sum += p[i];
    }
  }
  return sum;
}

const mlp = buildMlp(NF + 1, { hidden: [64, 64], activation: 'relu', init: 'kaiming_normal', dropout: 0, batchNorm: false }, new Rng(1));
timed('pnn_plain_28hyp_64x64', () => noGrad(() => perHypothesis((x, n) => mlp.forward(tensor(x, [n, NF + 1])).data as Float32Array)));

const opts = { hidden: [64, 64], activation: 'relu' as const };
const affine = new AffinePNN(NF + 1, opts, new Rng(1));
timed('affine_pnn_per_hypothesis_28hyp_64x64', () => noGrad(() => perHypothesis((x, n) => affine.forward(tensor(x, [n, NF + 1])).data as Float32Array)));

const names = [...Array.from({ length: NF }, (_, j) => `f${j}`), 'mass'];
const spec = affineSpecOf(NF + 1, opts, Object.fromEntries(affine.namedParameters().map(([k, t]) => [k, Float32Array.from(t.data)])), names,
  new Float32Array([0, 0, 0, 0, 0, 0, 3.7]), new Float32Array([1, 1, 1, 1, 1, 1, 1 / 1.6]));
timed('affine_pnn_reuse_28hyp_64x64', () => scoreAffineAtMasses(spec, features, N, masses).reduce((s, p) => s + p.reduce((a, b) => a + b, 0), 0));
