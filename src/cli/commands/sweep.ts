import { basename, extname, join, relative, resolve } from 'node:path';
import { FomlabError } from '../../api/core.js';
import { CondorBackend, LocalBackend, SlurmBackend, planSweep, submitJobs, sweepRow, sweepTable, writeSweepSummary, type Backend, type JobOutcome, type JobSpec, type SweepProgress } from '../../api/exec.js';
import { compareJobs, isCompareConfig, runCompare } from '../../api/compare.js';
import { parseOptions, stopOnInterrupt } from '../args.js';
import type { Command } from '../main.js';

const EXECUTORS = ['local', 'slurm', 'condor'] as const;

export const command: Command = {
  usage: [
    'fomlab sweep CONFIG [--out DIR] [--executor local|slurm|condor] [options]',
    '  CONFIG has a sweep: section (grid of settings, seeds, mass regions); each point is a',
    '  `fomlab train` of a derived config into DIR/runs/<job>; finished jobs are skipped on a rerun.',
    '  CONFIG with a compare: section instead: each (method, trial) cell is one job, and DIR holds',
    '  the same table as `fomlab compare CONFIG --out DIR` (DIR/table.csv, DIR/index.html).',
    '  --out DIR          the sweep folder, on a file system the batch nodes share (default runs/<config name>-sweep)',
    '  --executor NAME    local (default: this machine), slurm (sbatch array) or condor (condor_submit)',
    '  --partition P      Slurm partition        --time T     wall time per job (minutes, HH:MM:SS, D-HH:MM:SS)',
    '  --mem M            memory per job (2G)    --account A  Slurm account / HTCondor accounting_group',
    '  --jobs N           local: jobs at a time (default: half the cores)',
    '  --no-reports       skip each job\'s HTML report',
    '  --quick            a compare: config\'s compare.quick (fewer events, epochs, trials)',
    '  --detach           submit and return; run the same command again to watch and collect',
    '  --cancel           remove the sweep\'s jobs from the queue',
    'Writes DIR/summary.json and DIR/index.html (a table of σ_min per job, linking each report; for a compare: config Table 1).',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions('sweep', args, {
      out: { type: 'string' }, executor: { type: 'string' }, partition: { type: 'string' }, time: { type: 'string' },
      mem: { type: 'string' }, account: { type: 'string' }, jobs: { type: 'string' }, 'no-reports': { type: 'boolean' },
      detach: { type: 'boolean' }, cancel: { type: 'boolean' }, poll: { type: 'string' }, quick: { type: 'boolean' },
    }, { min: 1, max: 1, names: 'one CONFIG file with a sweep: (or compare:) section' });
    const configPath = positionals[0];
    const name = basename(configPath, extname(configPath));
    const dir = resolve(values.out ?? join('runs', `${name}-sweep`));
    const backend = backendOf(values);
    const compare = isCompareConfig(configPath);
    if (values.quick && !compare) throw new FomlabError('sweep: --quick applies to a config with a compare: section');
    const plan: { jobs: JobSpec[]; retries: number; collect: (outcomes: JobOutcome[]) => Promise<void> } = compare
      ? { jobs: await compareJobs(configPath, dir, { quick: values.quick ?? false }), retries: 2, collect: () => collectCompare(configPath, dir, values.quick ?? false) }
      : sweepPlan(configPath, dir, name, !values['no-reports']);
    if (values.cancel) {
      await backend.cancel(dir);
      console.log(`sweep: the jobs of ${dir} removed from ${backend.name}`);
      return 0;
    }
    const handle = await submitJobs(backend, dir, plan.jobs);
    console.error(`sweep: ${plan.jobs.length} jobs in ${dir} on ${backend.name}`);
    if (values.detach) {
      if (backend.name === 'local') throw new FomlabError('sweep: --detach needs a batch system (--executor slurm or condor); local jobs end with this process');
      console.log(`submitted; run the same command again (without --detach) to watch and collect`);
      return 0;
    }
    const poll = values.poll === undefined ? (backend.name === 'local' ? 0.5 : 5) : Number(values.poll);
    if (!(poll > 0)) throw new FomlabError(`sweep: --poll: expected seconds > 0, got '${values.poll}'`);
    const { stop, dispose } = stopOnInterrupt(backend.name === 'local' ? 'rerun the same command to continue (finished jobs are kept)' : 'the jobs stay queued; rerun the same command to watch and collect');
    let outcomes;
    try {
      let last = '';
      outcomes = await handle.wait({
        retries: plan.retries, pollSeconds: poll, stop,
        onProgress: (p) => {
          const line = progressLine(p);
          if (line !== last) console.error((last = line));
        },
      });
    } finally {
      dispose();
    }
    if (Atomics.load(stop, 0) !== 0) {
      if (backend.name === 'local') await handle.cancel();
      return 130;
    }
    await plan.collect(outcomes);
    const failed = outcomes.filter((o) => o.state !== 'done');
    if (failed.length) {
      console.error(`fomlab: ${failed.length} job${failed.length === 1 ? '' : 's'} did not finish after ${plan.retries} retr${plan.retries === 1 ? 'y' : 'ies'}: ${failed.map((o) => `${o.job.id} (${o.state}, log ${join(dir, 'logs', `${o.job.id}.log`)})`).join(', ')}`);
      return 1;
    }
    return 0;
  },
};

