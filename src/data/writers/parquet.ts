import { closeSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkReplaceable, tempPathFor, trackTemp, untrackTemp, writeError, writeFully } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { nativeBinding } from '../../core/kernels/native.js';
import { chunkLength, groupRows } from './chunk.js';
import type { TableWriter } from './index.js';
import { CompactWriter, T } from './thrift.js';
import { crc32 } from '../crc32.js';

/*
 * Parquet for fomlab's one case: float32 columns, REQUIRED (no definition levels; NaN is a value),
 * PLAIN, uncompressed, one DATA_PAGE (v1) per column chunk, with its CRC-32. Written by hand (format: Apache
 * parquet-format, src/main/thrift/parquet.thrift) rather than through hyparquet-writer, which
 * walks every value in JS (page boundaries, statistics, PLAIN encoding) and took ≈ 0.6 s for 1 M
 * rows × 19 columns: here a PLAIN float page is the Float32Array's own bytes (little-endian, as
 * Parquet wants), written with one syscall, and the min/max statistics (kept: readers use them
 * to skip row groups) are one typed-array loop per column, folded in as rows arrive.
 *
 * Rows are gathered in per-column buffers, reused for every row group, into row groups of
 * ≈ 32 MiB (groupRows); a chunk at least that big is written straight from the caller's arrays.
 */

const PAGE_DATA = 0; // PageType.DATA_PAGE
const FLOAT = 4; // Type.FLOAT
const REQUIRED = 0; // FieldRepetitionType.REQUIRED
const PLAIN = 0, RLE = 3; // Encoding
const UNCOMPRESSED = 0; // CompressionCodec
/** rows per row group for a pass-through chunk: a page (4 bytes per row) stays far below 2³¹ bytes */
const MAX_GROUP_ROWS = 1 << 24;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface ChunkMeta { offset: number; size: number; min: number; max: number }
interface GroupMeta { rows: number; offset: number; columns: ChunkMeta[] }

/** Running min/max of the non-NaN values (NaN fails both comparisons, as the Parquet spec wants it skipped). */
export function foldMinMaxPortable(a: Float32Array, mins: Float64Array, maxs: Float64Array, j: number): void {
  let lo = mins[j], hi = maxs[j];
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  mins[j] = lo;
  maxs[j] = hi;
}

/** the same in C++ (native/src/addon.cc float32Fold, SSE: ≈ 10× the JS loop) when the addon is built */
const foldMinMax: typeof foldMinMaxPortable = nativeBinding?.float32Fold ?? foldMinMaxPortable;

/**
 * Reserves the file's blocks [offset, offset + length) before they are written (addon fileAllocate: Linux fallocate; Node's
 * fs has none): ext4 then maps a row group's ≈ 32 MiB once instead of reserving space page by page under delayed
 * allocation (≈ 0.03 s system time of the 343 MB zprime-mumu file). The length is exactly the bytes written next, so the
 * file is the same byte for byte; where the addon is absent or the file system cannot, nothing is reserved (the write
 * reports a real error, e.g. a full disk, as before). Looked up per call, so a test can stub it.
 */
function reserve(fd: number, offset: number, length: number): void {
  nativeBinding?.fileAllocate?.(fd, offset, length);
}

function float32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return b;
}

