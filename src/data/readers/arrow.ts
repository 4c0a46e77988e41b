import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { AsyncRecordBatchFileReader, Message, Precision, RecordBatchReader, Type, makeVector, type Vector } from 'apache-arrow';
import { FomlabError, didYouMean } from '../../core/errors.js';
import { progressBar } from '../../core/progress.js';
import type { ColumnData, ColumnInfo, FileDescription, ReadOptions } from './index.js';

/*
 * Arrow IPC file (Feather v2) read record batch by record batch straight from the file handle:
 * the row count comes from the batch headers in the footer, so each column is allocated once
 * and each batch copied in and dropped — memory stays ≈ the columns plus one batch.
 */

function typeName(t: { toString(): string }): string {
  return String(t);
}

async function openArrow(path: string): Promise<{ reader: AsyncRecordBatchFileReader; fd: number; close: () => Promise<void>; read: (pos: number, len: number) => Promise<Uint8Array> }> {
  const handle = await open(path, 'r');
  try {
    // an Arrow IPC file starts and ends with ARROW1; a missing end means the copy was cut short
    const { size } = await handle.stat();
    const head = new Uint8Array(6), tail = new Uint8Array(6);
    await handle.read(head, 0, 6, 0);
    if (Buffer.from(head).toString('latin1') === 'ARROW1') {
      await handle.read(tail, 0, 6, Math.max(0, size - 6));
      if (size < 12 || Buffer.from(tail).toString('latin1') !== 'ARROW1')
        throw new FomlabError(`${path}: Arrow IPC file is truncated (it does not end with the ARROW1 footer magic); was the copy or write interrupted?`);
    }
    const reader = (await RecordBatchReader.from(handle)) as unknown;
    if (!(reader instanceof AsyncRecordBatchFileReader)) throw new FomlabError(`${path}: is an Arrow IPC stream, not an Arrow IPC file; write it as a file (Feather v2)`);
    await reader.open();
    const read = async (pos: number, len: number) => {
      const buf = new Uint8Array(len);
      await handle.read(buf, 0, len, pos);
      return buf;
    };
    return { reader, fd: handle.fd, close: () => handle.close(), read };
  } catch (e) {
    await handle.close();
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
}

/** Where a record batch lies and what its header says (rows, field nodes, buffer regions). */
interface BatchHeader {
  rows: number;
  bodyStart: number;
  nodes: Array<{ length: number; nullCount: number }>;
  buffers: Array<{ offset: number; length: number }>;
  compressed: boolean;
}

/** Batch headers from the footer's block list, without reading the bodies. */
async function batchHeaders(reader: AsyncRecordBatchFileReader, read: (pos: number, len: number) => Promise<Uint8Array>): Promise<BatchHeader[]> {
  const out: BatchHeader[] = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    const block = reader.footer?.getRecordBatch(i);
    if (!block) throw new Error(`record batch ${i} missing from footer`);
    const meta = await read(Number(block.offset), block.metaDataLength);
    const dv = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
    const skip = dv.getInt32(0, true) === -1 ? 8 : 4;
    const len = dv.getInt32(skip - 4, true);
    const h = Message.decode(meta.subarray(skip, skip + len)).header() as ArrowBatchMeta;
    out.push({
      rows: Number(h.length),
      bodyStart: Number(block.offset) + block.metaDataLength,
      nodes: h.nodes.map((n) => ({ length: Number(n.length), nullCount: Number(n.nullCount) })),
      buffers: h.buffers.map((r) => ({ offset: Number(r.offset), length: Number(r.length) })),
      compressed: h.compression !== null && h.compression !== undefined,
    });
  }
  return out;
}

interface ArrowBatchMeta {
  length: number | bigint;
  nodes: Array<{ length: number | bigint; nullCount: number | bigint }>;
  buffers: Array<{ offset: number | bigint; length: number | bigint }>;
  compression: unknown;
}

/**
 * Fast path for the common case (our own writer's output): every field a fixed-width number
 * (two buffers each: validity, values), uncompressed, and each wanted column float32 with no
 * nulls — its values are read from the file straight into the output column, no copy.
 */
