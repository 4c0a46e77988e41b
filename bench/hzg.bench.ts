// H → Zγ simulator speed. JSON line:
//   simulate_hzg_write_parquet — the default data set (400 k H → Zγ + 3 M Zγ generated, ≈ 0.5 M selected)
//                                generated, selected and written to Parquet on one thread: events_per_s counts
//                                written (selected) events, generated_per_s the events generated
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHzgSimulationConfig, simulateHzgToFile } from '../src/simulate/hzg/index.js';

process.env.FOMLAB_NO_PROGRESS = '1';
const dir = mkdtempSync(join(tmpdir(), 'fomlab-bench-hzg-'));
try {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await simulateHzgToFile(defaultHzgSimulationConfig(), join(dir, 'hzg.parquet'));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    what: 'simulate_hzg_write_parquet', events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds),
    generated: r.generated, generated_per_s: Math.round(r.generated / seconds), cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(3), perProcess: r.perProcess,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
