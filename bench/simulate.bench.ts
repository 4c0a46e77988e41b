// Simulator speed and memory. JSON lines:
//   simulate_write_parquet  — the default data set (signal + 3 backgrounds) generated and written
//   simulate_peak_rss       — FOMLAB_BENCH_EVENTS (default 10 M) events streamed to Parquet in a
//                             child process, its peak resident memory (≤ 1 GiB required)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, planJobs, simulateToFile, type SimulationConfig } from '../src/simulate/index.js';

process.env.FOMLAB_NO_PROGRESS = '1';
const dir = mkdtempSync(join(tmpdir(), 'fomlab-bench-sim-'));

async function timed(what: string, cfg: SimulationConfig): Promise<void> {
  const collisions = planJobs(cfg).reduce((s, j) => s + j.trials, 0);
  const t0 = performance.now();
  const r = await simulateToFile(cfg, join(dir, `${what}.parquet`));
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ what, events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds), collisions, collisions_per_s: Math.round(collisions / seconds), perProcess: r.perProcess }));
}

if (process.argv[2] === '--child') {
  // signal-dominated so 10 M events take minutes, not hours; memory is what is measured
  const n = Number(process.argv[3]);
  const cfg: SimulationConfig = { ...defaultSimulationConfig(), signalPerMass: Math.ceil(n / 87 / 0.55), backgroundScale: { mumu_gamma: 1, tautau: 0.05, eemumu: 0.0002 } };
  const t0 = performance.now();
  const r = await simulateToFile(cfg, join(process.argv[4], 'rss.parquet'));
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ what: 'simulate_peak_rss', events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds), peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  try {
    await timed('simulate_write_parquet', defaultSimulationConfig());
    const n = Number(process.env.FOMLAB_BENCH_EVENTS ?? 10_000_000);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.bench.ts', '--child', String(n), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
