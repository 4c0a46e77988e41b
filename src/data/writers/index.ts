import { extname } from 'node:path';
import { FomlabError } from '../../core/errors.js';
import { writeError } from '../../core/atomic.js';

// Each format's writer is imported when a file of that format is written (apache-arrow alone costs ~0.1 s to load).

/** Streams equal-length column chunks into a file that appears, atomically, only at close(). */
export interface TableWriter {
  write(chunk: Map<string, Float32Array>): Promise<void>;
  close(): Promise<void>;
  /** drops the temporary file; nothing is left behind */
  abort(): Promise<void>;
}

/** A streaming writer chosen by extension: .parquet, .arrow/.feather (Arrow IPC file), .csv/.tsv. */
export async function openTableWriter(path: string, columnNames: string[]): Promise<TableWriter> {
  let w: TableWriter;
  try {
    w = await openByExtension(path, columnNames);
  } catch (e) {
    throw writeError(path, e);
  }
  return {
    async write(chunk) {
      try {
        await w.write(chunk);
      } catch (e) {
        await w.abort();
        throw writeError(path, e);
      }
      // a turn of the event loop per chunk, so that a Ctrl-C arriving while a long stream of
      // chunks is written runs its handler (core/atomic.ts: temporary file removed, exit 130)
      await new Promise((r) => setImmediate(r));
    },
    async close() {
      try {
        await w.close();
      } catch (e) {
        await w.abort();
        throw writeError(path, e);
      }
    },
    abort: () => w.abort(),
  };
}

async function openByExtension(path: string, columnNames: string[]): Promise<TableWriter> {
  const ext = extname(path).toLowerCase();
  if (columnNames.length === 0) throw new FomlabError(`${path}: no columns to write`);
  if (new Set(columnNames).size !== columnNames.length) throw new FomlabError(`${path}: duplicate column names in ${columnNames.join(', ')}`);
  switch (ext) {
    case '.csv':
    case '.tsv':
      return (await import('./csv.js')).openCsvWriter(path, columnNames, ext === '.tsv' ? '\t' : ',');
    case '.parquet':
      return (await import('./parquet.js')).openParquetWriter(path, columnNames);
    case '.arrow':
    case '.feather':
      return (await import('./arrow.js')).openArrowWriter(path, columnNames);
    default:
      throw new FomlabError(`${path}: unknown output format '${ext}' (use .parquet, .arrow, .feather or .csv)`);
  }
}

/**
 * True when the writer for `path` keeps no reference to a chunk's arrays once write() has resolved (Parquet copies
 * or writes them at once, CSV formats them at once; Arrow may still hold a record batch), so a generator may
 * refill the same arrays for its next chunk.
 */
export function writerReleasesChunks(path: string): boolean {
  return ['.parquet', '.csv', '.tsv'].includes(extname(path).toLowerCase());
}

/** One-shot: all columns into `path`, atomically. */
export async function writeTable(path: string, columns: Map<string, Float32Array>): Promise<void> {
  const w = await openTableWriter(path, [...columns.keys()]);
  try {
    await w.write(columns);
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}
