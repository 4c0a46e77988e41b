import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend } from './backend.js';
import { clearResult, exitCodeOf, writeJobScript, type JobSpec, type JobState } from './job.js';

/** Counts across the jobs of a sweep, for the progress view. */
export interface SweepProgress {
  total: number;
  done: number;
  running: number;
  pending: number;
  /** failed or lost, waiting to be resubmitted or out of retries */
  failed: number;
  /** resubmissions so far (failed or killed jobs run again) */
  resubmitted: number;
  /** jobs finished before this submission (skipped) */
  skipped: number;
}

export interface WaitOptions {
  /** resubmissions per job after a failure (other than exit 2, a user error) or a loss (default 2) */
  retries?: number;
  /** seconds between two looks at the queue (default 2) */
  pollSeconds?: number;
  /** called after every look at the queue */
  onProgress?: (p: SweepProgress, states: ReadonlyMap<number, JobState>) => void;
  /** set [0] to non-zero to stop waiting (the jobs keep their places in the queue) */
  stop?: Int32Array;
}

export interface JobOutcome {
  job: JobSpec;
  state: JobState;
  /** times the job was submitted by this handle */
  attempts: number;
}

/** What `submitJobs` returns: the state of the sweep's jobs, waiting for them, cancelling them. */
export interface SweepHandle {
  readonly jobs: readonly JobSpec[];
  /** Each job's state now (one look at the queue, then at the result files). */
  status(): Promise<Map<number, JobState>>;
  /** Waits until every job is done or out of retries, resubmitting failed and lost ones. */
  wait(options?: WaitOptions): Promise<JobOutcome[]>;
  /** Removes the sweep's jobs from the queue; unfinished jobs become 'cancelled'. */
  cancel(): Promise<void>;
}

/**
 * Submits the jobs (plain data; the scripts are written to `dir`) to `backend`, idempotently:
 * a job with a successful result is skipped, a job the system still holds (from an earlier
 * `fomlab sweep` that was left) is watched, not submitted twice; every other job is (re)submitted.
 */
export async function submitJobs(backend: Backend, dir: string, jobs: JobSpec[]): Promise<SweepHandle> {
  for (const job of jobs) writeJobScript(dir, job);
  const held = await backend.queued(dir);
  const attempts = new Map<number, number>();
  const fresh = jobs.filter((j) => exitCodeOf(dir, j.id) !== 0 && !held.has(j.index));
  for (const j of fresh) {
    clearResult(dir, j.id);
    attempts.set(j.index, 1);
  }
  await backend.submit(dir, fresh);
  const skipped = jobs.filter((j) => exitCodeOf(dir, j.id) === 0).length;
  let cancelled = false;

  const status = async (): Promise<Map<number, JobState>> => {
    const queued = await backend.queued(dir); // before the result files: a job writes its result, then leaves
    const out = new Map<number, JobState>();
    for (const j of jobs) {
      const code = exitCodeOf(dir, j.id);
      out.set(j.index, code === 0 ? 'done' : code !== null ? 'failed' : queued.get(j.index) ?? (cancelled ? 'cancelled' : 'lost'));
    }
    return out;
  };

  let resubmitted = 0;
  const wait = async (o: WaitOptions = {}): Promise<JobOutcome[]> => {
    const retries = o.retries ?? 2;
    for (;;) {
      const states = await status();
      const again = jobs.filter((j) => {
        const s = states.get(j.index);
        // exit 2 is fomlab's user error (a bad config or file): running it again cannot help
        const userError = s === 'failed' && exitCodeOf(dir, j.id) === 2;
        return !cancelled && !userError && (s === 'failed' || s === 'lost') && (attempts.get(j.index) ?? 0) <= retries;
      });
      if (again.length) {
        for (const j of again) {
          clearResult(dir, j.id);
          attempts.set(j.index, (attempts.get(j.index) ?? 0) + 1);
          states.set(j.index, 'pending');
        }
        resubmitted += again.length;
        await backend.submit(dir, again);
      }
      const count = (s: JobState): number => [...states.values()].filter((x) => x === s).length;
      o.onProgress?.({ total: jobs.length, done: count('done'), running: count('running'), pending: count('pending'), failed: count('failed') + count('lost'), resubmitted, skipped }, states);
      const unfinished = [...states.values()].some((s) => s === 'pending' || s === 'running');
      if (!unfinished || (o.stop && Atomics.load(o.stop, 0) !== 0)) {
        return jobs.map((job) => ({ job, state: states.get(job.index)!, attempts: attempts.get(job.index) ?? 0 }));
      }
      await sleep((o.pollSeconds ?? 2) * 1000);
    }
  };

  return {
    jobs,
    status,
    wait,
    async cancel() {
      cancelled = true;
      await backend.cancel(dir);
    },
  };
}
