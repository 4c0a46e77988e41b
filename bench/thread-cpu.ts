// CPU seconds per thread of this process while some work runs (Linux: /proc/self/task/<tid>/stat, utime + stime),
// grouped as the main thread, the threads the work started (an ensemble's worker threads) and the others (V8's
// platform threads — concurrent/parallel GC and compilation — the addon's pool, libuv's). Issue 18: what runs beside
// an ensemble's workers.
// No sampling while the work runs (a sampler's own CPU came out of the 2-worker run's cores): the threads are read
// before and after it, and the threads that ended in between (the workers, terminated when their tasks are done) are
// the rest of the process's CPU time (getrusage counts ended threads too). A thread started during the work that is
// still alive at its end (e.g. the addon's pool, started on first use) counts as an other thread.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  main: number;
  started: number;
  others: number;
}

function sample(): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: utime, stime are the 14th, 15th
      m.set(tid, (Number(f[11]) + Number(f[12])) / 100); // clock ticks of 1/100 s (USER_HZ)
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return m;
}

const processSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Runs `work` and returns its result with the CPU seconds per thread group; null groups where /proc is absent. */
export async function withThreadCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpu: ThreadCpu | null }> {
  if (!existsSync('/proc/self/task')) return { value: await work(), cpu: null };
  const before = sample(), total0 = processSeconds();
  const value = await work();
  const total = processSeconds() - total0, after = sample();
  const cpu: ThreadCpu = { main: 0, started: 0, others: 0 };
  for (const [tid, v] of after) {
    const d = v - (before.get(tid) ?? 0);
    if (tid === String(process.pid)) cpu.main += d;
    else cpu.others += d;
  }
  // threads alive before and gone after: ended during the work too, but not started by it (rare: counted with the started)
  cpu.started = Math.max(0, total - cpu.main - cpu.others);
  return { value, cpu };
}
