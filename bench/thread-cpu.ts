// CPU seconds per thread of this process while some work runs (Linux: /proc/self/task/<tid>/stat, utime + stime),
// grouped as the main thread, the threads the work started (an ensemble's worker threads) and the others (V8's
// platform threads — concurrent/parallel GC and compilation — the addon's pool, libuv's). Issue 18: what runs beside
// an ensemble's workers. Threads that end during the work are counted up to the last sample (every 50 ms).
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

/** Runs `work` and returns its result with the CPU seconds per thread group; null groups where /proc is absent. */
export async function withThreadCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpu: ThreadCpu | null }> {
  if (!existsSync('/proc/self/task')) return { value: await work(), cpu: null };
  const before = sample(), last = new Map(before);
  const timer = setInterval(() => { for (const [k, v] of sample()) last.set(k, v); }, 50);
  try {
    const value = await work();
    for (const [k, v] of sample()) last.set(k, v);
    const cpu: ThreadCpu = { main: 0, started: 0, others: 0 };
    for (const [tid, v] of last) {
      const d = v - (before.get(tid) ?? 0);
      if (tid === String(process.pid)) cpu.main += d;
      else if (before.has(tid)) cpu.others += d;
      else cpu.started += d;
    }
    return { value, cpu };
  } finally {
    clearInterval(timer);
  }
}
