import { realpathSync } from 'node:fs';
import { FomlabError } from '../core/errors.js';
import { EventTable, type RoleName } from './table.js';
import type { FileSpec, LoadSpec } from './load.js';

/*
 * The checks loadEvents makes on each file's events, in the order that blames the right thing:
 * label values first (a label 2 is a wrong label, not a NaN generated mass), then NaN/Inf
 * (error, or dropped / filled with one line per reason), then the labels once more (a fill value
 * may not be a label).
 */

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Finite labels other than 0 (background) and 1 (signal) are an error naming the column and each
 * bad value with its count; with `strict`, NaN/Inf labels too (after the NaN policy ran).
 */
export function checkLabels(table: EventTable, labelColumn: string | undefined, strict: boolean): void {
  if (labelColumn === undefined) return;
  const c = table.column(labelColumn);
  const bad = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < c.length; i++) {
    const x = c[i];
    if (x === 0 || x === 1 || (!strict && x - x !== 0)) continue;
    bad.set(x, (bad.get(x) ?? 0) + 1);
    total++;
  }
  if (!total) return;
  const values = [...bad].sort((a, b) => b[1] - a[1]);
  const shown = values.slice(0, 5).map(([v, k]) => `${v} (${plural(k, 'event')})`).join(', ');
  const more = values.length > 5 ? `, and ${values.length - 5} other values` : '';
  throw new FomlabError(
    `${table.source}: label column '${labelColumn}' has ${plural(total, 'event')} with values other than 0 and 1: ${shown}${more}; only 0 (background) and 1 (signal) are labels — select them with data.selection (e.g. '${labelColumn} <= 1') or map the label column to a 0/1 one`,
  );
}

/** NaN/Inf in features and role columns: an error, or dropped/filled with one report line per reason. */
export function checkFinite(table: EventTable, spec: LoadSpec, nameOf: Map<RoleName, string>, report: string[]): EventTable {
  const n = table.length;
  const genMass = nameOf.get('genMass');
  const labels = nameOf.has('label') ? table.column(nameOf.get('label')!) : undefined;
  const checked = [...new Set([...spec.columns.features, ...nameOf.values()])];
  // NaN generated mass is the contract for background (label 0, or no labels at all), unless it is a feature
  const allowed = (name: string, x: number, i: number): boolean =>
    name === genMass && x !== x && (!labels || labels[i] === 0) && !spec.columns.features.includes(name);
  // the reason an event is bad: the first bad column in `checked` order (so the lines add up)
  const reason = new Int32Array(n).fill(-1);
  const counts: Array<[string, number]> = [];
  checked.forEach((name, k) => {
    const c = table.column(name);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const x = c[i];
      if (x - x === 0 || allowed(name, x, i)) continue;
      if (reason[i] < 0) reason[i] = k;
      count++;
    }
    if (count) counts.push([name, count]);
  });
  if (!counts.length) return table;
  const policy = spec.nan ?? 'error';
  const list = counts.map(([c, k]) => `'${c}': ${k}`).join(', ');
  if (policy === 'error') {
    const [c, k] = counts[0];
    const more = counts.length > 1 ? ` (NaN/Inf per column: ${list})` : '';
    const what = c === genMass ? ' (signal events need a generated mass)' : '';
    throw new FomlabError(`${table.source}: column '${c}' has ${k} NaN/Inf value${k === 1 ? '' : 's'} in ${n} events${what}${more}; set data.nan: drop or fill to handle them`);
  }
  if (policy === 'drop') {
    const perReason = new Array<number>(checked.length).fill(0);
    for (let i = 0; i < n; i++) if (reason[i] >= 0) perReason[reason[i]]++;
    checked.forEach((name, k) => {
      if (!perReason[k]) return;
      const why = name === genMass ? `signal (label 1) without a finite generated mass '${name}'` : `NaN/Inf in '${name}'`;
      report.push(`${table.source}: dropped ${plural(perReason[k], 'event')}: ${why} (data.nan: drop)`);
    });
    return table.filter(Float32Array.from(reason, (r) => (r < 0 ? 1 : 0)));
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

/** What makes two data.files entries the same events: the file itself (symlinks resolved) and the tree. */
function identity(path: string, tree: string | undefined): string {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // absent files are reported elsewhere
  }
  return `${real}\0${tree ?? ''}`;
}

const FIXED: Array<keyof FileSpec> = ['label', 'mass', 'genMass', 'weight', 'category'];

/**
 * The same file (and tree) listed twice in data.files puts the same events in the table twice —
 * and so, after the split, in training and test alike. Identical entries are an error naming both
 * keys. Entries that differ in a fixed value (label, category, weight, mass, genMass: e.g. one
 * background file reused at two generated masses) are deliberate and allowed, with a notice line.
 */
export function checkRepeatedFiles(files: FileSpec[], paths: string[], defaultTree: string | undefined, notices: string[]): void {
  const seen = new Map<string, number>();
  paths.forEach((p, i) => {
    const key = identity(p, files[i].tree ?? defaultTree);
    const j = seen.get(key);
    if (j === undefined) return void seen.set(key, i);
    const differ = FIXED.filter((r) => files[i][r] !== files[j][r]);
    if (!differ.length)
      throw new FomlabError(`${p}: listed twice, as data.files[${j}] and data.files[${i}]: its events would be read twice (and land in both training and test); remove one entry`);
    notices.push(`${p}: listed twice (data.files[${j}] and data.files[${i}], with different ${differ.join(', ')}): its events are in the table twice`);
  });
}

/**
 * One line on negative weights (NLO generators, background subtraction): how many, their sum, and
 * how the figures treat them — the ROC AUC, DisCo and the signal-percentile windows count them as
 * 0 (as scikit-learn's roc_auc_score would reject them); the weighted sums behind cuts and the
 * figures of merit keep them as they are.
 */
export function negativeWeightNotice(table: EventTable): string | null {
  if (!table.hasRole('weight')) return null;
  const w = table.weights();
  let count = 0, sum = 0, total = 0;
  for (let i = 0; i < w.length; i++) {
    total += w[i];
    if (w[i] < 0) {
      count++;
      sum += w[i];
    }
  }
  if (!count) return null;
  const g = (v: number) => Number(v.toPrecision(4));
  return `${table.source}: ${plural(count, 'event')} of ${w.length} ha${count === 1 ? 's a' : 've'} negative weight (sum ${g(sum)}; all weights sum to ${g(total)}): the ROC AUC, DisCo and signal-percentile windows count them as 0, the weighted sums behind cuts and figures of merit keep them`;
}
