import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { kernels } from '../core/index.js';
import { parseConfig } from '../config/load.js';
import { stageTerms } from '../config/training.js';
import { loadTrainedNet, loadTrainerState } from './checkpoint.js';
import type { FomlabConfig } from '../config/schema.js';

/**
 * RUN/run.json: what a run was trained with — the config as validated, with every file path
 * resolved to an absolute one (so `evaluate RUN` finds the data wherever RUN/config.yaml, the
 * user's copy, says they are relative to), and the compute kernels of the last training session.
 * `train --resume` and `evaluate` read it; RUN/config.yaml stays the user's text, for people.
 */
export interface RunRecord {
  schema: 'fomlab.run/1';
  config: FomlabConfig;
  /** kernels (kernels.name: 'native' or 'typescript') of the last session that trained nets of the run */
  kernels: string;
}

const RECORD = 'run.json';

/** Config keys that do not change any number of the run (worker threads: the nets are the same). */
const NO_EFFECT = new Set(['training.workers']);

/** The run's record, or null for a run of an older fomlab (or no run). */
export function readRunRecord(runDir: string): RunRecord | null {
  const path = join(runDir, RECORD);
  if (!existsSync(path)) return null;
  let rec: RunRecord;
  try {
    rec = JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  } catch (e) {
    throw new FomlabError(`${path}: not readable as a fomlab run record (${(e as Error).message.split('\n')[0]})`);
  }
  if (rec?.schema !== 'fomlab.run/1' || typeof rec.config !== 'object') throw new FomlabError(`${path}: not a fomlab run record (schema ${String(rec?.schema)})`);
  return rec;
}

export function writeRunRecord(runDir: string, config: FomlabConfig): void {
  const rec: RunRecord = { schema: 'fomlab.run/1', config, kernels: kernels.name };
  writeFileAtomically(join(runDir, RECORD), `${JSON.stringify(rec, null, 1)}\n`);
}

/**
 * The config a run was trained with: RUN/run.json, or for a run of an older fomlab RUN/config.yaml
 * with its relative paths resolved against `baseDir`. Null when RUN holds neither.
 */
