// Speed of the numeric core vs PyTorch on this machine (issue 4). One JSON line per figure; ratio = anchor / ours
// (> 1: fomlab faster). Times are the minimum over repeated epochs (shared, noisy machines); the PyTorch anchor runs
// in the same invocation (twice, minimum of its per-epoch means). `--mem` (internal): peak RSS for 10 M events.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernels, tsKernels, type Kernels } from '../src/core/kernels/index.js';
import { runPython as runAnchor, anchorsDir } from './anchor.js';
import { PUNZI_NET, autogradBce, autogradPunzi, fusedBce, fusedPunzi, makeData, type Data, type Trainer } from './core-work.js';

const anchors = anchorsDir;
const N = 1_000_000;

function timeEpochs(t: Trainer, reps: number): number {
  t.epoch(); // warm-up (JIT, page faults)
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    t.epoch();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function minAnchor(runs: Array<Map<string, number> | string>, key: string): number | string {
  const vals = runs.filter((r): r is Map<string, number> => typeof r !== 'string').map((r) => r.get(key)).filter((v): v is number => v !== undefined);
  if (vals.length) return Math.min(...vals);
  const reason = runs.find((r) => typeof r === 'string');
  return typeof reason === 'string' ? reason : `skipped: anchor printed no ${key}`;
}

/**
 * anchor: PyTorch with 2 threads as the issue specifies; anchor1: the same with 1 thread. On a loaded 2-core machine
 * PyTorch's 2-thread OpenMP runs can be 10–40× slower than its 1-thread runs, so the line also gives the ratio to the
 * faster of the two (`ratio_vs_best_anchor`), the conservative figure.
 */
type Path = 'nn_fused_mlp' | 'autograd_layer_by_layer';
function report(what: string, events: number, seconds: number, K: Kernels | Path, anchor: number | string | null, anchor1: number | string | null = null, extra: Record<string, unknown> = {}): void {
  const line: Record<string, unknown> = { what, events, seconds: +seconds.toFixed(5), events_per_s: Math.round(events / seconds) };
  if (typeof anchor === 'number') { line.anchor_seconds = anchor; line.ratio = +(anchor / seconds).toFixed(2); }
  else if (typeof anchor === 'string') line.anchor = anchor;
  if (typeof anchor1 === 'number') {
    line.anchor_1thread_seconds = anchor1;
    line.ratio_vs_best_anchor = +(Math.min(anchor1, typeof anchor === 'number' ? anchor : Infinity) / seconds).toFixed(2);
  }
  line.kernels = typeof K === 'string' ? kernels.name : K.name;
  line.path = typeof K === 'string' ? K : 'kernels_direct';
  console.log(JSON.stringify({ ...line, ...extra }));
}

// the 15-64-64-1 Adam anchor (not in ../shared/anchors): same recipe as torch_punzi_bench.py's BCE stage
const WIDE_PY = `
import sys, time, numpy as np, torch
n = int(sys.argv[1]); torch.set_num_threads(int(sys.argv[2])); rng = np.random.default_rng(1)
X = torch.from_numpy(rng.random((n, 15), dtype=np.float32)); y = torch.from_numpy((rng.random(n) < 0.1).astype(np.float32)); w = torch.ones(n)
net = torch.nn.Sequential(torch.nn.Linear(15, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1), torch.nn.Sigmoid())
opt = torch.optim.Adam(net.parameters(), lr=1e-3); bce = torch.nn.BCELoss(reduction='none')
def epoch(bs=8192):
    idx = torch.randperm(n)
    for s in range(0, n, bs):
        b = idx[s:s+bs]; opt.zero_grad(); out = net(X[b])[:, 0]
        loss = (bce(out, y[b]) * w[b]).sum() / w[b].sum(); loss.backward(); opt.step()
epoch(); t = time.perf_counter()
for _ in range(3): epoch()
print(f"mlp15_adam_batch8192 seconds_per_epoch={(time.perf_counter()-t)/3:.4f}")
`;
const WIDE = { sizes: [15, 64, 64, 1], acts: ['relu', 'relu', 'sigmoid'] } as const;

function memoryRun(): void {
  const n = 10_000_000, d = makeData(n, 4);
  const t0 = performance.now();
  fusedBce(kernels, PUNZI_NET, d, 2048, 'sgd', 1).epoch();
  fusedPunzi(kernels, d).epoch();
  console.log(JSON.stringify({ what: 'peak_rss_10M_events (data + one BCE epoch + one Punzi epoch)', events: n, seconds: +((performance.now() - t0) / 1000).toFixed(3), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), kernels: kernels.name }));
}

