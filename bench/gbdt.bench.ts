// Issue 14's speed and memory lines. (1) 1 M × 10 events, 100 trees of depth 3, η 0.1, 256 bins, both cores:
// fomlab's C++ boosting beside ../shared/anchors/xgb_bench.py (XGBoost 1.7 'hist', n_jobs 2) in the same run, on
// the anchor's own arrays (bench/xgb_bench_data.py repeats its recipe and numpy seed; without python, fomlab's
// generator draws the same recipe: bench/gbdt-data.mjs); fit seconds and test AUC on 200 k events. (2) 10 M × 10 events (10 trees; memory does not grow with
// trees) in a plain-Node child process (bench/gbdt-memory.mjs): its peak RSS against the binned matrix (n × f bytes)
// plus the float32 feature columns, and plus the label column too (rss_ratio_with_label).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boost } from '../src/models/gbdt/boost.js';
import { margins } from '../src/models/gbdt/forest.js';
import { gbdtNative } from '../src/models/gbdt/native.js';
import { treeShap } from '../src/models/gbdt/shap.js';
import { anchorsDir, benchLine, torchPython } from './anchor.js';
import { xgbBenchData } from './gbdt-data.mjs';

/** AUC = P(score of a signal event > score of a background event), ties half (Mann–Whitney by ranks). */
function auc(score: Float32Array, y: Float32Array): number {
  const idx = Array.from(score.keys()).sort((a, b) => score[a] - score[b]);
  let sumRanks = 0, nPos = 0;
  for (let k = 0; k < idx.length;) {
    let e = k;
    while (e + 1 < idx.length && score[idx[e + 1]] === score[idx[k]]) e++;
    const mid = (k + e) / 2 + 1;
    for (let j = k; j <= e; j++) if (y[idx[j]] > 0.5) { sumRanks += mid; nPos++; }
    k = e + 1;
  }
  const nNeg = idx.length - nPos;
  return (sumRanks - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

const options = { n_estimators: 100, max_depth: 3, learning_rate: 0.1, max_bin: 256 };

type Events = { columns: Float32Array[]; target: Float32Array };
/** the anchor's own train and test arrays (numpy), or null without a python3 with numpy */
function anchorArrays(n: number, f: number): { train: Events; test: Events } | null {
  const py = torchPython();
  if (!py) return null;
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-xgb-'));
  try {
    const r = spawnSync(py, [fileURLToPath(new URL('./xgb_bench_data.py', import.meta.url)), String(n), String(f), dir], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    const read = (name: string, rows: number): Events => {
      const x = new Float32Array(readFileSync(join(dir, `${name}_x.f32`)).buffer.slice(0));
      return { columns: Array.from({ length: f }, (_, j) => x.slice(j * rows, (j + 1) * rows)), target: new Float32Array(readFileSync(join(dir, `${name}_y.f32`)).buffer.slice(0)) };
    };
    return { train: read('train', n), test: read('test', 200_000) };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}
const names = Array.from({ length: 10 }, (_, j) => `x${j}`);

// the data generator and the memory child run on dist/ (rebuilt here when src/ is newer)
const build = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build-dist.mjs', import.meta.url)), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('the build of dist/ failed');
{
  if (!gbdtNative) throw new Error('the native addon is not built');
  const n = Number(process.env.FOMLAB_BENCH_GBDT_EVENTS ?? 1_000_000);
  const arrays = anchorArrays(n, 10);
  const { train, test } = arrays ?? { train: xgbBenchData(n, 10, 1), test: xgbBenchData(200_000, 10, 2) };
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = boost({ options, inputNames: names, train: { ...train, weight: null } });
  const seconds = (performance.now() - t0) / 1000, cpu = process.cpuUsage(c0);
  const ourAuc = auc(margins(r.forest, test.columns, 200_000), test.target);
  let anchor: number | string = 'skipped: no python3 with xgboost';
  let anchorAuc: number | undefined, anchorCpu: number | undefined;
  const py = torchPython(), script = `${anchorsDir}/xgb_bench.py`;
  if (!existsSync(script)) anchor = `skipped: ${script} not found`;
  else if (py) {
    const a = spawnSync('/usr/bin/time', ['-f', 'cpu_seconds=%U+%S', py, script, String(n), '10'], { encoding: 'utf8', timeout: 1_200_000 });
    const c = /cpu_seconds=([\d.]+)\+([\d.]+)/.exec(a.stderr ?? '');
    if (c) anchorCpu = Number(c[1]) + Number(c[2]);
    const m = /fit_seconds=([\d.]+) test_auc=([\d.]+)/.exec(a.stdout ?? '');
    if (m) { anchor = Number(m[1]); anchorAuc = Number(m[2]); } else anchor = `skipped: anchor failed (${(a.stderr ?? '').trim().split('\n').pop()})`;
  }
  benchLine('gbdt fit 1M×10, 100 trees depth 3, η 0.1 (vs xgboost hist, 2 threads)', n, seconds, anchor, {
    test_auc: +ourAuc.toFixed(4), ...(anchorAuc !== undefined ? { anchor_test_auc: anchorAuc, auc_difference: +(ourAuc - anchorAuc).toFixed(4) } : {}),
    data: arrays ? "the anchor's own arrays" : "fomlab's draw of the anchor's recipe", cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    // the anchor's process CPU (python start, data generation, fit and scoring), for the record beside ours (fit only)
    ...(anchorCpu !== undefined ? { anchor_process_cpu_seconds: +anchorCpu.toFixed(2) } : {}),
  });
  // exact TreeSHAP (TypeScript) of the fitted 100-tree model on test events
  const shapEvents = 2000, t1 = performance.now();
  treeShap(r.forest, test.columns.map((c) => c.subarray(0, shapEvents)), shapEvents);
  const shapSeconds = (performance.now() - t1) / 1000;
  benchLine('gbdt TreeSHAP (path-dependent, TypeScript) of the 100-tree depth-3 model, 10 features', shapEvents, shapSeconds, undefined, { events_per_second: Math.round(shapEvents / shapSeconds) });
  const big = Number(process.env.FOMLAB_BENCH_GBDT_MEMORY_EVENTS ?? 10_000_000);
  const c = spawnSync(process.execPath, [fileURLToPath(new URL('./gbdt-memory.mjs', import.meta.url)), String(big)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const out = /\{.*\}/.exec(c.stdout ?? '');
  if (!out) throw new Error(`memory child failed: ${c.stderr}`);
  const { seconds: s, peakRss } = JSON.parse(out[0]) as { seconds: number; peakRss: number };
  const budget = big * 10 * (1 + 4);
  benchLine('gbdt memory 10M×10 (10 trees): peak RSS / (binned matrix + float32 columns)', big, s, undefined, {
    peak_rss_mb: Math.round(peakRss / 2 ** 20), binned_plus_columns_mb: Math.round(budget / 2 ** 20), rss_ratio: +(peakRss / budget).toFixed(2),
    rss_ratio_with_label: +(peakRss / (budget + big * 4)).toFixed(2),
  });
}
