import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomically } from '../core/atomic.js';

/**
 * A job and the files it leaves on the shared directory (the sweep folder, visible from every
 * batch node). Job `i` of a sweep is `jobs/<id>.sh`; it runs `fomlab ARGV` with its output in
 * `logs/<id>.log` and, as its last act, writes its exit code to `state/<id>.exit` (temp file,
 * then rename). That file is the result every backend reads: a job that has it finished (0 =
 * done); a job that has none and is no longer in the batch system's queue was killed (lost).
 */
export interface JobSpec {
  /** position in the sweep (Slurm array index, HTCondor JobIndex) */
  index: number;
  /** `j0007`: names the job's files */
  id: string;
  /** what the job is, in the sweep's words (`lr1-0.002_seed-3`) */
  label: string;
  /** the `fomlab` arguments of the job, e.g. ['train', CONFIG, '--out', RUN] */
  argv: string[];
  /** the job's result folder; `resumeIfExists` (in it) is added as `--resume` on a rerun */
  runDir: string;
  /** a path under runDir whose presence makes a rerun continue (`--resume`), e.g. 'checkpoints' */
  resumeIfExists?: string;
  /** run after a successful argv (e.g. ['report', RUN]); its failure fails the job */
  then?: string[];
}

export type JobState = 'pending' | 'running' | 'done' | 'failed' | 'lost' | 'cancelled';

export const jobId = (index: number): string => `j${String(index).padStart(4, '0')}`;

// bin/fomlab.mjs, two folders up from both src/exec/job.ts and dist/exec/job.js
const fomlabBin = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'fomlab.mjs');

/** POSIX single-quoting. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export const scriptPath = (dir: string, id: string): string => join(dir, 'jobs', `${id}.sh`);
export const exitPath = (dir: string, id: string): string => join(dir, 'state', `${id}.exit`);
export const logPath = (dir: string, id: string): string => join(dir, 'logs', `${id}.log`);

/**
 * Writes the job's script and `run-job.sh INDEX`, the one entry point of array jobs (Slurm's
 * $SLURM_ARRAY_TASK_ID, HTCondor's $(JobIndex)) that runs jobs/j<INDEX>.sh.
 */
export function writeJobScript(dir: string, job: JobSpec): void {
  for (const sub of ['jobs', 'state', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
  const q = shellQuote;
  const run = (argv: string[], extra = ''): string => `${q(process.execPath)} ${q(fomlabBin)} ${argv.map(q).join(' ')}${extra} >> "$log" 2>&1`;
  const resume = job.resumeIfExists ? `if [ -e ${q(join(job.runDir, job.resumeIfExists))} ]; then resume=--resume; else resume=; fi\n` : 'resume=\n';
  const lines = [
    '#!/bin/sh',
    `# fomlab sweep job ${job.id}: ${job.label.replace(/\n/g, ' ')}`,
    `log=${q(logPath(dir, job.id))}`,
    `exitFile=${q(exitPath(dir, job.id))}`,
    'rm -f "$exitFile"',
    `echo "== $(date -u +%FT%TZ) on $(hostname)" >> "$log"`,
    resume.trimEnd(),
    `${run(job.argv, ' $resume')}`,
    'code=$?',
    ...(job.then ? [`if [ $code -eq 0 ]; then ${run(job.then)}; code=$?; fi`] : []),
    'echo $code > "$exitFile.tmp" && mv "$exitFile.tmp" "$exitFile"',
    'exit $code',
    '',
  ];
  writeFileAtomically(scriptPath(dir, job.id), lines.join('\n'));
  chmodSync(scriptPath(dir, job.id), 0o755);
  const entry = join(dir, 'run-job.sh');
  if (!existsSync(entry)) {
    writeFileAtomically(entry, `#!/bin/sh\n# runs job number $1 of this sweep (array task)\nexec sh "$(dirname "$0")/jobs/j$(printf %04d "$1").sh"\n`);
    chmodSync(entry, 0o755);
  }
}

/** The job's exit code from its result file, or null while it has none. */
export function exitCodeOf(dir: string, id: string): number | null {
  try {
    const n = Number(readFileSync(exitPath(dir, id), 'utf8').trim());
    return Number.isInteger(n) ? n : null;
  } catch {
    return null;
  }
}

/** Forget a job's result (before it is run again). */
export function clearResult(dir: string, id: string): void {
  rmSync(exitPath(dir, id), { force: true });
}
