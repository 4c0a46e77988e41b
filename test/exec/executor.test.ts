// The executor's bookkeeping against a scripted batch system (no real jobs): which jobs are
// submitted, skipped, watched, resubmitted, and what their states are. The result files are the
// real ones (state/<id>.exit), written here as a finishing job's script would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/exec/backend.js';
import { submitJobs } from '../../src/exec/executor.js';
import { exitPath, jobId, scriptPath, type JobSpec } from '../../src/exec/job.js';

/** A batch system whose queue the test sets by hand; it records every submission. */
class ScriptedQueue implements Backend {
  readonly name = 'scripted';
  submissions: number[][] = [];
  held = new Map<number, 'pending' | 'running'>();
  cancelled = 0;
  async submit(_dir: string, jobs: JobSpec[]): Promise<void> {
    this.submissions.push(jobs.map((j) => j.index));
    for (const j of jobs) this.held.set(j.index, 'pending');
  }
  async queued(): Promise<Map<number, 'pending' | 'running'>> {
    return new Map(this.held);
  }
  async cancel(): Promise<void> {
    this.cancelled++;
    this.held.clear();
  }
}

const jobs = (dir: string, n: number): JobSpec[] => Array.from({ length: n }, (_, index) => ({ index, id: jobId(index), label: `p${index}`, argv: ['train', `c${index}.yaml`], runDir: join(dir, 'runs', jobId(index)) }));
const finish = (dir: string, q: ScriptedQueue, index: number, code: number): void => {
  writeFileSync(exitPath(dir, jobId(index)), `${code}\n`);
  q.held.delete(index);
};

test('submit writes one script per job, submits all at once; states follow the queue, then the result files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-exec-'));
  const q = new ScriptedQueue();
  const h = await submitJobs(q, dir, jobs(dir, 4));
  assert.deepEqual(q.submissions, [[0, 1, 2, 3]]);
  assert.ok(existsSync(scriptPath(dir, 'j0002')) && existsSync(join(dir, 'run-job.sh')));
  assert.match(readFileSync(scriptPath(dir, 'j0002'), 'utf8'), /'train' 'c2\.yaml'/);
  q.held.set(1, 'running');
  finish(dir, q, 0, 0);
  finish(dir, q, 2, 1);
  q.held.delete(3); // gone from the queue without a result: killed
  assert.deepEqual([...(await h.status()).values()], ['done', 'running', 'failed', 'lost']);
});

test('wait resubmits failed and lost jobs up to `retries` times, then reports them; progress counts add up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-exec-'));
  const q = new ScriptedQueue();
  const h = await submitJobs(q, dir, jobs(dir, 3));
  finish(dir, q, 0, 0);
  q.held.delete(1); // lost once, then succeeds
  finish(dir, q, 2, 1); // fails every time
  const seen: number[][] = [];
  // the scripted queue answers each resubmission at the next look
  const origSubmit = q.submit.bind(q);
  q.submit = async (d, js) => {
    await origSubmit(d, js);
    for (const j of js) (j.index === 1 ? finish(dir, q, 1, 0) : finish(dir, q, 2, 1));
  };
  const out = await h.wait({ retries: 2, pollSeconds: 0.01, onProgress: (p) => seen.push([p.done, p.running, p.pending, p.failed, p.resubmitted]) });
  assert.deepEqual(out.map((o) => [o.state, o.attempts]), [['done', 1], ['done', 2], ['failed', 3]]);
  assert.deepEqual(q.submissions, [[0, 1, 2], [1, 2], [2]]);
  for (const [done, running, pending, failed] of seen) assert.equal(done + running + pending + failed, 3);
  assert.deepEqual(seen[seen.length - 1], [2, 0, 0, 1, 3]);
});

test('a rerun skips finished jobs and watches the held ones instead of submitting them twice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-exec-'));
  const q = new ScriptedQueue();
  await submitJobs(q, dir, jobs(dir, 4));
  finish(dir, q, 0, 0);
  finish(dir, q, 1, 137); // killed worker: rerun
  q.held.set(2, 'running'); // still running from the first submission
  q.held.delete(3); // lost
  const h = await submitJobs(q, dir, jobs(dir, 4));
  assert.deepEqual(q.submissions, [[0, 1, 2, 3], [1, 3]]);
  assert.ok(!existsSync(exitPath(dir, 'j0001')), 'the old failure is forgotten before the rerun');
  assert.deepEqual([...(await h.status()).values()], ['done', 'pending', 'running', 'pending']);
  await h.cancel();
  assert.equal(q.cancelled, 1);
  assert.deepEqual([...(await h.status()).values()], ['done', 'cancelled', 'cancelled', 'cancelled']);
  const out = await h.wait({ pollSeconds: 0.01 });
  assert.deepEqual(q.submissions.length, 2, 'cancelled jobs are not resubmitted');
  assert.deepEqual(out.map((o) => o.state), ['done', 'cancelled', 'cancelled', 'cancelled']);
});

test('a job that ends with exit 2 (a user error: bad config or file) is not resubmitted', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-exec-'));
  const q = new ScriptedQueue();
  const h = await submitJobs(q, dir, jobs(dir, 2));
  finish(dir, q, 0, 2);
  finish(dir, q, 1, 0);
  const out = await h.wait({ retries: 2, pollSeconds: 0.01 });
  assert.deepEqual(out.map((o) => [o.state, o.attempts]), [['failed', 1], ['done', 1]]);
  assert.deepEqual(q.submissions, [[0, 1]]);
});