function main(): void {
  const punziPy = `${anchors}/torch_punzi_bench.py`;
  const haveScript = existsSync(punziPy);
  const anchorRuns: Array<Map<string, number> | string> = [haveScript ? runAnchor([punziPy, String(N), '2']) : `skipped: ${punziPy} not found`];
  const anchor1Runs: Array<Map<string, number> | string> = haveScript ? [runAnchor([punziPy, String(N), '1'])] : [];
  const d: Data = makeData(N, 4);
  const impls: Kernels[] = kernels.name === 'native' ? [kernels, tsKernels] : [tsKernels];
  const res: Array<[string, number, number, Kernels | Path, string]> = [];
  for (const K of impls) {
    const reps = K.name === 'native' ? 5 : 2;
    res.push(['mlp_4-8-4-1_bce_sgd_batch2048_epoch', N, timeEpochs(fusedBce(K, PUNZI_NET, d, 2048, 'sgd', 1), reps), K, 'bce_batch2048']);
    res.push(['mlp_4-8-4-1_punzi_fullbatch_epoch', N, timeEpochs(fusedPunzi(K, d), reps * 2), K, 'punzi_fullbatch']);
  }
  for (const fused of [true, false]) {
    const path = fused ? 'nn_fused_mlp' : 'autograd_layer_by_layer';
    res.push(['mlp_4-8-4-1_bce_sgd_batch2048_epoch', N, timeEpochs(autogradBce(d, 2048, fused), fused ? 5 : 3), path, 'bce_batch2048']);
    res.push(['mlp_4-8-4-1_punzi_fullbatch_epoch', N, timeEpochs(autogradPunzi(d, fused), 5), path, 'punzi_fullbatch']);
  }
  if (haveScript) { anchorRuns.push(runAnchor([punziPy, String(N), '2'])); anchor1Runs.push(runAnchor([punziPy, String(N), '1'])); }
  for (const [what, n, s, K, key] of res) report(what, n, s, K, minAnchor(anchorRuns, key), anchor1Runs.length ? minAnchor(anchor1Runs, key) : null);

  const nWide = 200_000, dw = makeData(nWide, 15, 2);
  const wideAnchor = minAnchor([runAnchor(['-c', WIDE_PY, String(nWide), '2'])], 'mlp15_adam_batch8192');
  const wideSeconds = timeEpochs(fusedBce(kernels, WIDE, dw, 8192, 'adam', 1e-3), 3);
  const wideAnchor1 = minAnchor([runAnchor(['-c', WIDE_PY, String(nWide), '1'])], 'mlp15_adam_batch8192');
  report('mlp_15-64-64-1_relu_bce_adam_batch8192_epoch', nWide, wideSeconds, kernels, wideAnchor, wideAnchor1);
  if (kernels.name === 'native') {
    const nTs = 50_000, dt = makeData(nTs, 15, 3), s = timeEpochs(fusedBce(tsKernels, WIDE, dt, 8192, 'adam', 1e-3), 2);
    const scale = (a: number | string): number | string => (typeof a === 'number' ? a * nTs / nWide : a);
    report('mlp_15-64-64-1_relu_bce_adam_batch8192_epoch', nTs, s, tsKernels, scale(wideAnchor), scale(wideAnchor1), { anchor_scaled_from_events: nWide });
  }
  if (kernels.name === 'native') {
    const native = (key: string): number => res.find(([w, , , K]) => K === kernels && w.includes(key))![2];
    threadsLines({ bce: native('bce'), punzi: native('punzi') });
  }
  const mem = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--mem'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(mem.stdout);
}

/** The native kernels' epochs on one thread (run in a child with FOMLAB_THREADS=1: the pool is sized at start). */
function oneThreadRun(): void {
  const d = makeData(N, 4);
  console.log(JSON.stringify({ bce: timeEpochs(fusedBce(kernels, PUNZI_NET, d, 2048, 'sgd', 1), 5), punzi: timeEpochs(fusedPunzi(kernels, d), 10) }));
}

/** Does the addon's second thread pay? The same native epochs with the default pool vs one thread. */
function threadsLines(both: { bce: number; punzi: number }): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--one-thread'], { encoding: 'utf8', env: { ...process.env, FOMLAB_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) return;
  const one = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { bce: number; punzi: number };
  for (const k of ['bce', 'punzi'] as const) {
    console.log(JSON.stringify({ what: `native_threads_${k === 'bce' ? 'bce_batch2048' : 'punzi_fullbatch'}_epoch`, events: N, seconds: +both[k].toFixed(5), seconds_1_thread: +one[k].toFixed(5), speedup_threads: +(one[k] / both[k]).toFixed(2), threads: process.env.FOMLAB_THREADS ?? 'all cores' }));
  }
}

if (process.argv.includes('--mem')) memoryRun();
else if (process.argv.includes('--one-thread')) oneThreadRun();
else main();
