// DisCo forward + backward (value and ∂/∂output) speed: JSON lines {"what", "events", "seconds", ...}.
// fomlab: the exact O(n log n) weighted DisCo (src/losses/disco.ts; C++ kernel when built, else the
// TypeScript twin) as the loss term runs it (a scalar tensor and its backward). Anchor: the O(n²) PyTorch
// form every public implementation uses (../shared/anchors/torch_disco_bench.py, 2 threads), same run.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Rng } from '../src/core/rng.js';
import { tensor } from '../src/core/index.js';
import { nativeBinding } from '../src/core/kernels/native.js';
import { discoTerm } from '../src/losses/disco.js';
import { discoFast } from '../src/core/kernels/disco.js';
import { anchorsDir, benchLine, torchPython } from './anchor.js';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const FULL = Number(process.env.BENCH_DISCO_EVENTS ?? 1_000_000);
const r = new Rng(7);
const mass = new Float32Array(FULL), output = new Float32Array(FULL), weight = new Float32Array(FULL);
for (let i = 0; i < FULL; i++) {
  mass[i] = 100 + 80 * r.uniform();
  output[i] = 1 / (1 + Math.exp(-(r.normal() + (mass[i] - 140) / 40))); // an output that sculpts a little
  weight[i] = 0.5 + r.uniform();
}

/** best of REPEAT (the 2 cores are shared) seconds for one forward + backward over the first n events */
function fwdBwd(n: number, reps: number): number {
  let best = Infinity;
  for (let k = 0; k < REPEAT; k++) {
    const t = performance.now();
    for (let j = 0; j < reps; j++) {
      const p = tensor(output.subarray(0, n), [n], { requiresGrad: true });
      discoTerm(p, mass.subarray(0, n), weight.subarray(0, n)).backward();
    }
    best = Math.min(best, (performance.now() - t) / 1000 / reps);
  }
  return best;
}

/** seconds per batch of the PyTorch anchor at batch `bs` (one batch of bs events), or why not */
function anchor(bs: number): number | string {
  const script = `${anchorsDir}/torch_disco_bench.py`;
  if (!existsSync(script)) return `skipped: ${script} not found`;
  const py = torchPython();
  if (!py) return 'skipped: no python3 with torch found';
  const out = spawnSync(py, [script, String(bs), String(bs)], { encoding: 'utf8', timeout: 1_200_000 });
  const g = /seconds_per_batch=([\d.eE+-]+)/.exec(out.stdout ?? '');
  return g ? Number(g[1]) : `skipped: anchor failed (${(out.stderr ?? '').trim().split('\n').pop()})`;
}

const extra = { kernels: nativeBinding ? 'native' : 'typescript', load: +loadavg()[0].toFixed(2) };
const a2048 = anchor(2048), a8192 = anchor(8192);
const b2048 = fwdBwd(2048, 20), b8192 = fwdBwd(8192, 10), full = fwdBwd(FULL, 1);
benchLine('disco_fwd_bwd_batch2048', 2048, b2048, a2048, extra);
benchLine('disco_fwd_bwd_batch8192', 8192, b8192, a8192, extra);
// no anchor can run 10⁶ events in one batch (an n×n float32 matrix is 4 TB): beside it, the anchor's cost of
// the same events in batches of 8,192, and its batch-8192 time scaled by n² to a full batch
const batches = Math.ceil(FULL / 8192);
benchLine(`disco_fwd_bwd_fullbatch_${FULL}`, FULL, full, undefined, {
  ...extra,
  anchor_epoch_in_batches_of_8192_seconds: typeof a8192 === 'number' ? +(a8192 * batches).toPrecision(4) : a8192,
  anchor_fullbatch_n2_extrapolated_seconds: typeof a8192 === 'number' ? +(a8192 * (FULL / 8192) ** 2).toPrecision(3) : a8192,
});
// the TypeScript twin alone (what runs without a compiler), same events
const grad = new Float32Array(FULL);
let twin = Infinity;
for (let k = 0; k < REPEAT; k++) {
  const t = performance.now();
  discoFast(output, mass, weight, grad);
  twin = Math.min(twin, (performance.now() - t) / 1000);
}
benchLine(`disco_fwd_bwd_fullbatch_${FULL}_typescript_twin`, FULL, twin, undefined, { kernels: 'typescript', load: +loadavg()[0].toFixed(2) });