export function openParquetWriter(path: string, names: string[]): TableWriter {
  checkReplaceable(path);
  mkdirSync(dirname(path), { recursive: true });
  // tracked before it exists: a Ctrl-C between the file's creation and its tracking would leave it behind
  const tmp = trackTemp(tempPathFor(path));
  let fd: number | null;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    untrackTemp(tmp);
    throw writeError(path, e);
  }
  const ncol = names.length;
  const target = groupRows(ncol);
  const groups: GroupMeta[] = [];
  const thrift = new CompactWriter();
  let offset = 0;
  let closed = false;
  // row-group buffers (grown to `target` rows at most, then reused) and their running statistics
  let bufs: Float32Array[] = names.map(() => new Float32Array(0));
  let rows = 0;
  const mins = new Float64Array(ncol).fill(Infinity);
  const maxs = new Float64Array(ncol).fill(-Infinity);

  const put = (bytes: Uint8Array): void => {
    writeFully(fd as number, bytes);
    offset += bytes.length;
  };
  /** a PLAIN float page: the values' little-endian bytes */
  const floatBytes = (a: Float32Array): Uint8Array => {
    if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const b = new Uint8Array(a.byteLength);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < a.length; i++) dv.setFloat32(4 * i, a[i], true);
    return b;
  };

  /**
   * One row group: per column a page header and the PLAIN page (the float bytes). Every header is built first, so the
   * group's exact byte count is known and its blocks are reserved in one call before the first write (reserve).
   */
  const writeGroup = (cols: Float32Array[], n: number): void => {
    const g: GroupMeta = { rows: n, offset, columns: [] };
    const pages = cols.map((c) => floatBytes(c.subarray(0, n)));
    const headers = pages.map((page) => {
      thrift.reset();
      // PageHeader.crc (field 4, i32): CRC-32 of the page bytes, so readers detect a corrupt page
      thrift.begin().i32(1, PAGE_DATA).i32(2, 4 * n).i32(3, 4 * n).i32(4, crc32(page) | 0);
      thrift.struct(5).i32(1, n).i32(2, PLAIN).i32(3, RLE).i32(4, RLE).end();
      return thrift.end().bytes().slice();
    });
    reserve(fd as number, offset, headers.reduce((s, h, j) => s + h.length + pages[j].length, 0));
    for (let j = 0; j < ncol; j++) {
      const start = offset;
      put(headers[j]);
      put(pages[j]);
      g.columns.push({ offset: start, size: offset - start, min: mins[j], max: maxs[j] });
    }
    groups.push(g);
    mins.fill(Infinity);
    maxs.fill(-Infinity);
  };

  const flush = (): void => {
    if (rows === 0) return;
    writeGroup(bufs, rows);
    rows = 0;
  };

  const append = (cols: Float32Array[], n: number): void => {
    for (let at = 0; at < n;) {
      const take = Math.min(n - at, target - rows);
      if (bufs[0].length < rows + take) {
        const cap = Math.min(target, Math.max(rows + take, 2 * bufs[0].length));
        bufs = bufs.map((b) => {
          const nb = new Float32Array(cap);
          nb.set(b.subarray(0, rows));
          return nb;
        });
      }
      for (let j = 0; j < ncol; j++) {
        const part = cols[j].subarray(at, at + take);
        bufs[j].set(part, rows);
        foldMinMax(part, mins, maxs, j);
      }
      rows += take;
      at += take;
      if (rows === target) flush();
    }
  };

  /** A large chunk with nothing buffered: row groups straight from the caller's arrays. */
  const passThrough = (cols: Float32Array[], n: number): void => {
    for (let at = 0; at < n; at += MAX_GROUP_ROWS) {
      const stop = Math.min(n, at + MAX_GROUP_ROWS);
      const parts = cols.map((c, j) => {
        const part = c.subarray(at, stop);
        foldMinMax(part, mins, maxs, j);
        return part;
      });
      writeGroup(parts, stop - at);
    }
  };

  const footer = (): Uint8Array => {
    const w = thrift;
    w.reset();
    w.begin().i32(1, 1);
    w.list(2, T.STRUCT, ncol + 1);
    w.begin().binary(4, 'root').i32(5, ncol).end();
    for (const name of names) w.begin().i32(1, FLOAT).i32(3, REQUIRED).binary(4, name).end();
    w.i64(3, groups.reduce((s, g) => s + g.rows, 0));
    w.list(4, T.STRUCT, groups.length);
    for (const g of groups) {
      w.begin().list(1, T.STRUCT, ncol);
      let bytes = 0;
      for (let j = 0; j < ncol; j++) {
        const c = g.columns[j];
        bytes += c.size;
        w.begin().i64(2, c.offset).struct(3);
        w.i32(1, FLOAT).list(2, T.I32, 1).elemI32(PLAIN).list(3, T.BINARY, 1).elemBinary(names[j]);
        w.i32(4, UNCOMPRESSED).i64(5, g.rows).i64(6, c.size).i64(7, c.size).i64(9, c.offset);
        w.struct(12).i64(3, 0);
        if (c.min <= c.max) {
          // Parquet spec: a zero min is written −0, a zero max +0
          w.binary(5, float32Bytes(c.max === 0 ? 0 : c.max)).binary(6, float32Bytes(c.min === 0 ? -0 : c.min));
        }
        w.end().end().end();
      }
      w.i64(2, bytes).i64(3, g.rows).i64(5, g.offset).i64(6, bytes).end();
    }
    w.binary(6, 'fomlab');
    // column_orders: TYPE_ORDER for every column, so readers trust min_value/max_value
    w.list(7, T.STRUCT, ncol);
    for (let j = 0; j < ncol; j++) w.begin().struct(1).end().end();
    w.end();
    const meta = w.bytes();
    const out = new Uint8Array(meta.length + 8);
    out.set(meta);
    new DataView(out.buffer).setUint32(meta.length, meta.length, true);
    out.set([0x50, 0x41, 0x52, 0x31], meta.length + 4); // PAR1
    return out;
  };

  const release = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
    bufs = [];
  };
  const fail = (e: unknown): never => {
    closed = true;
    release();
    rmSync(tmp, { force: true });
    untrackTemp(tmp);
    throw writeError(path, e);
  };
  try {
    put(new Uint8Array([0x50, 0x41, 0x52, 0x31])); // PAR1
  } catch (e) {
    fail(e);
  }
  return {
    async write(chunk) {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      const n = chunkLength(path, names, chunk);
      if (n === 0) return;
      try {
        const cols = names.map((name) => chunk.get(name) as Float32Array);
        if (rows === 0 && n >= target) passThrough(cols, n);
        else append(cols, n);
      } catch (e) {
        fail(e);
      }
    },
    async close() {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      closed = true;
      try {
        flush();
        put(footer());
        release();
        renameSync(tmp, path);
        untrackTemp(tmp);
      } catch (e) {
        fail(e);
      }
    },
    async abort() {
      closed = true;
      release();
      rmSync(tmp, { force: true });
      untrackTemp(tmp);
    },
  };
}
