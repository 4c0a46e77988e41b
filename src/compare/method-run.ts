import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import type { EventTable } from '../data/table.js';
import { trainRun } from '../train/run.js';

export interface MethodRun {
  runDir: string;
  /** wall and CPU (user + system, all threads) seconds of the training run; 0 when reused and not recorded */
  seconds: number;
  cpuSeconds: number;
  reused: boolean;
}

/**
 * One method of a comparison trained by `fomlab train`'s pipeline into `runDir`, or reused when
 * the folder holds a finished run of the same config on the same number of events (its key in
 * RUN/<keyFile>, its timing in RUN/timing.json). `needs` are the files a finished run must hold.
 */
export async function trainOrReuse(o: {
  runDir: string; raw: Record<string, unknown>; config: FomlabConfig; events?: EventTable; nEvents: number; configName: string; label: string;
  keyFile: string; needs: string[]; save: { saveTestScores?: boolean; saveScores?: boolean }; log: (line: string) => void;
}): Promise<MethodRun> {
  const key = createHash('sha256').update(JSON.stringify({ config: o.raw, events: o.nEvents })).digest('hex').slice(0, 16);
  const keyFile = join(o.runDir, o.keyFile), timing = join(o.runDir, 'timing.json');
  const done = existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() === key && o.needs.every((f) => existsSync(join(o.runDir, f)));
  if (done) {
    o.log(`compare: ${o.label} reused from ${o.runDir}`);
    const t = existsSync(timing) ? (JSON.parse(readFileSync(timing, 'utf8')) as { seconds: number; cpuSeconds: number }) : { seconds: 0, cpuSeconds: 0 };
    return { runDir: o.runDir, seconds: t.seconds, cpuSeconds: t.cpuSeconds, reused: true };
  }
  rmSync(o.runDir, { recursive: true, force: true });
  const t0 = Date.now(), cpu0 = process.cpuUsage();
  o.log(`compare: training ${o.label} → ${o.runDir}`);
  const r = await trainRun(o.config, { runDir: o.runDir, configName: o.configName, ...(o.events ? { events: o.events } : {}), log: o.log, ...o.save });
  if (r.interrupted) throw new FomlabError(`compare: ${o.label} was interrupted; run again to train it`);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (Date.now() - t0) / 1000, cpuSeconds = (cpu.user + cpu.system) / 1e6;
  writeFileAtomically(timing, `${JSON.stringify({ seconds, cpuSeconds })}\n`);
  writeFileAtomically(keyFile, `${key}\n`);
  return { runDir: o.runDir, seconds, cpuSeconds, reused: false };
}
