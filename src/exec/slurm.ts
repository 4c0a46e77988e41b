import { appendFileSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, type Backend, type BatchOptions } from './backend.js';
import { shellQuote, type JobSpec } from './job.js';
import { batchName } from './names.js';

/**
 * Slurm: one `sbatch --array=<job indices>` per submission (array index = job index, so a
 * resubmission of jobs 3 and 7 is `--array=3,7`), `squeue` for the jobs still held, `sacct` for
 * why a job vanished, `scancel` to remove them. The array ids go to DIR/state/slurm-jobs.
 */
export class SlurmBackend implements Backend {
  readonly name = 'slurm';
  constructor(readonly options: BatchOptions = {}) {}

  /** The sbatch arguments of a submission (without the script). */
  sbatchArgs(dir: string, indices: number[]): string[] {
    const o = this.options;
    return [
      '--parsable',
      `--array=${indices.join(',')}`,
      `--job-name=${batchName(dir)}`,
      `--chdir=${dir}`,
      `--output=${join(dir, 'logs', 'slurm-%A_%a.out')}`,
      '--ntasks=1',
      ...(o.partition ? [`--partition=${o.partition}`] : []),
      ...(o.time ? [`--time=${o.time}`] : []),
      ...(o.mem ? [`--mem=${o.mem}`] : []),
      ...(o.account ? [`--account=${o.account}`] : []),
    ];
  }

  async submit(dir: string, jobs: JobSpec[]): Promise<void> {
    if (!jobs.length) return;
    const script = join(dir, 'slurm-array.sh');
    writeFileSync(script, `#!/bin/sh\n# one array task of a fomlab sweep: job number $SLURM_ARRAY_TASK_ID\nexec sh ${shellQuote(join(dir, 'run-job.sh'))} "$SLURM_ARRAY_TASK_ID"\n`);
    chmodSync(script, 0o755);
    const out = await runTool('sbatch', [...this.sbatchArgs(dir, jobs.map((j) => j.index)), script]);
    const id = out.trim().split(';')[0];
    appendFileSync(join(dir, 'state', 'slurm-jobs'), `${id} ${jobs.map((j) => j.index).join(',')}\n`);
  }

  async queued(dir: string): Promise<Map<number, 'pending' | 'running'>> {
    return parseSqueue(await runTool('squeue', ['-h', '-r', `--name=${batchName(dir)}`, '-o', '%i|%T']));
  }

  async cancel(dir: string, indices?: number[]): Promise<void> {
    if (!indices) {
      await runTool('scancel', [`--name=${batchName(dir)}`]);
      return;
    }
    const tasks = submittedArrays(dir).flatMap(({ id, indices: mine }) => mine.filter((i) => indices.includes(i)).map((i) => `${id}_${i}`));
    if (tasks.length) await runTool('scancel', tasks);
  }

  /** Slurm's word for how a vanished job ended (TIMEOUT, OUT_OF_MEMORY, NODE_FAIL …), when sacct knows. */
  async endState(dir: string, index: number): Promise<string | undefined> {
    const arrays = submittedArrays(dir).filter((a) => a.indices.includes(index));
    const last = arrays[arrays.length - 1];
    if (!last) return undefined;
    try {
      return parseSacct(await runTool('sacct', ['-n', '-P', '-X', '-j', `${last.id}_${index}`, '-o', 'JobID,State'])).get(index);
    } catch {
      return undefined; // no accounting storage on this cluster
    }
  }
}

function submittedArrays(dir: string): { id: string; indices: number[] }[] {
  let text = '';
  try {
    text = readFileSync(join(dir, 'state', 'slurm-jobs'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => {
    const [id, list] = l.split(' ');
    return { id, indices: list.split(',').map(Number) };
  });
}

// squeue's job states (man squeue, JOB STATE CODES) that mean "not started yet" / "under way"
const PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SPECIAL_EXIT', 'CONFIGURING', 'RESIZING']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT']);

/**
 * `squeue -h -r -o '%i|%T'` lines (`1234_7|RUNNING`; -r gives one line per array task) → the
 * held jobs by array index. Finished tasks (COMPLETED, FAILED … shown for MinJobAge) are left out.
 */
export function parseSqueue(text: string): Map<number, 'pending' | 'running'> {
  const out = new Map<number, 'pending' | 'running'>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)_(\d+)\|([A-Z_]+)/.exec(line);
    if (!m) continue;
    const state = m[3];
    const index = Number(m[2]);
    if (RUNNING.has(state)) out.set(index, 'running');
    else if (PENDING.has(state) && out.get(index) !== 'running') out.set(index, 'pending');
  }
  return out;
}

/** `sacct -n -P -X -o JobID,State` lines (`1234_7|CANCELLED by 0`) → state by array index. */
export function parseSacct(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+)_(\d+)\|([A-Z_]+)/.exec(line.trim());
    if (m) out.set(Number(m[2]), m[3]);
  }
  return out;
}
