/**
 * The mass input of a parameterised net (the `parameterised:` section, config/parameterised.ts):
 * which mass each training event gets, the judged splits with every event repeated once per
 * hypothesis whose window holds it (the input set to that hypothesis), and the per-epoch redraw
 * and balanced mini-batches (Anzalone et al. 2022, arXiv:2202.00424, §3.3) the trainer runs.
 */
import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { ParameterisedConfig } from '../config/parameterised.js';
import type { EventTable } from '../data/table.js';
import type { WindowIncidence } from '../physics/windows.js';

/** The training signal's masses: each signal event of a training hypothesis adds its hypothesis's mass to the pool. */
export interface SignalMasses {
  /** distinct training signal masses, ascending */
  masses: Float64Array;
  /** one entry per training signal event: draws from it follow the signal's mass distribution */
  pool: Float64Array;
}

export function signalMasses(inc: WindowIncidence, trainHyp: readonly number[], hypothesisMass: readonly number[]): SignalMasses {
  const pool: number[] = [], masses: number[] = [];
  for (const h of trainHyp) {
    const k = inc.signal.offsets[h + 1] - inc.signal.offsets[h];
    if (k > 0) masses.push(hypothesisMass[h]);
    for (let j = 0; j < k; j++) pool.push(hypothesisMass[h]);
  }
  return { masses: Float64Array.from(masses).sort(), pool: Float64Array.from(pool) };
}

/** The entry of `sorted` nearest to v. */
export function nearest(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= v) lo = mid; else hi = mid;
  }
  return Math.abs(sorted[hi] - v) < Math.abs(sorted[lo] - v) ? sorted[hi] : sorted[lo];
}

/** `t` with the mass input as its last feature. */
export function withInputColumn(t: EventTable, input: string, values: Float32Array): EventTable {
  return t.withColumn(input, values).withRoles({ features: [...t.roles.features.filter((f) => f !== input), input] });
}

/**
 * The table with the mass input: signal its generated mass; background a draw from the signal
 * pool (background: random, or a NaN in the column) or its column's value mapped to the nearest
 * training signal mass (background: column). `free[i]` = 1 for the background drawn at random
 * (the ones an epoch redraws or a balanced batch assigns).
 */
export function withMassInput(t: EventTable, cfg: ParameterisedConfig, sm: SignalMasses, seed: number): { table: EventTable; free: Uint8Array } {
  if (t.roles.features.includes(cfg.input)) throw new FomlabError(`parameterised.input: '${cfg.input}' is one of data.columns.features already; name the mass input otherwise`);
  if (sm.pool.length === 0) throw new FomlabError('parameterised: the training split has no signal of a training hypothesis to take masses from');
  const labels = t.labels(), gen = t.genMass();
  const col = cfg.background === 'column' ? columnOf(t, cfg.column!) : null;
  const rng = new Rng(seed);
  const values = new Float32Array(t.length), free = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) {
    if (labels[i] >= 0.5) {
      if (!Number.isFinite(gen[i])) throw new FomlabError(`${t.source}: signal event ${i} has no generated mass (data.columns.genMass), which the parameterised net needs`);
      values[i] = gen[i];
    } else if (col && Number.isFinite(col[i])) values[i] = nearest(sm.masses, col[i]);
    else {
      values[i] = sm.pool[rng.int(sm.pool.length)];
      free[i] = 1;
    }
  }
  return { table: withInputColumn(t, cfg.input, values), free };
}

function columnOf(t: EventTable, name: string): Float32Array {
  if (!t.has(name)) throw new FomlabError(`parameterised.column: no column '${name}' in ${t.source} (columns: ${t.names.slice(0, 12).join(', ')}${t.names.length > 12 ? ', …' : ''})`);
  return t.column(name);
}

/**
 * The judged split of a parameterised net: each event once per hypothesis h whose window holds it
 * (signal: its own hypothesis), with the mass input set to h's mass; the incidence of h lists only
 * its own copies, so every figure, cut and ROC at h reads the score at hypothesis h. `only`: the
 * hypotheses to expand (the others get no rows).
 */
export function expandByHypothesis(t: EventTable, inc: WindowIncidence, hypothesisMass: readonly number[], input: string, only?: readonly boolean[]): { table: EventTable; incidence: WindowIncidence } {
  const H = inc.nHypotheses;
  const rows: number[] = [], mass: number[] = [];
  const sigOffsets = new Int32Array(H + 1), bkgOffsets = new Int32Array(H + 1);
  const sigEvents: number[] = [], bkgEvents: number[] = [];
  for (let h = 0; h < H; h++) {
    for (const [part, events, offsets] of [[inc.signal, sigEvents, sigOffsets], [inc.background, bkgEvents, bkgOffsets]] as const) {
      if (!only || only[h]) for (let j = part.offsets[h]; j < part.offsets[h + 1]; j++) {
        events.push(rows.length);
        rows.push(part.events[j]);
        mass.push(hypothesisMass[h]);
      }
      offsets[h + 1] = events.length;
    }
  }
  const table = withInputColumn(t.take(rows), input, Float32Array.from(mass));
  return {
    table,
    incidence: {
      nHypotheses: H, nEvents: rows.length, nGenerated: Float64Array.from(inc.nGenerated), unmatchedSignal: inc.unmatchedSignal,
      signal: { offsets: sigOffsets, events: Int32Array.from(sigEvents) }, background: { offsets: bkgOffsets, events: Int32Array.from(bkgEvents) },
    },
  };
}

/** The training and validation events of a parameterised net with their incidences. */
export interface ParameterisedSplits {
  train: EventTable;
  trainIncidence: WindowIncidence;
  /** per training event: 1 for background whose mass is drawn at random */
  free: Uint8Array;
  validation: EventTable;
  validationIncidence: WindowIncidence;
}

/**
 * The training and validation splits with the mass input: `random`/`column` add the column
 * (withMassInput); `window` repeats each event once per TRAINING hypothesis whose window holds it
 * (expandByHypothesis), so background meets the net at the masses whose search it enters and a
 * per-window loss (Punzi) scores each window's events at that window's mass.
 */
export function parameterisedSplits(
  parts: { train: EventTable; validation: EventTable }, inc: { train: WindowIncidence; validation: WindowIncidence },
  cfg: ParameterisedConfig, sm: SignalMasses, hypothesisMass: readonly number[], trainMask: readonly boolean[], seed: number,
): ParameterisedSplits {
  if (cfg.background === 'window') {
    for (const t of [parts.train, parts.validation]) if (t.roles.features.includes(cfg.input)) throw new FomlabError(`parameterised.input: '${cfg.input}' is one of data.columns.features already; name the mass input otherwise`);
    const tr = expandByHypothesis(parts.train, inc.train, hypothesisMass, cfg.input, trainMask);
    const va = expandByHypothesis(parts.validation, inc.validation, hypothesisMass, cfg.input, trainMask);
    return { train: tr.table, trainIncidence: tr.incidence, free: new Uint8Array(tr.table.length), validation: va.table, validationIncidence: va.incidence };
  }
  const tr = withMassInput(parts.train, cfg, sm, seed + 101), va = withMassInput(parts.validation, cfg, sm, seed + 102);
  return { train: tr.table, trainIncidence: inc.train, free: tr.free, validation: va.table, validationIncidence: inc.validation };
}
