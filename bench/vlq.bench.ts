// VLQ simulator speed (simulate --channel vlq). JSON line:
//   simulate_vlq_write_parquet — the default data set (28 T masses × 10 k, 200 k inclusive and 29 slices × 10 k
//                                Z W j j, all preselected: 770 k rows) generated, preselected and written to
//                                Parquet on one thread: events_per_s counts written events, generated_per_s
//                                the events generated. No anchor: the study used MadGraph + Delphes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultVlqSimulationConfig, simulateVlqToFile } from '../src/simulate/vlq/index.js';

process.env.FOMLAB_NO_PROGRESS = '1';
const dir = mkdtempSync(join(tmpdir(), 'fomlab-bench-vlq-'));
try {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await simulateVlqToFile(defaultVlqSimulationConfig(), join(dir, 'vlq.parquet'));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    what: 'simulate_vlq_write_parquet', events: r.events, seconds: +seconds.toFixed(3), events_per_s: Math.round(r.events / seconds),
    generated: r.generated, generated_per_s: Math.round(r.generated / seconds), cpu_seconds: +((cpu.user + cpu.system) / 1e6).toFixed(3), perSample: r.perSample,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