export function runConfig(runDir: string, baseDir: string): FomlabConfig | null {
  const rec = readRunRecord(runDir);
  if (rec) return rec.config;
  const yaml = join(runDir, 'config.yaml');
  return existsSync(yaml) ? parseConfig(readFileSync(yaml, 'utf8'), yaml, { baseDir }) : null;
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null)) as unknown;
const shown = (v: unknown): string => {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/** Key paths (`training.stages[1].epochs`) where two configs differ, with the two values for leaves. */
export function configDifferences(was: unknown, now: unknown, path = ''): string[] {
  if (NO_EFFECT.has(path)) return [];
  if (Array.isArray(was) && Array.isArray(now)) {
    if (was.length !== now.length) return [`${path} (${shown(was)} → ${shown(now)})`];
    return was.flatMap((w, i) => configDifferences(w, now[i], `${path}[${i}]`));
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(was) && isObj(now)) {
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
    return keys.flatMap((k) => configDifferences(was[k], now[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(was) === JSON.stringify(now) ? [] : [`${path} (${shown(was)} → ${shown(now)})`];
}

/**
 * Refuses (FomlabError, exit 2) to resume a run whose config differs from `config` in anything
 * that changes the result; names the key paths. The one change it continues is a stage's epochs,
 * where that equals an uninterrupted run with the new count (see epochsChangeBlocker).
 */
export function assertResumable(runDir: string, config: FomlabConfig, baseDir: string): void {
  const was = runConfig(runDir, baseDir);
  if (!was) return; // nothing trained there yet: a fresh run
  const diff = configDifferences(plain(was), plain(config));
  if (diff.length === 0) return;
  const epochsOnly = diff.every((d) => /^training\.stages\[\d+\]\.epochs /.test(d));
  const blocker = epochsOnly ? epochsChangeBlocker(runDir, was, config) : null;
  if (epochsOnly && blocker === null) return;
  throw new FomlabError(`--resume: the config differs from the one ${runDir} was trained with, in ${diff.join(', ')}; that changes the result, so the run cannot continue${blocker ? ` exactly (${blocker})` : ''} — restore those keys, or train into a new --out`);
}

/**
 * Why continuing with other stage epochs would not equal an uninterrupted run with them, or null
 * when it would: a net that has not reached the stage will simply use the new count; one inside it
 * (checkpoint) continues to the new count, unless a sharpness schedule spans the stage (it depends
 * on the count); one past it is unaffected only if early stopping (or divergence) ended the stage
 * within the new count — a stage that ran out of epochs kept its best epoch and dropped its
 * optimiser, so no longer run can continue from it.
 */
function epochsChangeBlocker(runDir: string, was: FomlabConfig, now: FomlabConfig): string | null {
  const before = was.training!.stages, after = now.training!.stages;
  for (let k = 0; k < now.training!.ensemble; k++) {
    const done = join(runDir, 'checkpoints', `net-${k}.safetensors`), ckpt = join(runDir, 'checkpoints', `net-${k}.ckpt.safetensors`);
    const at = existsSync(done) ? { stageIndex: Infinity, epoch: 0, logs: loadTrainedNet(done).logs }
      : existsSync(ckpt) ? loadTrainerState(ckpt) : null;
    if (!at) continue; // not started: trains with the new counts
    for (let i = 0; i < after.length; i++) {
      const e = after[i].epochs;
      if (e === before[i].epochs || i > at.stageIndex) continue;
      const log = at.logs[i];
      if (i < at.stageIndex && !log) continue; // the net stopped (diverged) before this stage
      if (stageTerms(after[i]).some((t) => t.module.annealed?.(t.options))) return `net ${k} has begun stage ${i}, whose sharpness schedule spans its epochs`;
      if (i === at.stageIndex) {
        if (at.epoch > e) return `net ${k} is already at epoch ${at.epoch} of stage ${i}`;
        continue;
      }
      if (log.ended === 'epochs') return `net ${k} finished stage ${i} after its ${log.epochs.length} epochs and kept its best one; a longer run would have trained on from the last`;
      if (log.epochs.length > e || (log.ended !== 'early-stopping' && log.epochs.length >= e)) return `net ${k} ran stage ${i} for ${log.epochs.length} epochs`;
    }
  }
  return null;
}

/** Kernels that differ from the ones that trained the run: a warning line, or null. */
export function kernelsWarning(runDir: string, doing: string): string | null {
  const rec = readRunRecord(runDir);
  if (!rec || rec.kernels === kernels.name) return null;
  return `warning: ${runDir} was trained with the ${rec.kernels} kernels, ${doing} uses the ${kernels.name} kernels; the two differ in the last bits, so the numbers will not equal a run on one kind`;
}

/**
 * One clear line, before any work, when the run folder cannot be: a file of that name, a parent
 * that is a file, or a folder this user may not write to.
 */
export function checkRunDir(runDir: string): void {
  let at = runDir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const fail = (why: string): never => { throw new FomlabError(`--out ${runDir}: ${why}`); };
  if (!statSync(at).isDirectory()) fail(at === runDir ? 'a file of that name exists; name a folder for the run' : `cannot create the run folder (ENOTDIR: ${at} is a file)`);
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (e) {
    fail(`cannot write there (${(e as NodeJS.ErrnoException).code ?? 'EACCES'}: ${at})`);
  }
}

/** Creates the run folder (one clear line when it cannot be made); returns whether it is new. */
export function makeRunDir(runDir: string): boolean {
  checkRunDir(runDir);
  if (existsSync(runDir)) return false;
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new FomlabError(`--out ${runDir}: cannot create the run folder (${err.code ?? err.message})`);
  }
  return true;
}
