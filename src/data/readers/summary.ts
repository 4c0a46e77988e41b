import { readColumns, describeFile, type ColumnInfo, type FileDescription } from './index.js';
import { FomlabError, didYouMean } from '../../core/errors.js';

/** What `fomlab inspect` shows for one numeric column. */
export interface ColumnSummary {
  /** values that are not NaN */
  count: number;
  nanCount: number;
  min: number;
  max: number;
  /** mean of the non-NaN values (NaN if none) */
  mean: number;
  /** for columns of small non-negative integers with ≤ 10 distinct values: value → count */
  valueCounts?: Map<number, number>;
}

export interface TreeSummary {
  name: string;
  entries: number;
  columns: Array<ColumnInfo & { summary?: ColumnSummary; readable: boolean }>;
}

export interface FileSummary {
  path: string;
  format: FileDescription['format'];
  trees: TreeSummary[];
}

const NUMERIC_TYPES = /^(u?int(8|16|32|64)|float(16|32|64)|bool|number|INT32|INT64|FLOAT|DOUBLE|BOOLEAN|Int(8|16|32|64)|Uint(8|16|32|64)|Float(16|32|64)|Bool)$/;

export function summarizeColumn(values: Float32Array): ColumnSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nan = 0;
  let smallInts = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      nan++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (smallInts && !(v >= 0 && v <= 255 && Math.floor(v) === v)) smallInts = false;
  }
  const count = values.length - nan;
  const s: ColumnSummary = { count, nanCount: nan, min: count ? min : NaN, max: count ? max : NaN, mean: count ? sum / count : NaN };
  if (smallInts && count > 0) {
    const tally = new Float64Array(256);
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) tally[values[i]]++;
    const counts = new Map<number, number>();
    for (let v = 0; v < 256; v++) if (tally[v]) counts.set(v, tally[v]);
    if (counts.size <= 10) s.valueCounts = counts;
  }
  return s;
}

/** Describes a file and summarises every flat numeric column of each tree (or of `tree` only). */
export async function summarizeFile(path: string, opts: { tree?: string; progress?: boolean } = {}): Promise<FileSummary> {
  const desc = await describeFile(path);
  let trees = desc.trees;
  if (opts.tree !== undefined) {
    if (desc.format !== 'root') throw new FomlabError(`${path}: --tree applies to ROOT files only (this is ${desc.format})`);
    trees = trees.filter((t) => t.name === opts.tree);
    if (!trees.length) throw new FomlabError(`${path}: no tree '${opts.tree}'${didYouMean(opts.tree, desc.trees.map((t) => t.name))}; trees are: ${desc.trees.map((t) => t.name).join(', ')}`);
  }
  const out: TreeSummary[] = [];
  for (const t of trees) {
    const readable = t.columns.filter((c) => !c.jagged && NUMERIC_TYPES.test(c.type)).map((c) => c.name);
    const data = readable.length ? await readColumns(path, { tree: desc.format === 'root' ? t.name : undefined, columns: readable, progress: opts.progress }) : null;
    out.push({
      name: t.name,
      entries: t.entries,
      columns: t.columns.map((c) => {
        const col = data?.columns.get(c.name);
        return { ...c, readable: col !== undefined, summary: col ? summarizeColumn(col) : undefined };
      }),
    });
  }
  return { path, format: desc.format, trees: out };
}
