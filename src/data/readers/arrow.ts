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

async function openArrow(path: string): Promise<{ reader: AsyncRecordBatchFileReader; close: () => Promise<void>; read: (pos: number, len: number) => Promise<Uint8Array> }> {
  const handle = await open(path, 'r');
  try {
    const reader = (await RecordBatchReader.from(handle)) as unknown;
    if (!(reader instanceof AsyncRecordBatchFileReader)) throw new FomlabError(`${path}: is an Arrow IPC stream, not an Arrow IPC file; write it as a file (Feather v2)`);
    await reader.open();
    const read = async (pos: number, len: number) => {
      const buf = new Uint8Array(len);
      await handle.read(buf, 0, len, pos);
      return buf;
    };
    return { reader, close: () => handle.close(), read };
  } catch (e) {
    await handle.close();
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: not a readable Arrow IPC file (${(e as Error).message})`);
  }
}

/** Rows per record batch, from the message headers listed in the footer. */
async function batchRows(reader: AsyncRecordBatchFileReader, read: (pos: number, len: number) => Promise<Uint8Array>): Promise<number[]> {
  const rows: number[] = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    const block = reader.footer?.getRecordBatch(i);
    if (!block) throw new Error(`record batch ${i} missing from footer`);
    const meta = await read(Number(block.offset), block.metaDataLength);
    const dv = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
    const skip = dv.getInt32(0, true) === -1 ? 8 : 4;
    const len = dv.getInt32(skip - 4, true);
    const msg = Message.decode(meta.subarray(skip, skip + len));
    rows.push(Number(msg.bodyLength >= 0 ? (msg.header() as { length: number | bigint }).length : 0));
  }
  return rows;
}

export async function readArrow(path: string, opts: ReadOptions = {}): Promise<ColumnData> {
  const { reader, close, read } = await openArrow(path);
  try {
    const fields = reader.schema.fields;
    const names = fields.map((f) => f.name);
    const numeric = fields.filter((f) => isNumeric(f.type)).map((f) => f.name);
    const wanted = opts.columns ?? numeric;
    for (const c of wanted) {
      if (!names.includes(c)) throw new FomlabError(`${path}: no column '${c}'${didYouMean(c, names)}; columns are: ${names.join(', ')}`);
      if (!numeric.includes(c)) throw new FomlabError(`${path}: column '${c}' has type ${typeName(fields[names.indexOf(c)].type)}, not a number`);
    }
    const rows = await batchRows(reader, read);
    const total = rows.reduce((a, b) => a + b, 0);
    const columns = new Map(wanted.map((c) => [c, new Float32Array(total)] as [string, Float32Array]));
    const bar = opts.progress === false ? { update() {}, stop() {} } : progressBar(`reading ${path}`, total);
    let at = 0;
    try {
      for (let i = 0; i < rows.length; i++) {
        const batch = await reader.readRecordBatch(i);
        if (!batch) throw new FomlabError(`${path}: record batch ${i} is unreadable (truncated file?)`);
        for (const [c, out] of columns) copyInto(batch.getChild(c) as Vector, out, at);
        at += batch.numRows;
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
    const rows = await batchRows(reader, read);
    const columns: ColumnInfo[] = reader.schema.fields.map((f) => ({ name: f.name, type: typeName(f.type), jagged: f.type.typeId === Type.List || f.type.typeId === Type.FixedSizeList }));
    return { path, format: 'arrow', trees: [{ name: '', entries: rows.reduce((a, b) => a + b, 0), columns }] };
  } finally {
    await close();
  }
}