/** A sweep: section's jobs (`fomlab train` of derived configs) and their summary page. */
function sweepPlan(configPath: string, dir: string, name: string, reports: boolean): { jobs: JobSpec[]; retries: number; collect: (outcomes: JobOutcome[]) => Promise<void> } {
  const plan = planSweep(configPath, dir, { reports });
  return {
    jobs: plan.jobs, retries: plan.sweep.retries,
    async collect(outcomes) {
      const rows = outcomes.map((o) => sweepRow(dir, plan.jobs[o.job.index], o.state));
      const { html } = writeSweepSummary(dir, `fomlab sweep ${name}`, rows);
      console.log(sweepTable(rows));
      console.log(`\nsweep summary: ${shown(html)}`);
    },
  };
}

/** A comparison's jobs are its cells: the table of the finished ones, as `fomlab compare --table-only` writes it. */
async function collectCompare(configPath: string, dir: string, quick: boolean): Promise<void> {
  const r = await runCompare(configPath, { out: dir, quick, tableOnly: true });
  console.log(r.markdown);
  console.log(`\ncompare table: ${shown(r.csv)}, ${shown(r.html)}`);
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function progressLine(p: SweepProgress): string {
  const parts = [`${p.done}/${p.total} done`, `${p.running} running`, `${p.pending} pending`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.resubmitted) parts.push(`${p.resubmitted} resubmitted`);
  if (p.skipped) parts.push(`${p.skipped} finished before`);
  return `sweep: ${parts.join(' · ')}`;
}

function backendOf(v: { executor?: string; partition?: string; time?: string; mem?: string; account?: string; jobs?: string }): Backend {
  const executor = v.executor ?? 'local';
  const batch = { partition: v.partition, time: v.time, mem: v.mem, account: v.account };
  if (executor === 'slurm') return new SlurmBackend(batch);
  if (executor === 'condor') return new CondorBackend(batch);
  if (executor !== 'local') throw new FomlabError(`sweep: --executor: expected one of ${EXECUTORS.join(', ')}, got '${executor}'`);
  const set = Object.entries(batch).filter(([, x]) => x !== undefined).map(([k]) => `--${k}`);
  if (set.length) throw new FomlabError(`sweep: ${set.join(', ')} only apply to --executor slurm or condor`);
  const jobs = v.jobs === undefined ? undefined : Number(v.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new FomlabError(`sweep: --jobs: expected a whole number ≥ 1, got '${v.jobs}'`);
  return new LocalBackend(jobs);
}
