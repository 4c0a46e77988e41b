import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, stringify } from 'yaml';
import { writeFileAtomically } from '../core/atomic.js';
import { FomlabError } from '../core/errors.js';
import { parseConfig, readConfigText } from '../config/load.js';
import { formatIssues } from '../config/section.js';
import { setAtPath, sweepPoints, sweepSchema, type SweepConfig } from '../config/sweep.js';
import { clearResult, jobId, type JobSpec } from './job.js';

/** A sweep expanded into jobs: each a `fomlab train` of its own derived config into its own RUN dir. */
export interface SweepPlan {
  dir: string;
  sweep: SweepConfig;
  jobs: SweepJob[];
}

export interface SweepJob extends JobSpec {
  /** the settings the job changes (key path → value) */
  settings: Record<string, unknown>;
}

export interface PlanOptions {
  /** also write each job's HTML report (`fomlab report RUN`) */
  reports?: boolean;
}

/**
 * Reads a config with a `sweep:` section, validates the sweep and every derived config (an error
 * names the job and the key), writes the derived configs to DIR/configs/<job>.yaml (fully
 * resolved: defaults filled, file paths absolute) and DIR/sweep.json (the job specs).
 */
export function planSweep(configPath: string, dir: string, opts: PlanOptions = {}): SweepPlan {
  const text = readConfigText(configPath);
  const doc = parseDocument(text, { uniqueKeys: true });
  const raw: unknown = doc.errors.length ? null : doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    parseConfig(text, configPath); // its one-line message for a YAML error or an empty file
    throw new FomlabError(`${configPath}: expected a mapping of sections (data: …, sweep: …)`);
  }
  const { sweep: rawSweep, ...base } = raw as Record<string, unknown>;
  if (rawSweep === undefined) throw new FomlabError(`${configPath}: sweep: missing; expected e.g. sweep: {grid: {"training.stages[1].lr": [0.001, 0.002]}, seeds: [1, 2, 3]}`);
  const parsed = sweepSchema.safeParse(rawSweep);
  if (!parsed.success) throw new FomlabError(formatIssues(parsed.error.issues.map((i) => ({ ...i, path: ['sweep', ...i.path] })), raw, configPath));
  const sweep = parsed.data;
  const baseDir = dirname(resolve(configPath));
  // every derived config is checked before anything is written
  const derivedYaml = sweepPoints(sweep).map((point, index) => {
    const id = jobId(index);
    let derived: unknown = base;
    for (const [path, value] of Object.entries(point.settings)) derived = setAtPath(derived, path, value, `${configPath}: sweep`);
    const where = `${configPath}: job ${id} (${point.label})`;
    const config = parseConfig(stringify(derived), where, { baseDir });
    const yaml = `# fomlab sweep ${resolve(configPath)}, job ${id}: ${point.label}\n${stringify(config)}`;
    // the job reads the resolved config back: it must mean the same (defaults written out are valid input)
    if (!isDeepStrictEqual(parseConfig(yaml, where), config)) throw new Error(`${where}: the resolved config does not read back the same`);
    return { point, id, yaml };
  });
  mkdirSync(join(dir, 'configs'), { recursive: true });
  const jobs = derivedYaml.map(({ point, id, yaml }, index): SweepJob => {
    const file = join(dir, 'configs', `${id}.yaml`);
    const runDir = join(dir, 'runs', id);
    // an unchanged job keeps its file and result; a changed one is a new job: its old run goes
    if (!existsSync(file) || readFileSync(file, 'utf8') !== yaml) {
      clearResult(dir, id);
      rmSync(runDir, { recursive: true, force: true });
      writeFileAtomically(file, yaml);
    }
    return {
      index, id, label: point.label, settings: point.settings, runDir,
      argv: ['train', file, '--out', runDir], resumeIfExists: 'checkpoints',
      ...(opts.reports ? { then: ['report', runDir] } : {}),
    };
  });
  writeFileAtomically(join(dir, 'sweep.json'), `${JSON.stringify({ config: resolve(configPath), sweep, jobs }, null, 1)}\n`);
  return { dir, sweep, jobs };
}
