// Issue 16: integrated gradients (evaluate/attributions.ts) of 100 k events × 64 steps (trapezoid, one
// background baseline per event) for the seed study's 4-8-4-1 tanh MLP and the thesis DNN
// (4-128-128-1, BatchNorm, Mish, dropout 0.2; eval mode), events/s, beside the same computation in
// PyTorch (bench/ig_torch.py, same machine, same run). FOMLAB_BENCH_EVENTS sets the events.
import { MLP, RegularisedMLP, Rng, type Tensor } from '../src/core/index.js';
import { kernels } from '../src/core/kernels/index.js';
import { integratedGradients } from '../src/evaluate/attributions.js';
import { benchLine, runPython } from './anchor.js';

const N = Number(process.env.FOMLAB_BENCH_EVENTS ?? 100_000), STEPS = 64;
const rng = new Rng(1);
const x = Float32Array.from({ length: N * 4 }, () => rng.uniform()), base = Float32Array.from({ length: N * 4 }, () => rng.uniform());
const nets = {
  'ig-mlp-4-8-4-1': new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], rng),
  'ig-thesis-dnn': new RegularisedMLP([4, 128, 128, 1], 'mish', { dropout: 0.2, batchNorm: true }, rng).eval(),
};
const anchors = runPython([new URL('./ig_torch.py', import.meta.url).pathname, String(N), String(STEPS)]);
for (const [what, net] of Object.entries(nets)) {
  const t = performance.now(), c0 = process.cpuUsage();
  integratedGradients((v: Tensor) => net.forward(v), x, 4, base, 1, { steps: STEPS });
  const s = (performance.now() - t) / 1000, c = process.cpuUsage(c0);
  benchLine(what, N, s, typeof anchors === 'string' ? anchors : anchors.get(what), { steps: STEPS, events_per_second: Math.round(N / s), cpu_seconds: +((c.user + c.system) / 1e6).toPrecision(4), kernels: kernels.name });
}
