// CPU seconds per thread of this process while some work runs (Linux: /proc/self/task/<tid>/stat, utime + stime),
// grouped as the main thread, the threads the work started (an ensemble's worker threads) and the others (V8's
// platform threads — concurrent/parallel GC and compilation — the addon's pool, libuv's). Issue 18: what runs beside
// an ensemble's workers. Threads that end during the work are counted up to the last sample (every 50 ms).
import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';

export interface ThreadCpu {
  main: number;
  started: number;
  others: number;
}

/** open /proc/self/task/<tid>/stat files, read again at offset 0 each sample (no open/close per read: the sampler's
 * own CPU, ~2 ms a sample with readFileSync, came out of the 2-worker run's cores) */
const open = new Map<string, number>();
const buf = Buffer.alloc(1024);

function sample(): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      let fd = open.get(tid);
      if (fd === undefined) open.set(tid, (fd = openSync(`/proc/self/task/${tid}/stat`, 'r')));
      const st = buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0));
      const f = st.slice(st.lastIndexOf(')') + 2).split(' '); // fields from the 3rd on: utime, stime are the 14th, 15th
      m.set(tid, (Number(f[11]) + Number(f[12])) / 100); // clock ticks of 1/100 s (USER_HZ)
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return m;
}

function closeAll(): void {
  for (const fd of open.values()) closeSync(fd);
  open.clear();
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
    closeAll();
  }
}
