// Simulator speed and memory. JSON lines:
//   simulate_write_parquet             — the default data set (signal + 3 backgrounds) planned (incl. the
//                                         eeμμ integrals), generated and written to Parquet on one thread
//                                         (cpu_seconds: the process's CPU time over the same span)
//   simulate_write_parquet_typescript  — the same on the TypeScript event loop (FOMLAB_KERNELS=typescript,
//                                         in a child): the reference the C++ loop was ported from
//   simulate_peak_rss                  — FOMLAB_BENCH_EVENTS (default 10 M) events streamed to Parquet in a
//                                         child process, its peak resident memory (≤ 1 GiB required)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, simulateToFile, type SimulationConfig } from '../src/simulate/index.js';

process.env.FOMLAB_NO_PROGRESS = '1';

async function timed(what: string, cfg: SimulationConfig, dir: string): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await simulateToFile(cfg, join(dir, `${what}.parquet`));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    what, events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds), collisions: r.collisions,
    collisions_per_s: Math.round(r.collisions / seconds), cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(3), perProcess: r.perProcess,
  }));
}

const child = (args: string[], env: NodeJS.ProcessEnv = process.env): boolean =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/simulate.bench.ts', ...args], { stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;

if (process.argv[2] === '--rss') {
  // signal-dominated so 10 M events take seconds, not minutes; memory is what is measured
  const n = Number(process.argv[3]);
  const cfg: SimulationConfig = { ...defaultSimulationConfig(), signalPerMass: Math.ceil(n / 87 / 0.55), backgroundScale: { mumu_gamma: 1, tautau: 0.05, eemumu: 0.0002 } };
  const t0 = performance.now();
  const r = await simulateToFile(cfg, join(process.argv[4], 'rss.parquet'));
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ what: 'simulate_peak_rss', events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds), peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else if (process.argv[2] === '--typescript') {
  await timed('simulate_write_parquet_typescript', defaultSimulationConfig(), process.argv[3]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-bench-sim-'));
  try {
    await timed('simulate_write_parquet', defaultSimulationConfig(), dir);
    let ok = child(['--typescript', dir], { ...process.env, FOMLAB_KERNELS: 'typescript' });
    ok = child(['--rss', String(Number(process.env.FOMLAB_BENCH_EVENTS ?? 10_000_000)), dir]) && ok;
    if (!ok) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
