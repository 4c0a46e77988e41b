import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { FomlabError } from '../core/errors.js';
import { readConfigText } from '../config/load.js';
import type { EventTable } from '../data/table.js';
import type { Backend } from '../exec/backend.js';
import { clearResult, jobId, type JobSpec } from '../exec/job.js';
import { submitJobs, type SweepProgress } from '../exec/executor.js';
import { LocalBackend } from '../exec/local.js';
import { cellFile, finishedCell } from './cell.js';
import { cellName, compareCells } from './run.js';

/**
 * True when CONFIG is a comparison (a `compare:` section): `fomlab sweep` then runs its
 * (method, trial) cells as jobs. A config with both `compare:` and `sweep:` is refused.
 */
export function isCompareConfig(configPath: string): boolean {
  const doc = parseDocument(readConfigText(configPath));
  const raw: unknown = doc.errors.length ? null : doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const keys = Object.keys(raw);
  if (keys.includes('compare') && keys.includes('sweep')) throw new FomlabError(`${configPath}: has both sweep: and compare:; a comparison is swept by its methods and trials (one job per cell): remove sweep:`);
  return keys.includes('compare');
}

/**
 * The comparison's (method, trial) cells as jobs of the executor (local pool, Slurm, HTCondor):
 * job k runs `fomlab compare CONFIG --out DIR --cell SLUG@SEED [--quick]`, which writes its cell
 * to DIR/cells. A job whose exit file says done but whose cell is missing or was computed for
 * another config (the config, data or settings changed) is cleared, so it runs again.
 */
export async function compareJobs(configPath: string, dir: string, o: { quick?: boolean; events?: EventTable; scenario?: string } = {}): Promise<JobSpec[]> {
  const { todo } = await compareCells(configPath, { out: dir, ...o });
  const config = resolve(configPath);
  return todo.map((c, index): JobSpec => {
    const id = jobId(index);
    if (!finishedCell(cellFile(dir, c.slug, c.seed), c.key)) clearResult(dir, id);
    return { index, id, label: `${c.name}, trial ${c.seed}`, argv: ['compare', config, '--out', dir, '--cell', cellName(c), ...(o.quick ? ['--quick'] : []), ...(o.scenario ? ['--scenario', o.scenario] : [])], runDir: dir };
  });
}

/**
 * `fomlab compare CONFIG --jobs N`: the unfinished cells run N at a time, each in its own process
 * (the local pool of `fomlab sweep`); then the table is made as by a serial run. Returns the
 * cells that did not finish (their logs in DIR/logs).
 */
export async function runCompareJobs(configPath: string, dir: string, o: { quick?: boolean; scenario?: string; workers: number; retries?: number; onProgress?: (p: SweepProgress) => void; backend?: Backend; stop?: Int32Array }): Promise<string[] | 'stopped'> {
  const jobs = await compareJobs(configPath, dir, { quick: o.quick, ...(o.scenario ? { scenario: o.scenario } : {}) });
  const backend = o.backend ?? new LocalBackend(o.workers);
  const handle = await submitJobs(backend, dir, jobs);
  const outcomes = await handle.wait({ retries: o.retries ?? 1, pollSeconds: 0.5, onProgress: o.onProgress, ...(o.stop ? { stop: o.stop } : {}) });
  if (o.stop && Atomics.load(o.stop, 0) !== 0) {
    await handle.cancel();
    return 'stopped';
  }
  return outcomes.filter((x) => x.state !== 'done').map((x) => `${x.job.label} (${x.state}, log ${dir}/logs/${x.job.id}.log)`);
}
