import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { EventTable } from './table.js';

/**
 * Seeded fractions (summing to 1), or a column holding 0 = train, 1 = validation, 2 = test. With
 * `group` (a column name, e.g. the event number of a table with several candidate rows per event)
 * the rows sharing a value of that column always land in the same part.
 */
export type SplitConfig = { train: number; validation: number; test: number; seed: number; group?: string } | { column: string };

/** Row indices of each part, ascending. */
export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export interface SplitTables {
  train: EventTable;
  validation: EventTable;
  test: EventTable;
  indices: SplitIndices;
}

/**
 * Deterministic split by fractions: the same seed gives the same events. With `strata`
 * (usually the labels) each distinct value is split separately, so every part keeps the class
 * fractions of the whole. With `groups` (one id per row) whole groups are dealt instead of rows
 * (splitByGroups).
 */
export function splitByFractions(
  length: number,
  fractions: { train: number; validation: number; test: number; seed: number },
  strata?: ArrayLike<number>,
  groups?: ArrayLike<number>,
): SplitIndices {
  const { train, validation, test, seed } = fractions;
  if ([train, validation, test].some((f) => !(f >= 0 && f <= 1)) || Math.abs(train + validation + test - 1) > 1e-6)
    throw new FomlabError(`split: train, validation, test must be fractions summing to 1, got ${train}, ${validation}, ${test}`);
  if (strata && strata.length !== length) throw new FomlabError(`split: strata have ${strata.length} rows, table has ${length}`);
  if (groups) return splitByGroups(length, fractions, groups, strata);
  // group rows by stratum value (NaN counts as one group), in ascending value order for determinism
  const byStratum = new Map<number, number[]>();
  for (let i = 0; i < length; i++) {
    const key = strata ? (Number.isNaN(strata[i]) ? NaN : strata[i]) : 0;
    let g = byStratum.get(key);
    if (!g) byStratum.set(key, (g = []));
    g.push(i);
  }
  const keys = [...byStratum.keys()].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const rng = new Rng(seed);
  const parts: number[][] = [[], [], []];
  for (const k of keys) {
    const rows = byStratum.get(k)!;
    const order = rng.permutation(rows.length);
    const nTrain = Math.round(rows.length * train);
    const nVal = Math.min(rows.length - nTrain, Math.round(rows.length * validation));
    for (let i = 0; i < rows.length; i++) parts[i < nTrain ? 0 : i < nTrain + nVal ? 1 : 2].push(rows[order[i]]);
  }
  const sorted = (p: number[]) => Uint32Array.from(p).sort();
  return { train: sorted(parts[0]), validation: sorted(parts[1]), test: sorted(parts[2]) };
}

/**
 * The split of `splitByFractions` dealt by group: the distinct ids of `groups` (within each stratum,
 * ids in ascending order) are shuffled by the seed and round(n_groups·fraction) of them go to train,
 * then validation, the rest to test; every row follows its group. A group's stratum is that of its
 * first row. The parts hold the fractions of the groups, so of the rows only on average.
 */