function readBatchDirect(fd: number, h: BatchHeader, fields: Array<{ typeId: number; float32: boolean }>, wanted: Array<[number, Float32Array]>, at: number): boolean {
  if (h.compressed || h.buffers.length !== 2 * fields.length || h.nodes.length !== fields.length) return false;
  if (!fields.every((f) => f.typeId === Type.Int || f.typeId === Type.Float || f.typeId === Type.Bool)) return false;
  for (const [j] of wanted) if (!fields[j].float32 || h.nodes[j].nullCount !== 0 || h.buffers[2 * j + 1].length < 4 * h.rows) return false;
  for (const [j, out] of wanted) {
    const dst = new Uint8Array(out.buffer, out.byteOffset + 4 * at, 4 * h.rows);
    if (readSync(fd, dst, 0, dst.length, h.bodyStart + h.buffers[2 * j + 1].offset) !== dst.length) throw new Error('file ends inside a record batch');
  }
  return true;
}

export async function readArrow(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const { reader, fd, close, read } = await openArrow(path);
  try {
    const fields = reader.schema.fields;
    const names = fields.map((f) => f.name);
    const numeric = fields.filter((f) => isNumeric(f.type)).map((f) => f.name);
    const wanted = opts.columns ?? numeric;
    for (const c of wanted) {
      if (!names.includes(c)) throw new FomlabError(`${path}: no column '${c}'${didYouMean(c, names)}; columns are: ${names.join(', ')}`);
      if (!numeric.includes(c)) throw new FomlabError(`${path}: column '${c}' has type ${typeName(fields[names.indexOf(c)].type)}, not a number`);
    }
    const headers = await batchHeaders(reader, read);
    const total = headers.reduce((a, h) => a + h.rows, 0);
    const columns = new Map(wanted.map((c) => [c, new Float32Array(total)] as [string, Float32Array]));
    const bar = opts.progress === false ? { update() {}, stop() {} } : progressBar(`reading ${path}`, total);
    let at = 0;
    try {
      const kinds = fields.map((f) => ({ typeId: f.type.typeId as number, float32: f.type.typeId === Type.Float && (f.type as { precision: number }).precision === Precision.SINGLE }));
      const direct = [...columns].map(([c, out]) => [names.indexOf(c), out] as [number, Float32Array]);
      for (let i = 0; i < headers.length; i++) {
        if (readBatchDirect(fd, headers[i], kinds, direct, at)) {
          at += headers[i].rows;
        } else {
          const batch = await reader.readRecordBatch(i);
          if (!batch) throw new FomlabError(`${path}: record batch ${i} is unreadable (truncated file?)`);
          for (const [c, out] of columns) copyInto(batch.getChild(c) as Vector, out, at);
          at += batch.numRows;
        }
        bar.update(at);
      }
    } finally {
      bar.stop();
    }
    if (at !== total) throw new FomlabError(`${path}: record batches hold ${at} rows, their headers say ${total}`);
    return { columns, length: total, source: path };
  } catch (e) {
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: cannot read Arrow IPC file (${(e as Error).message})`);
  } finally {
    await close();
  }
}

function isNumeric(t: { typeId: number }): boolean {
  return t.typeId === Type.Int || t.typeId === Type.Float || t.typeId === Type.Bool;
}

/** Copies one column of a record batch into out[at…]: typed-array copies where the layout allows. */
function copyInto(v: Vector, out: Float32Array, at: number): void {
  let pos = at;
  for (const d of v.data) {
    const vals = d.values as unknown;
    const half = d.typeId === Type.Float && (d.type as { precision: number }).precision === Precision.HALF;
    const plain = d.nullCount === 0 && d.typeId !== Type.Bool && !half && ArrayBuffer.isView(vals) && !(vals instanceof BigInt64Array || vals instanceof BigUint64Array);
    if (plain) out.set((vals as Float32Array).subarray(d.offset, d.offset + d.length), pos);
    else {
      // nulls, booleans, 64-bit integers, half floats: element by element
      const one = makeVector(d);
      for (let i = 0; i < d.length; i++) {
        const x = one.get(i) as number | bigint | boolean | null;
        out[pos + i] = x === null ? NaN : Number(x);
      }
    }
    pos += d.length;
  }
}

export async function describeArrow(path: string): Promise<FileDescription> {
  const { reader, close, read } = await openArrow(path);
  try {
    const rows = (await batchHeaders(reader, read)).map((h) => h.rows);
    const columns: ColumnInfo[] = reader.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type), jagged: f.type.typeId === Type.List || f.type.typeId === Type.FixedSizeList }));
    return { path, format: 'arrow', trees: [{ name: '', entries: rows.reduce((a, b) => a + b, 0), columns }] };
  } finally {
    await close();
  }
}
