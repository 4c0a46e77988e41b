// Issue 18's sweep figure: 100 small trainings through a real single-node Slurm (started here as in
// test/exec/slurm-sweep.test.ts), one job's fomlab killed mid-training and resubmitted; the line says
// how many were lost, resubmitted, and whether the aggregated summary equals the same sweep on the
// local pool. Too long for a test (minutes on 2 cores). Skipped where Slurm is not installed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LocalBackend } from '../src/exec/local.js';
import { SlurmBackend } from '../src/exec/slurm.js';
import { submitJobs } from '../src/exec/executor.js';
import { planSweep } from '../src/exec/sweep.js';
import { sweepRow } from '../src/exec/aggregate.js';
import type { Backend } from '../src/exec/backend.js';
import { killTrainingOf, slurmSkipReason, startSlurm, whenTraining } from '../test/exec/slurm-cluster.js';
import { writeSmallEvents, writeSweepConfig } from '../test/exec/sweep-fixture.js';

const N_LR = 10, N_SEEDS = 10;
const skip = slurmSkipReason();
if (skip) {
  console.log(JSON.stringify({ what: 'sweep 100 jobs on Slurm', skipped: skip }));
  process.exit(0);
}
// FOMLAB_SWEEP_BENCH_DIR: reuse a folder of an earlier run (its finished local jobs are skipped, as a rerun of a sweep does)
const dir = process.env.FOMLAB_SWEEP_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'fomlab-sweep-bench-'));
await writeSmallEvents(dir);
const config = writeSweepConfig(dir, 'grid', Array.from({ length: N_LR }, (_, i) => 0.001 * (i + 1)), Array.from({ length: N_SEEDS }, (_, i) => i + 1), 300);

async function sweep(backend: Backend, out: string, killOne: boolean) {
  const plan = planSweep(config, out, { reports: false });
  const t0 = performance.now();
  const h = await submitJobs(backend, out, plan.jobs);
  const kill = killOne ? whenTraining(out, 'j0005', () => void killTrainingOf(out, 'j0005')) : Promise.resolve();
  const [outcomes] = await Promise.all([h.wait({ retries: 2, pollSeconds: 1 }), kill]);
  const seconds = (performance.now() - t0) / 1000;
  const rows = outcomes.map((o) => sweepRow(out, plan.jobs[o.job.index], o.state));
  return { seconds, rows, skipped: plan.jobs.length - outcomes.filter((o) => o.attempts > 0).length, lost: outcomes.filter((o) => o.state !== 'done').length, resubmitted: outcomes.reduce((s, o) => s + Math.max(0, o.attempts - 1), 0) };
}

const local = await sweep(new LocalBackend(2), join(dir, 'local'), false);
console.log(JSON.stringify({ what: `sweep ${N_LR * N_SEEDS} jobs on the local pool (2 at a time)`, jobs: N_LR * N_SEEDS, seconds: +local.seconds.toPrecision(4), lost: local.lost, finished_before: local.skipped }));
const slurm = await startSlurm(2);
process.env.SLURM_CONF = slurm.conf;
try {
  const s = await sweep(new SlurmBackend({ time: '10' }), join(dir, 'slurm'), true);
  const killed = readFileSync(join(dir, 'slurm', 'logs', 'j0005.log'), 'utf8').match(/^== /gm)?.length ?? 0;
  console.log(JSON.stringify({ what: `sweep ${N_LR * N_SEEDS} jobs on a single-node Slurm, one killed mid-way`, jobs: N_LR * N_SEEDS, seconds: +s.seconds.toPrecision(4), lost: s.lost, resubmitted: s.resubmitted, killed_job_starts: killed, summary_equal_to_local: isDeepStrictEqual(s.rows, local.rows) }));
} finally {
  await slurm.stop();
}