function splitByGroups(length: number, fractions: { train: number; validation: number; seed: number }, groups: ArrayLike<number>, strata?: ArrayLike<number>): SplitIndices {
  if (groups.length !== length) throw new FomlabError(`split: the group column has ${groups.length} rows, table has ${length}`);
  const stratumOf = new Map<number, number>();
  for (let i = 0; i < length; i++) {
    const g = groups[i];
    if (!Number.isFinite(g)) throw new FomlabError(`split: the group column has a non-finite value (${g}) at row ${i}`);
    if (!stratumOf.has(g)) stratumOf.set(g, strata ? (Number.isNaN(strata[i]) ? NaN : strata[i]) : 0);
  }
  const byStratum = new Map<number, number[]>();
  for (const [g, k] of stratumOf) {
    let list = byStratum.get(k);
    if (!list) byStratum.set(k, (list = []));
    list.push(g);
  }
  const keys = [...byStratum.keys()].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const rng = new Rng(fractions.seed);
  const partOf = new Map<number, number>();
  for (const k of keys) {
    const ids = byStratum.get(k)!.sort((a, b) => a - b);
    const order = rng.permutation(ids.length);
    const nTrain = Math.round(ids.length * fractions.train);
    const nVal = Math.min(ids.length - nTrain, Math.round(ids.length * fractions.validation));
    for (let i = 0; i < ids.length; i++) partOf.set(ids[order[i]], i < nTrain ? 0 : i < nTrain + nVal ? 1 : 2);
  }
  const parts: number[][] = [[], [], []];
  for (let i = 0; i < length; i++) parts[partOf.get(groups[i])!].push(i);
  return { train: Uint32Array.from(parts[0]), validation: Uint32Array.from(parts[1]), test: Uint32Array.from(parts[2]) };
}

/** Split by a column holding 0 (train), 1 (validation), 2 (test); any other value is an error. */
export function splitByColumn(values: ArrayLike<number>, columnName = 'split', source = 'events'): SplitIndices {
  const parts: number[][] = [[], [], []];
  let bad = 0;
  let example = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0 || v === 1 || v === 2) parts[v].push(i);
    else if (bad++ === 0) example = v;
  }
  if (bad)
    throw new FomlabError(`${source}: split column '${columnName}' has ${bad} value(s) other than 0 (train), 1 (validation), 2 (test), e.g. ${example}`);
  return { train: Uint32Array.from(parts[0]), validation: Uint32Array.from(parts[1]), test: Uint32Array.from(parts[2]) };
}

/** Indices of each part for `table`; fractions are stratified by the label when the table has one. */
export function splitIndices(table: EventTable, split: SplitConfig): SplitIndices {
  if ('column' in split) return splitByColumn(table.column(split.column), split.column, table.source);
  const groups = split.group === undefined ? undefined : table.column(split.group);
  return splitByFractions(table.length, split, table.hasRole('label') ? table.labels() : undefined, groups);
}

/** The file columns a split reads besides the roles: the split column or the group column. */
export function splitColumnsOf(split: SplitConfig | undefined): string[] {
  if (!split) return [];
  return 'column' in split ? [split.column] : split.group !== undefined ? [split.group] : [];
}

/** The three sub-tables (same columns and roles) plus their row indices. */
export function splitTable(table: EventTable, split: SplitConfig): SplitTables {
  const indices = splitIndices(table, split);
  return { train: table.take(indices.train), validation: table.take(indices.validation), test: table.take(indices.test), indices };
}

/** Fractions of the training events kept per class (thesis TC1: both 1; TC2: background 0.1; TC3: both 0.1). */
export interface ClassFractions {
  signal: number;
  background: number;
}

/**
 * A seeded subset of `rows` keeping round(f·n) of each class (label ≥ 0.5: signal), ascending; the
 * same seed keeps the same events. The caller scales the kept events' weights by 1/f (classWeightScale).
 */
export function thinByClass(rows: Uint32Array, labels: ArrayLike<number>, f: ClassFractions, seed: number): Uint32Array {
  for (const k of ['signal', 'background'] as const) {
    if (!(f[k] > 0 && f[k] <= 1)) throw new FomlabError(`data.trainFraction.${k} must be in (0, 1], got ${f[k]}`);
  }
  const rng = new Rng(seed);
  const kept: number[] = [];
  for (const [want, frac] of [[1, f.signal], [0, f.background]] as const) {
    const cls = Array.from(rows).filter((i) => (labels[i] >= 0.5 ? 1 : 0) === want);
    const order = rng.permutation(cls.length);
    const n = Math.round(cls.length * frac);
    for (let k = 0; k < n; k++) kept.push(cls[order[k]]);
  }
  return Uint32Array.from(kept).sort();
}
