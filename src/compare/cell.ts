import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/index.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import { modelSchema, stageTerms } from '../config/training.js';
import { termsName } from '../losses/registry.js';
import type { EventTable } from '../data/table.js';
import { scoreSplit } from '../evaluate/judge.js';
import { prepareTraining, significanceSplit } from '../train/run.js';
import { inputsOf } from '../train/prepare.js';
import { trainNet } from '../train/trainer.js';
import type { SelectConfig } from '../train/select.js';
import { tableNumbers, type TableNumbers, type TestEvents } from './metrics.js';
import { pooledWindowRows, thesisNumbers, type ThesisNumbers } from './thesis.js';

/** One (method, trial) cell of the comparison: Table 1's numbers, the best epoch and the epoch history. */
export interface CellResult extends TableNumbers {
  method: string;
  seed: number;
  /** the last stage's loss terms, e.g. 'bce+disco'; 'uniform' for the Random row */
  loss: string;
  /** the chosen epoch of the last stage (boosting round for trees); null for the Random row */
  bestEpoch: number | null;
  history: Array<{ epoch: number; trainLoss: number; validLoss: number; significance?: number }>;
  seconds: number;
  /** CPU seconds of the process while the cell ran (all its threads; absent in cells written before it was recorded) */
  cpuSeconds?: number;
  /** the VLQ thesis' Z-vs-threshold numbers (table 6.2) on the test events in any window */
  zCurve?: ThesisNumbers;
  /** hash of what the cell depends on (method config, events, seed): a changed method is computed again */
  key: string;
}

export interface CellSettings {
  bins: number;
  massBins: number;
  narrow: readonly [number, number];
  massRange: [number, number];
  select: SelectConfig;
}

export const cellFile = (dir: string, slug: string, seed: number): string => join(dir, 'cells', `${slug}-trial${seed}.json`);
export const scoresFile = (dir: string, slug: string, seed: number): string => join(dir, 'cells', `${slug}-trial${seed}.scores.f32`);
/** the rows of the trial's test events inside any hypothesis' window (Uint32), the thesis columns' events */
export const testWindowsFile = (dir: string, seed: number): string => join(dir, 'cells', `test-trial${seed}.windows.u32`);
/** the trial's test events: labels, weights, masses one after the other (Float32) */
export const testFile = (dir: string, seed: number): string => join(dir, 'cells', `test-trial${seed}.f32`);

export function cellKey(config: unknown, events: number, seed: number): string {
  return createHash('sha256').update(JSON.stringify({ config, events, seed })).digest('hex').slice(0, 16);
}

/** A finished cell with this key, else null (missing, unreadable or computed for another config). */
export function finishedCell(file: string, key: string): CellResult | null {
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CellResult;
    return c.key === key ? c : null;
  } catch {
    return null;
  }
}

/** The method's config for one trial: train / validation / test in equal thirds, split and training seeded by the trial. */
export function trialConfig(cfg: FomlabConfig, seed: number): FomlabConfig {
  return { ...cfg, data: { ...cfg.data, split: { train: 1 / 3, validation: 1 / 3, test: 1 / 3, seed } }, ...(cfg.training ? { training: { ...cfg.training, seed } } : {}) };
}

/** user + system CPU seconds since `start` (process.cpuUsage) */
function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Trains the method on the trial's training third (checkpoint chosen on the validation third by
 * `select`), scores the test third and computes its numbers; `method: null` gives the Random row
 * (uniform scores from the trial's seed). Writes the test scores and events beside the cell.
 */
export async function runCell(dir: string, slug: string, method: { name: string; config: FomlabConfig } | null, base: FomlabConfig, table: EventTable, seed: number, s: CellSettings, key: string): Promise<CellResult> {
  const t0 = Date.now(), cpu0 = process.cpuUsage();
  const cfg = trialConfig(method?.config ?? base, seed);
  const events = table.withRoles({ features: cfg.data.columns.features });
  const { prep } = await prepareTraining(cfg, events);
  const test: TestEvents = { labels: prep.test.table.labels(), weights: prep.test.weights, mass: prep.test.table.mass() };
  let scores: Float32Array, loss = 'uniform', bestEpoch: number | null = null;
  let history: CellResult['history'] = [];
  if (method) {
    const training = cfg.training!, model = cfg.model ?? modelSchema.parse({}), search = cfg.search!;
    const net = trainNet({
      train: prep.train, validation: prep.validation, model, stages: training.stages, seed,
      sensitivity: { a: search.sensitivity.a, b: search.sensitivity.b, lumi: search.sensitivity.lumi, form: search.sensitivity.form },
      select: training.select ?? s.select, significance: significanceSplit(prep), inputs: inputsOf(prep),
    });
    if (net.stopped) throw new Error(`compare: method '${method.name}', trial ${seed}: ${net.stopped}`);
    scores = scoreSplit(net.params, model, prep.test.x, prep.features.length);
    const last = net.logs[net.logs.length - 1];
    loss = termsName(stageTerms(training.stages[training.stages.length - 1]));
    bestEpoch = last.bestEpoch;
    history = last.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, validLoss: e.validLoss, ...(e.significance !== undefined ? { significance: e.significance } : {}) }));
  } else {
    const r = new Rng(seed);
    scores = Float32Array.from({ length: prep.test.table.length }, () => r.uniform());
  }
  const numbers = tableNumbers(scores, test, s);
  const windows = pooledWindowRows(prep.test.incidence);
  const zCurve = thesisNumbers(scores, test.labels, test.weights, windows);
  writeFileAtomically(scoresFile(dir, slug, seed), bytes(scores));
  const tf = testFile(dir, seed);
  if (!existsSync(tf)) {
    const n = test.labels.length, all = new Float32Array(3 * n);
    all.set(test.labels, 0); all.set(test.weights, n); all.set(test.mass, 2 * n);
    writeFileAtomically(tf, bytes(all));
    writeFileAtomically(testWindowsFile(dir, seed), new Uint8Array(windows.buffer, windows.byteOffset, windows.byteLength));
  }
  const cell: CellResult = { method: method?.name ?? 'Random', seed, loss, bestEpoch, history, ...numbers, zCurve, seconds: (Date.now() - t0) / 1000, cpuSeconds: cpuSince(cpu0), key };
  writeFileAtomically(cellFile(dir, slug, seed), `${JSON.stringify(cell)}\n`);
  return cell;
}
