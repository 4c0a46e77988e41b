import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { FomlabError, didYouMean } from '../core/errors.js';
import { readColumns, type ColumnData, type ReadOptions } from './readers/index.js';
import { compileExpression, type CompiledExpression } from './select.js';
import { splitByColumn, splitColumnsOf, type SplitConfig } from './split.js';
import { EventTable, type ColumnRoles, type RoleName } from './table.js';
import { checkFinite, checkLabels, checkRepeatedFiles, negativeWeightNotice } from './load-checks.js';

/**
 * Events of several files as one EventTable: read only the needed columns, add the per-file
 * fixed values, apply the selection, check NaN/Inf and labels, concatenate.
 * The input is the `data:` section of the config (any object of this shape).
 */

/** Roles a file may fix to one value for all of its events (one file per process). */
const FIXABLE: RoleName[] = ['label', 'mass', 'genMass', 'weight', 'category'];

export interface FileSpec {
  path: string;
  tree?: string;
  label?: number;
  mass?: number;
  /** null: background (no generated mass), stored as NaN */
  genMass?: number | null;
  weight?: number;
  category?: number;
}

export interface LoadSpec {
  files: FileSpec[];
  /** default tree for ROOT files */
  tree?: string;
  columns: ColumnRoles;
  selection?: string;
  /** only a split or group column matters here: it is read (a split column is also checked) */
  split?: SplitConfig;
  nan?: 'error' | 'drop' | 'fill';
  fillValue?: number;
  /** further columns to keep without a role (e.g. the n_gen column of search.generatedPerMass) */
  extraColumns?: string[];
}

export interface LoadOptions {
  /** folder for relative file paths (default: the working directory) */
  baseDir?: string;
  /** progress bars while reading (default false) */
  progress?: boolean;
  /** the column reader (default: readers/index.ts readColumns) */
  read?: (path: string, opts: ReadOptions) => Promise<ColumnData>;
}

export interface FileCounts {
  path: string;
  /** events in the file */
  read: number;
  /** events passing the selection */
  selected: number;
  /** events in the table (after dropping NaN/Inf when configured) */
  kept: number;
}

export interface LoadedEvents {
  table: EventTable;
  /** what was done to the events, one line each (selection counts, NaN/Inf handling) */
  report: string[];
  /**
   * the lines a user must read, also when nothing else is printed: events dropped or values filled
   * (one line per reason), negative weights, a file listed twice
   */
  notices: string[];
  files: FileCounts[];
}

