// fomlab sweep on a real single-node Slurm started by the test (see slurm-cluster.ts): 20 small
// trainings as one sbatch array, one job's fomlab process killed mid-training (exit 137 → failed)
// and one array task removed with scancel (no result → lost); both are resubmitted, none is lost,
// and the aggregated summary equals that of the same sweep on the local pool, number for number
// (same seeds → same nets). Skipped with one message where Slurm is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { SlurmBackend } from '../../src/exec/slurm.js';
import { submitJobs } from '../../src/exec/executor.js';
import { planSweep } from '../../src/exec/sweep.js';
import { sweepRow, writeSweepSummary } from '../../src/exec/aggregate.js';
import { runTool } from '../../src/exec/backend.js';
import { logPath } from '../../src/exec/job.js';
import { killTrainingOf, slurmSkipReason, startSlurm, whenTraining } from './slurm-cluster.js';
import { writeSmallEvents, writeSweepConfig } from './sweep-fixture.js';

const skip = slurmSkipReason();

test('a sweep of 20 jobs on a real Slurm: a killed and a cancelled job are resubmitted, 0 lost, summary equal to the local pool', { skip, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-slurm-sweep-'));
  await writeSmallEvents(dir);
  const config = writeSweepConfig(dir, 'grid', [0.001, 0.002, 0.004, 0.008, 0.016], [1, 2, 3, 4], 400);

  // the same sweep on the local pool, through the command
  const local = await runCli(['sweep', config, '--out', join(dir, 'local'), '--jobs', '2', '--no-reports', '--poll', '0.2']);
  assert.equal(local.code, 0, local.err);
  const localRows = JSON.parse(readFileSync(join(dir, 'local', 'summary.json'), 'utf8')).rows;
  assert.equal(localRows.length, 20);

  const slurm = await startSlurm(2);
  const before = process.env.SLURM_CONF;
  process.env.SLURM_CONF = slurm.conf;
  try {
    const out = join(dir, 'slurm');
    const plan = planSweep(config, out, { reports: false });
    const backend = new SlurmBackend({ time: '10', mem: '500M' });
    const handle = await submitJobs(backend, out, plan.jobs);
    const arrays = () => readFileSync(join(out, 'state', 'slurm-jobs'), 'utf8').trim().split('\n');
    assert.equal(arrays().length, 1, 'one sbatch array for the 20 jobs');
    assert.match(arrays()[0], /^\d+ 0,1,2,.*,19$/);
    // a worker dies mid-training (SIGKILL of its fomlab: exit 137) and a task is cancelled (scancel: no result at all)
    const killed = whenTraining(out, 'j0003', () => assert.ok(killTrainingOf(out, 'j0003'), 'the fomlab process of j0003'));
    const cancelled = whenTraining(out, 'j0006', () => runTool('scancel', [`${arrays()[0].split(' ')[0]}_6`]).then(() => undefined));
    let sawFailure = false;
    const [outcomes] = await Promise.all([handle.wait({ retries: 2, pollSeconds: 0.5, onProgress: (p) => void (sawFailure ||= p.failed > 0 || p.resubmitted > 0) }), killed, cancelled]);
    assert.ok(sawFailure);
    assert.deepEqual(outcomes.map((o) => o.state), new Array(20).fill('done'), 'no job lost');
    assert.equal(outcomes[3].attempts, 2, 'j0003 resubmitted once');
    assert.equal(outcomes[6].attempts, 2, 'j0006 resubmitted once');
    assert.equal(outcomes.filter((o) => o.attempts === 1).length, 18);
    assert.match(readFileSync(logPath(out, 'j0003'), 'utf8'), /== .*\n[\s\S]*== /, 'the log shows two starts of j0003');

    const rows = outcomes.map((o) => sweepRow(out, plan.jobs[o.job.index], o.state));
    writeSweepSummary(out, 'fomlab sweep grid', rows);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).rows, localRows);

    // idempotent: submitting the sweep again submits nothing, every job already done
    const again = await submitJobs(backend, out, planSweep(config, out, { reports: false }).jobs);
    assert.equal(arrays().length, 3, 'the first array and the two resubmissions only');
    assert.deepEqual([...(await again.status()).values()], new Array(20).fill('done'));
  } finally {
    if (before === undefined) delete process.env.SLURM_CONF;
    else process.env.SLURM_CONF = before;
    await slurm.stop();
  }
});
