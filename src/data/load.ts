import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { FomlabError, didYouMean } from '../core/errors.js';
import { readColumns, type ColumnData, type ReadOptions } from './readers/index.js';
import { compileExpression, type CompiledExpression } from './select.js';
import { splitByColumn, type SplitConfig } from './split.js';
import { EventTable, type ColumnRoles, type RoleName } from './table.js';

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
  /** only a split column matters here: it is read and checked */
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
  files: FileCounts[];
}

export async function loadEvents(spec: LoadSpec, opts: LoadOptions = {}): Promise<LoadedEvents> {
  const read = opts.read ?? readColumns;
  const baseDir = opts.baseDir ?? process.cwd();
  const roles = spec.columns;
  const selection = spec.selection !== undefined && spec.selection.trim() !== '' ? compileExpression(spec.selection) : undefined;
  const splitColumn = spec.split && 'column' in spec.split ? spec.split.column : undefined;
  const nameOf = roleColumnNames(spec);
  const tables: EventTable[] = [];
  const files: FileCounts[] = [];
  const report: string[] = [];
  const paths = spec.files.map((f) => (isAbsolute(f.path) ? f.path : resolve(baseDir, f.path)));
  // every file is checked before any is read, so a typo in the last one does not wait for the first
  paths.forEach((p, i) => {
    if (!existsSync(p)) throw new FomlabError(`${p}: no such file (data.files[${i}])`);
  });
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
    const needed = new Set([...roles.features, ...nameOf.values(), ...(selection?.columns ?? []), ...(splitColumn ? [splitColumn] : []), ...extra]);
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
    // keep only what downstream needs: features, role columns, split column
    const keep = new Set([...roles.features, ...nameOf.values(), ...(splitColumn ? [splitColumn] : []), ...extra]);
    table = new EventTable(new Map([...table.columns].filter(([n]) => keep.has(n))), {}, source);
    table = checkFinite(table, spec, nameOf, report);
    checkLabels(table, nameOf.get('label'));
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
  return { table: combined.withRoles(tableRoles), report, files };
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

/** NaN/Inf in features and role columns: an error, or dropped/filled with the count reported. */
function checkFinite(table: EventTable, spec: LoadSpec, nameOf: Map<RoleName, string>, report: string[]): EventTable {
  const n = table.length;
  const genMass = nameOf.get('genMass');
  const labels = nameOf.has('label') ? table.column(nameOf.get('label')!) : undefined;
  const checked = [...new Set([...spec.columns.features, ...nameOf.values()])];
  // NaN generated mass is the contract for background (label 0, or no labels at all), unless it is a feature
  const allowed = (name: string, x: number, i: number): boolean =>
    name === genMass && x !== x && (!labels || labels[i] === 0) && !spec.columns.features.includes(name);
  const bad = new Uint8Array(n);
  const counts: Array<[string, number]> = [];
  for (const name of checked) {
    const c = table.column(name);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const x = c[i];
      if (x - x === 0 || allowed(name, x, i)) continue;
      bad[i] = 1;
      count++;
    }
    if (count) counts.push([name, count]);
  }
  if (!counts.length) return table;
  const policy = spec.nan ?? 'error';
  const list = counts.map(([c, k]) => `'${c}': ${k}`).join(', ');
  if (policy === 'error') {
    const [c, k] = counts[0];
    const more = counts.length > 1 ? ` (NaN/Inf per column: ${list})` : '';
    throw new FomlabError(`${table.source}: column '${c}' has ${k} NaN/Inf value${k === 1 ? '' : 's'} in ${n} events${more}; set data.nan: drop or fill to handle them`);
  }
  if (policy === 'drop') {
    const events = bad.reduce((s, b) => s + b, 0);
    report.push(`${table.source}: dropped ${events} event${events === 1 ? '' : 's'} with NaN/Inf (${list})`);
    return table.filter(bad.map((b) => 1 - b));
  }
  const fill = spec.fillValue ?? 0;
  const cols = new Map(table.columns);
  let filled = 0;
  for (const [name] of counts) {
    const c = table.column(name).slice();
    for (let i = 0; i < n; i++) {
      const x = c[i];
      if (x - x !== 0 && !allowed(name, x, i)) {
        c[i] = fill;
        filled++;
      }
    }
    cols.set(name, c);
  }
  report.push(`${table.source}: filled ${filled} NaN/Inf value${filled === 1 ? '' : 's'} with ${fill} (${list})`);
  return new EventTable(cols, table.roles, table.source);
}

/** Labels must be 0 (background) or 1 (signal). */
function checkLabels(table: EventTable, labelColumn: string | undefined): void {
  if (labelColumn === undefined) return;
  const c = table.column(labelColumn);
  let bad = 0;
  let example = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] !== 0 && c[i] !== 1 && bad++ === 0) example = c[i];
  }
  if (bad)
    throw new FomlabError(`${table.source}: label column '${labelColumn}' has ${bad} value${bad === 1 ? '' : 's'} other than 0 and 1, e.g. ${example}`);
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
