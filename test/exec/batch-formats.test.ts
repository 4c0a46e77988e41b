// The batch systems' texts: Slurm's sbatch options and squeue/sacct lines, HTCondor's submit
// description and condor_q/condor_history -af lines. Expected texts follow the manuals (man
// squeue: JOB STATE CODES, `%i` of an array task is JOBID_TASKID with -r; HTCondor manual:
// condor_submit's `queue <var> from (list)`, `+Attr = value` custom ClassAd attributes,
// request_memory in MiB; job ClassAd JobStatus 1 Idle, 2 Running, 3 Removed, 4 Completed,
// 5 Held, 6 Transferring Output, 7 Suspended; -af prints the values space-separated, one job a line).
// The squeue text below is what the Debian 12 slurm 22.05 of slurm-sweep.test.ts printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CondorBackend, condorSubmitDescription, parseCondorHistory, parseCondorQ, sweepConstraint } from '../../src/exec/condor.js';
import { SlurmBackend, parseSacct, parseSqueue } from '../../src/exec/slurm.js';
import { megabytes, seconds } from '../../src/exec/backend.js';
import { batchName } from '../../src/exec/names.js';

test('squeue -h -r -o %i|%T: held array tasks by index; finished tasks (shown for MinJobAge) left out', () => {
  const text = ['1_[2-3%2]|PENDING', '1_0|RUNNING', '1_1|COMPLETING', '1_4|PENDING', '1_5|COMPLETED', '1_6|FAILED', '1_7|CANCELLED', '2_7|PENDING', '1_8|SUSPENDED', ''].join('\n');
  assert.deepEqual([...parseSqueue(text)].sort((a, b) => a[0] - b[0]), [[0, 'running'], [1, 'running'], [4, 'pending'], [7, 'pending'], [8, 'running']]);
});

test('sacct -n -P -X -o JobID,State: end states by array index', () => {
  assert.deepEqual([...parseSacct('12_3|TIMEOUT\n12_4|CANCELLED by 0\n12_5|OUT_OF_MEMORY\n12|FAILED\n')], [[3, 'TIMEOUT'], [4, 'CANCELLED'], [5, 'OUT_OF_MEMORY']]);
});

test('sbatch: one array over the job indices with the sweep name, partition, time, memory and account', () => {
  const args = new SlurmBackend({ partition: 'gpu', time: '1-00:00:00', mem: '2G', account: 'belle' }).sbatchArgs('/data/sw', [0, 3, 7]);
  assert.deepEqual(args, ['--parsable', '--array=0,3,7', `--job-name=${batchName('/data/sw')}`, '--chdir=/data/sw', '--output=/data/sw/logs/slurm-%A_%a.out', '--ntasks=1', '--partition=gpu', '--time=1-00:00:00', '--mem=2G', '--account=belle']);
  assert.match(batchName('/data/sw'), /^fomlab-sw-[0-9a-f]{8}$/);
  assert.notEqual(batchName('/data/sw'), batchName('/other/sw'));
});

test('Slurm --time and --mem in HTCondor units: seconds and MiB', () => {
  // 90 = 90 min; 1:30 = MM:SS; 2:00:00 = 2 h; 1-12 = 1 day 12 h; 1-00:00:30
  assert.deepEqual(['90', '1:30', '2:00:00', '1-12', '1-00:00:30'].map(seconds), [5400, 90, 7200, 129600, 86430]);
  assert.deepEqual(['2G', '500M', '1500', '0.5G'].map(megabytes), [2048, 500, 1500, 512]);
  assert.throws(() => seconds('2h'), /--time: expected minutes, HH:MM:SS or D-HH:MM:SS, got '2h'/);
  assert.throws(() => megabytes('lots'), /--mem: expected a size like 2G or 500M, got 'lots'/);
});

test('HTCondor submit description: one cluster queueing the jobs by index, tagged for condor_q', () => {
  const text = condorSubmitDescription('/eos/sw', [2, 5], { time: '2:00:00', mem: '2G', account: 'group_u_BELLE.user' });
  const lines = text.split('\n');
  for (const l of ['universe = vanilla', 'executable = /bin/sh', 'arguments = "/eos/sw/run-job.sh $(JobIndex)"', 'initialdir = /eos/sw', 'should_transfer_files = NO',
    '+FomlabSweep = "/eos/sw"', '+FomlabJob = $(JobIndex)', 'request_memory = 2048', 'allowed_execute_duration = 7200', '+MaxRuntime = 7200', 'accounting_group = group_u_BELLE.user']) {
    assert.ok(lines.includes(l), `missing line: ${l}\n${text}`);
  }
  assert.deepEqual(lines.slice(-5), ['queue JobIndex from (', '2', '5', ')', '']);
  assert.equal(sweepConstraint('/eos/s"w'), 'FomlabSweep == "/eos/s\\"w"');
  assert.throws(() => condorSubmitDescription('/my sweeps/a', [0]), /spaces in the sweep folder/);
  assert.throws(() => new CondorBackend({ partition: 'short' }), /--partition: HTCondor has no partitions/);
});

test('condor_q -af FomlabJob JobStatus: idle and held pending, running/transferring/suspended running, removed and completed gone', () => {
  const text = '0 1\n1 2\n2 3\n3 4\n4 5\n5 6\n6 7\nundefined 2\n';
  assert.deepEqual([...parseCondorQ(text)], [[0, 'pending'], [1, 'running'], [4, 'pending'], [5, 'running'], [6, 'running']]);
});

test('condor_history -af FomlabJob JobStatus ExitCode: how each job ended', () => {
  assert.deepEqual([...parseCondorHistory('3 4 0\n4 4 137\n5 3 undefined\n')], [[3, 'exit 0'], [4, 'exit 137'], [5, 'removed']]);
});

const hasCondor = spawnSync('condor_submit', ['-version']).status === 0;
test('HTCondor for real: a job (fomlab --help) runs through condor_submit and condor_q to its result file', { skip: hasCondor ? false : 'HTCondor not installed (condor_submit not on PATH): only its formats are tested', timeout: 600_000 }, async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { submitJobs } = await import('../../src/exec/executor.js');
  // a shared folder: the home directory rather than /tmp, which execute nodes do not see
  const dir = mkdtempSync(join(process.env.HOME ?? '.', 'fomlab-condor-'));
  const job = { index: 0, id: 'j0000', label: 'help', argv: ['--help'], runDir: join(dir, 'runs', 'j0000') };
  const out = await (await submitJobs(new CondorBackend(), dir, [job])).wait({ pollSeconds: 5, retries: 0 });
  assert.deepEqual(out.map((o) => o.state), ['done']);
  assert.match(readFileSync(join(dir, 'logs', 'j0000.log'), 'utf8'), /fomlab/);
});

test('runTool: a tool that exits without reading its input resolves by its exit code (no EPIPE thrown later)', async () => {
  const { runTool } = await import('../../src/exec/backend.js');
  // 4 MiB is far beyond a pipe's buffer: the write fails with EPIPE once sh has exited
  assert.equal(await runTool('sh', ['-c', 'echo done'], { input: 'x'.repeat(4 << 20) }), 'done\n');
  await assert.rejects(runTool('sh', ['-c', 'echo no >&2; exit 3'], { input: 'x'.repeat(4 << 20) }), { message: 'sh -c failed (exit 3): no' });
  assert.equal(await runTool('sh', ['-c', 'cat | wc -c'], { input: 'abc' }), '3\n');
  await new Promise((r) => setTimeout(r, 200)); // an EPIPE raised after the calls would fail the test file here
});
