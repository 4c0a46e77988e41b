import { spawn } from 'node:child_process';
import { FomlabError } from '../core/errors.js';
import type { JobSpec } from './job.js';

/** Where the jobs of a sweep run: the local pool, Slurm or HTCondor. */
export interface Backend {
  readonly name: string;
  /** Hands the jobs (scripts already written in `dir`) to the system, as one array where it has them. */
  submit(dir: string, jobs: JobSpec[]): Promise<void>;
  /**
   * The jobs of `dir` the system still holds, by job index: 'pending' or 'running'. A job
   * neither here nor with a result file is lost. Read before the result files (a job writes its
   * result before it leaves the queue).
   */
  queued(dir: string): Promise<Map<number, 'pending' | 'running'>>;
  /** Removes the jobs of `dir` from the system (scancel, condor_rm, kill). */
  cancel(dir: string, indices?: number[]): Promise<void>;
}

/** Batch-system options of `fomlab sweep` (--partition, --time, --mem, --account). */
export interface BatchOptions {
  partition?: string;
  /** wall time, Slurm's formats: minutes, HH:MM:SS, D-HH:MM:SS */
  time?: string;
  /** memory per job, e.g. 2G, 500M */
  mem?: string;
  account?: string;
}

/** Runs a command-line tool, resolving with its stdout; a failure names the tool and its message. */
export function runTool(cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // stdin only when there is input; a tool that exits without reading it must not raise EPIPE here
    const p = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', (e: NodeJS.ErrnoException) => reject(new FomlabError(e.code === 'ENOENT' ? `${cmd}: not found; is it installed and on PATH?` : `${cmd}: ${e.message}`)));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new FomlabError(`${cmd} ${args[0] ?? ''} failed (exit ${code}): ${(err.trim() || out.trim()).split('\n')[0]}`))));
    if (p.stdin) {
      p.stdin.on('error', () => undefined); // EPIPE: the tool's exit code says what happened
      p.stdin.end(opts.input);
    }
  });
}

/** `2G` → megabytes (HTCondor's request_memory unit); plain numbers are megabytes as in Slurm. */
export function megabytes(mem: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(mem.trim());
  if (!m) throw new FomlabError(`--mem: expected a size like 2G or 500M, got '${mem}'`);
  const scale: Record<string, number> = { K: 1 / 1024, '': 1, M: 1, G: 1024, T: 1024 * 1024 };
  return Math.ceil(Number(m[1]) * scale[m[2].toUpperCase()]);
}

/** Slurm's `--time` formats (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS) → seconds. */
export function seconds(time: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time.trim());
  if (!m) throw new FomlabError(`--time: expected minutes, HH:MM:SS or D-HH:MM:SS, got '${time}'`);
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  if (d !== undefined) return d * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  if (c !== undefined) return a! * 3600 + b! * 60 + c;
  if (b !== undefined) return a! * 60 + b;
  return a! * 60;
}
