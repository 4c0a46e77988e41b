import { closeSync, openSync, readSync } from 'node:fs';
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { FomlabError, didYouMean } from '../../core/errors.js';
import { progressBar } from '../../core/progress.js';
import { checkReadable } from './format.js';
import { crcCheckedBuffer } from './parquet-crc.js';
import type { ColumnData, ColumnInfo, FileDescription, ReadOptions } from './index.js';

/*
 * Parquet through hyparquet, one row group at a time: each decoded column chunk (a Float32Array
 * for PLAIN floats) is copied into the output column and dropped, so memory stays ≈ the columns
 * plus one row group.
 */

const NUMERIC = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);

/** Synchronous positioned reads into fresh ArrayBuffers (faster than hyparquet's stream-based file buffer). */
function fileBuffer(path: string, size: number): { file: AsyncBuffer; close: () => void } {
  const fd = openSync(path, 'r');
  return {
    file: {
      byteLength: size,
      slice(start: number, end?: number) {
        const stop = end ?? size;
        const buf = new Uint8Array(stop - start);
        readSync(fd, buf, 0, buf.length, start);
        return buf.buffer;
      },
    },
    close: () => closeSync(fd),
  };
}

interface LeafColumn { name: string; type: string; jagged: boolean }

function leafColumns(meta: FileMetaData): LeafColumn[] {
  const tree = parquetSchema(meta);
  return tree.children.map((c) => {
    const nested = c.children.length > 0;
    const e = c.element;
    const type = nested ? String(e.logical_type?.type ?? e.converted_type ?? 'group') : String(e.type ?? 'unknown');
    return { name: e.name, type, jagged: nested || e.repetition_type === 'REPEATED' };
  });
}

async function openParquet(path: string): Promise<{ file: AsyncBuffer; close: () => void; meta: FileMetaData }> {
  const size = checkReadable(path);
  const fb = fileBuffer(path, size);
  try {
    const meta = await parquetMetadataAsync(fb.file);
    return { ...fb, meta };
  } catch (e) {
    fb.close();
    throw new FomlabError(`${path}: not a readable Parquet file (${(e as Error).message}); is it truncated?`);
  }
}

export async function readParquet(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const { file: raw, close, meta } = await openParquet(path);
  const file = crcCheckedBuffer(path, raw, meta);
  try {
    const leaves = leafColumns(meta);
    const names = leaves.map((l) => l.name);
    const numeric = leaves.filter((l) => !l.jagged && NUMERIC.has(l.type)).map((l) => l.name);
    const wanted = opts.columns ?? numeric;
    for (const c of wanted) {
      if (!names.includes(c)) throw new FomlabError(`${path}: no column '${c}'${didYouMean(c, names)}; columns are: ${names.join(', ')}`);
      if (!numeric.includes(c)) throw new FomlabError(`${path}: column '${c}' has type ${leaves[names.indexOf(c)].type}, not a flat number column`);
    }
    const total = Number(meta.num_rows);
    const columns = new Map(wanted.map((c) => [c, new Float32Array(total)] as [string, Float32Array]));
    const groupRows = meta.row_groups.reduce((sum, rg) => sum + Number(rg.num_rows), 0);
    if (groupRows !== total) throw new FomlabError(`${path}: the footer says ${total} rows but its row groups hold ${groupRows}; the file is corrupt`);
    const filled = new Map(wanted.map((c) => [c, 0]));
    const bar = opts.progress === false ? { update() {}, stop() {} } : progressBar(`reading ${path}`, total);
    let groupStart = 0;
    try {
      for (const rg of meta.row_groups) {
        const n = Number(rg.num_rows);
        await parquetRead({
          file,
          metadata: meta,
          columns: wanted,
          rowStart: groupStart,
          rowEnd: groupStart + n,
          onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
            const out = columns.get(columnName);
            if (!out) return;
            const n = Math.min(rowEnd, total) - rowStart;
            copyChunk(columnData as ArrayLike<unknown>, out, rowStart, n);
            filled.set(columnName, (filled.get(columnName) ?? 0) + n);
          },
        });
        groupStart += n;
        bar.update(groupStart);
      }
    } finally {
      bar.stop();
    }
    for (const [c, n] of filled) if (n !== total) throw new FomlabError(`${path}: column '${c}' has ${n} values for ${total} rows; the file is corrupt`);
    return { columns, length: total, source: path };
  } catch (e) {
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: cannot read Parquet data (${(e as Error).message}); is the file truncated or corrupt?`);
  } finally {
    close();
  }
}

function copyChunk(data: ArrayLike<unknown>, out: Float32Array, at: number, n: number): void {
  if (data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array) {
    out.set(data.length === n ? data : data.subarray(0, n), at);
    return;
  }
  for (let i = 0; i < n; i++) {
    const x = data[i];
    out[at + i] = x === null || x === undefined ? NaN : Number(x as number | bigint | boolean);
  }
}

export async function describeParquet(path: string): Promise<FileDescription> {
  const { close, meta } = await openParquet(path);
  try {
    const columns: ColumnInfo[] = leafColumns(meta);
    return { path, format: 'parquet', trees: [{ name: '', entries: Number(meta.num_rows), columns }] };
  } finally {
    close();
  }
}
