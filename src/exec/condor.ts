import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { megabytes, runTool, seconds, type Backend, type BatchOptions } from './backend.js';
import type { JobSpec } from './job.js';
import { batchName } from './names.js';

/**
 * HTCondor: one submit description per submission, queueing the jobs by index
 * (`queue JobIndex from ( … )`), each tagged with the ClassAd attributes FomlabSweep (the sweep
 * folder) and FomlabJob (the index); `condor_q`/`condor_history -af` read them back and
 * `condor_rm -constraint` removes them. The folder must be on a file system the execute nodes
 * share (should_transfer_files = NO), as for Slurm.
 */
export class CondorBackend implements Backend {
  readonly name = 'condor';
  constructor(readonly options: BatchOptions = {}) {
    if (options.partition) throw new FomlabError('--partition: HTCondor has no partitions; leave it out (machines are matched by request_memory and the pool)');
  }

  async submit(dir: string, jobs: JobSpec[]): Promise<void> {
    if (!jobs.length) return;
    const out = await runTool('condor_submit', ['-terse', '-'], { input: condorSubmitDescription(dir, jobs.map((j) => j.index), this.options), cwd: dir });
    appendFileSync(join(dir, 'state', 'condor-clusters'), `${out.trim()} ${jobs.map((j) => j.index).join(',')}\n`);
  }

  async queued(dir: string): Promise<Map<number, 'pending' | 'running'>> {
    return parseCondorQ(await runTool('condor_q', ['-constraint', sweepConstraint(dir), '-af', 'FomlabJob', 'JobStatus']));
  }

  async cancel(dir: string, indices?: number[]): Promise<void> {
    const which = indices ? ` && (${indices.map((i) => `FomlabJob == ${i}`).join(' || ')})` : '';
    try {
      await runTool('condor_rm', ['-constraint', sweepConstraint(dir) + which]);
    } catch (e) {
      // condor_rm fails when nothing matched: then there is nothing to remove
      if (!/matching|no jobs/i.test((e as Error).message)) throw e;
    }
  }

  /** How a vanished job ended, from condor_history: `removed`, `exit N`. */
  async endState(dir: string, index: number): Promise<string | undefined> {
    try {
      return parseCondorHistory(await runTool('condor_history', ['-constraint', `${sweepConstraint(dir)} && FomlabJob == ${index}`, '-limit', '1', '-af', 'FomlabJob', 'JobStatus', 'ExitCode'])).get(index);
    } catch {
      return undefined;
    }
  }
}

/** A ClassAd string literal (backslash and quote escaped). */
function classAdString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function sweepConstraint(dir: string): string {
  return `FomlabSweep == ${classAdString(dir)}`;
}

/** The submit description of the jobs `indices` of the sweep in `dir` (HTCondor manual, condor_submit). */
export function condorSubmitDescription(dir: string, indices: number[], o: BatchOptions = {}): string {
  if (/["'\s]/.test(dir)) throw new FomlabError(`${dir}: HTCondor's arguments cannot carry quotes or spaces in the sweep folder's path; choose another --out`);
  return [
    `# fomlab sweep ${dir}`,
    'universe = vanilla',
    'executable = /bin/sh',
    `arguments = "${join(dir, 'run-job.sh')} $(JobIndex)"`,
    `initialdir = ${dir}`,
    'should_transfer_files = NO',
    'getenv = True',
    'output = logs/condor-$(ClusterId).$(ProcId).out',
    'error = logs/condor-$(ClusterId).$(ProcId).err',
    'log = state/condor.log',
    `batch_name = ${batchName(dir)}`,
    `+FomlabSweep = ${classAdString(dir)}`,
    '+FomlabJob = $(JobIndex)',
    'request_cpus = 1',
    ...(o.mem ? [`request_memory = ${megabytes(o.mem)}`] : []),
    // a wall-time limit: the job is removed (then resubmitted as lost) when it runs longer
    ...(o.time ? [`allowed_execute_duration = ${seconds(o.time)}`, `+MaxRuntime = ${seconds(o.time)}`] : []),
    ...(o.account ? [`accounting_group = ${o.account}`] : []),
    'queue JobIndex from (',
    ...indices.map(String),
    ')',
    '',
  ].join('\n');
}

// JobStatus (HTCondor manual, job ClassAd attributes): 1 Idle, 2 Running, 3 Removed,
// 4 Completed, 5 Held, 6 Transferring Output, 7 Suspended
const HELD_OR_IDLE = new Set([1, 5]);
const UNDER_WAY = new Set([2, 6, 7]);

/**
 * `condor_q -af FomlabJob JobStatus` lines (`7 2`: autoformat prints the values separated by
 * spaces, one job per line; `undefined` for a missing attribute) → held jobs by index.
 */
export function parseCondorQ(text: string): Map<number, 'pending' | 'running'> {
  const out = new Map<number, 'pending' | 'running'>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (!m) continue;
    const [index, status] = [Number(m[1]), Number(m[2])];
    if (UNDER_WAY.has(status)) out.set(index, 'running');
    else if (HELD_OR_IDLE.has(status) && out.get(index) !== 'running') out.set(index, 'pending');
  }
  return out;
}

/** `condor_history -af FomlabJob JobStatus ExitCode` lines (`7 4 0`, `3 3 undefined`) → `exit 0`, `removed` by index. */
export function parseCondorHistory(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s*$/.exec(line);
    if (!m) continue;
    const status = Number(m[2]);
    out.set(Number(m[1]), status === 3 ? 'removed' : status === 4 ? `exit ${m[3]}` : `status ${status}`);
  }
  return out;
}
