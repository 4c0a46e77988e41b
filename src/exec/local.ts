import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Backend } from './backend.js';
import { scriptPath, type JobSpec } from './job.js';

/**
 * The local pool: each job's script in its own process (a `fomlab train` has its own worker
 * threads), at most `workers` at a time, in submission order. Jobs live as long as this process;
 * a rerun of the sweep finds the finished ones by their result files.
 */
export class LocalBackend implements Backend {
  readonly name = 'local';
  private readonly waiting: { dir: string; job: JobSpec }[] = [];
  private readonly running = new Map<string, { dir: string; index: number; child: ChildProcess }>();
  constructor(readonly workers = Math.max(1, Math.floor(availableParallelism() / 2))) {}

  async submit(dir: string, jobs: JobSpec[]): Promise<void> {
    for (const job of jobs) this.waiting.push({ dir, job });
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.workers && this.waiting.length) {
      const { dir, job } = this.waiting.shift()!;
      const key = `${dir}\0${job.index}`;
      // own process group, so that cancel stops the job's fomlab too, not only its shell
      const child = spawn('sh', [scriptPath(dir, job.id)], { stdio: 'ignore', detached: true });
      this.running.set(key, { dir, index: job.index, child });
      const finish = (): void => {
        if (this.running.get(key)?.child !== child) return;
        this.running.delete(key);
        this.pump();
      };
      child.on('exit', finish);
      child.on('error', finish);
    }
  }

  async queued(dir: string): Promise<Map<number, 'pending' | 'running'>> {
    const out = new Map<number, 'pending' | 'running'>();
    for (const w of this.waiting) if (w.dir === dir) out.set(w.job.index, 'pending');
    for (const r of this.running.values()) if (r.dir === dir) out.set(r.index, 'running');
    return out;
  }

  async cancel(dir: string, indices?: number[]): Promise<void> {
    const chosen = (i: number): boolean => !indices || indices.includes(i);
    for (let k = this.waiting.length - 1; k >= 0; k--) if (this.waiting[k].dir === dir && chosen(this.waiting[k].job.index)) this.waiting.splice(k, 1);
    const stopping: Promise<void>[] = [];
    for (const [key, r] of this.running) {
      if (r.dir !== dir || !chosen(r.index)) continue;
      this.running.delete(key);
      stopping.push(new Promise((res) => {
        if (r.child.exitCode !== null || r.child.signalCode !== null) return res();
        r.child.once('exit', () => res());
        try {
          process.kill(-r.child.pid!, 'SIGTERM');
        } catch {
          res();
        }
      }));
    }
    await Promise.all(stopping);
    this.pump();
  }

  /** Kills the job's processes as a crash would (SIGKILL, no result file); for tests of resubmission. */
  killForTest(dir: string, index: number): boolean {
    for (const r of this.running.values()) {
      if (r.dir === dir && r.index === index && r.child.pid) {
        process.kill(-r.child.pid, 'SIGKILL');
        return true;
      }
    }
    return false;
  }
}