export async function loadEvents(spec: LoadSpec, opts: LoadOptions = {}): Promise<LoadedEvents> {
  const read = opts.read ?? readColumns;
  const baseDir = opts.baseDir ?? process.cwd();
  const roles = spec.columns;
  const selection = spec.selection !== undefined && spec.selection.trim() !== '' ? compileExpression(spec.selection) : undefined;
  const splitColumn = spec.split && 'column' in spec.split ? spec.split.column : undefined;
  const splitReads = splitColumnsOf(spec.split);
  const nameOf = roleColumnNames(spec);
  const tables: EventTable[] = [];
  const files: FileCounts[] = [];
  const report: string[] = [];
  const notices: string[] = [];
  const paths = spec.files.map((f) => (isAbsolute(f.path) ? f.path : resolve(baseDir, f.path)));
  // every file is checked before any is read, so a typo in the last one does not wait for the first
  paths.forEach((p, i) => {
    if (!existsSync(p)) throw new FomlabError(`${p}: no such file (data.files[${i}])`);
  });
  checkRepeatedFiles(spec.files, paths, spec.tree, notices);
  for (const [i, file] of spec.files.entries()) {
    const path = paths[i];
    // fixed per-file values become columns; everything else comes from the file
    const fixed = new Map<string, number>();
    for (const r of FIXABLE) {
      const v = file[r];
      if (v !== undefined) fixed.set(nameOf.get(r)!, v === null ? NaN : v);
    }
    for (const [r, name] of nameOf)
      if (roles[r] === undefined && !fixed.has(name))
        throw new FomlabError(`${path}: no value for ${r} (data.files[${i}]): give every file '${r}: VALUE', or map data.columns.${r} to a file column`);
    const extra = spec.extraColumns ?? [];
    const needed = new Set([...roles.features, ...nameOf.values(), ...(selection?.columns ?? []), ...splitReads, ...extra]);
    const fromFile = [...needed].filter((c) => !fixed.has(c));
    const data = await read(path, { tree: file.tree ?? spec.tree, columns: fromFile, progress: opts.progress ?? false });
    const source = data.source || path;
    const cols = new Map<string, Float32Array>();
    for (const c of fromFile) {
      const col = data.columns.get(c);
      if (!col) throw new FomlabError(`${source}: no column '${c}'${didYouMean(c, data.columns.keys())}`);
      cols.set(c, col);
    }
    for (const [name, v] of fixed) cols.set(name, new Float32Array(data.length).fill(v));

    let table = new EventTable(cols, {}, source);
    const summary: FileCounts = { path, read: data.length, selected: data.length, kept: data.length };
    if (selection) {
      table = table.filter(selection.mask(table.columns, table.length));
      summary.selected = table.length;
      report.push(`${source}: ${summary.selected} of ${summary.read} events pass the selection`);
    } else report.push(`${source}: ${summary.read} events`);
    // keep only what downstream needs: features, role columns, split or group column
    const keep = new Set([...roles.features, ...nameOf.values(), ...splitReads, ...extra]);
    table = new EventTable(new Map([...table.columns].filter(([n]) => keep.has(n))), {}, source);
    checkLabels(table, nameOf.get('label'), false);
    const handled: string[] = [];
    table = checkFinite(table, spec, nameOf, handled);
    report.push(...handled);
    notices.push(...handled);
    checkLabels(table, nameOf.get('label'), true);
    if (splitColumn) splitByColumn(table.column(splitColumn), splitColumn, source);
    summary.kept = table.length;
    tables.push(table);
    files.push(summary);
  }

  const total = files.reduce((s, f) => s + f.read, 0);
  const selected = files.reduce((s, f) => s + f.selected, 0);
  const names = files.map((f) => f.path).join(', ');
  if (selection && selected === 0) throw new FomlabError(`selection '${selection.text}' keeps no events of ${total} in files ${names}`);
  if (total === 0) throw new FomlabError(`no events in files ${names}`);
  const combined = EventTable.concat(tables, spec.files.length === 1 ? tables[0].source : `${spec.files.length} files`);
  if (combined.length === 0) throw new FomlabError(`no events left after dropping NaN/Inf values in files ${names}`);
  const tableRoles: Partial<ColumnRoles> = { features: roles.features };
  for (const [r, name] of nameOf) tableRoles[r as RoleName] = name;
  if (spec.files.length > 1) report.push(`${combined.length} events in ${spec.files.length} files`);
  const table = combined.withRoles(tableRoles);
  const negative = negativeWeightNotice(table);
  if (negative) {
    report.push(negative);
    notices.push(negative);
  }
  return { table, report, notices, files };
}

/** Column name of every role in play: mapped in data.columns, or fixed by some file (then named after the role). */
function roleColumnNames(spec: LoadSpec): Map<RoleName, string> {
  const out = new Map<RoleName, string>();
  for (const r of FIXABLE) {
    const mapped = spec.columns[r];
    if (mapped !== undefined) out.set(r, mapped);
    else if (spec.files.some((f) => f[r] !== undefined)) out.set(r, r);
  }
  return out;
}

/** Counts for a summary: events and summed weights per label and per category. */
export interface EventSummary {
  events: number;
  sumOfWeights: number;
  features: string[];
  /** [label value, events, sum of weights], ascending label; empty without a label role */
  perLabel: Array<[number, number, number]>;
  /** [category value, events, sum of weights], ascending; empty without a category role */
  perCategory: Array<[number, number, number]>;
}

export function summarizeEvents(table: EventTable): EventSummary {
  const w = table.weights();
  const groups = (role: RoleName): Array<[number, number, number]> => {
    if (!table.hasRole(role)) return [];
    const c = table.roleColumn(role);
    const m = new Map<number, [number, number, number]>();
    for (let i = 0; i < c.length; i++) {
      let g = m.get(c[i]);
      if (!g) m.set(c[i], (g = [c[i], 0, 0]));
      g[1]++;
      g[2] += w[i];
    }
    return [...m.values()].sort((a, b) => a[0] - b[0]);
  };
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += w[i];
  return { events: table.length, sumOfWeights: sum, features: [...table.roles.features], perLabel: groups('label'), perCategory: groups('category') };
}
