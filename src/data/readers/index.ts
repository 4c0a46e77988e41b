import { detectFormat, type FileFormat } from './format.js';
import { guarded } from './guard.js';

// Each format's reader is imported when a file of that format is read: jsroot, hyparquet and
// apache-arrow cost 0.05-0.15 s each to load, and `fomlab inspect x.root` needs only jsroot.

export { detectFormat, type FileFormat } from './format.js';

export interface ReadOptions {
  /** ROOT: TTree name (default: the only TTree in the file; an error listing the trees if several) */
  tree?: string;
  /**
   * Which columns; default all numeric flat ones. For ROOT jagged branches an index expression such
   * as 'Muon_Px[0]' picks one element per event (NaN where the event has fewer); the name in the
   * result is the expression string.
   */
  columns?: string[];
  /** progress bar on stderr for large files (default true; silent when stderr is not a TTY) */
  progress?: boolean;
}

export interface ColumnData {
  columns: Map<string, Float32Array>;
  length: number;
  /** path (and tree) for messages */
  source: string;
}

export interface ColumnInfo {
  name: string;
  type: string;
  jagged: boolean;
}

export interface FileDescription {
  path: string;
  format: 'root' | 'parquet' | 'arrow' | 'csv';
  /** non-ROOT formats: one pseudo-tree named '' */
  trees: Array<{ name: string; entries: number; columns: ColumnInfo[] }>;
}

/** Columns of a ROOT TTree, Parquet, Arrow IPC/Feather or CSV/TSV file as Float32Arrays. */
export async function readColumns(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const format = detectFormat(path);
  return guarded(path, format, () => readByFormat(format, path, opts));
}

async function readByFormat(format: FileFormat, path: string, opts: ReadOptions): Promise<ColumnData> {
  switch (format) {
    case 'csv':
      return (await import('./csv.js')).readCsv(path, opts);
    case 'root':
      return (await import('./root.js')).readRoot(path, opts);
    case 'parquet':
      return (await import('./parquet.js')).readParquet(path, opts);
    case 'arrow':
      return (await import('./arrow.js')).readArrow(path, opts);
  }
}

/** Trees (one pseudo-tree for non-ROOT formats), their entries and columns with types. */
export async function describeFile(path: string): Promise<FileDescription> {
  const format = detectFormat(path);
  return guarded(path, format, () => describeByFormat(format, path));
}

async function describeByFormat(format: FileFormat, path: string): Promise<FileDescription> {
  switch (format) {
    case 'csv':
      return (await import('./csv.js')).describeCsv(path);
    case 'root':
      return (await import('./root.js')).describeRoot(path);
    case 'parquet':
      return (await import('./parquet.js')).describeParquet(path);
    case 'arrow':
      return (await import('./arrow.js')).describeArrow(path);
  }
}

export { summarizeColumn, summarizeFile, type ColumnSummary, type FileSummary, type TreeSummary } from './summary.js';
