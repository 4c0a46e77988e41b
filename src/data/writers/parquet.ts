import { mkdirSync, rmSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { tempPathFor } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { Rebatcher, chunkLength } from './chunk.js';
import type { TableWriter } from './index.js';

/*
 * One row group per written chunk; FLOAT columns REQUIRED (no definition levels; NaN is a value),
 * PLAIN encoding (no dictionary: floats rarely repeat) and no compression, so that the reader
 * decodes each page into a Float32Array view with no per-value work.
 */
export function openParquetWriter(path: string, names: string[]): TableWriter {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const schema = [{ name: 'root', num_children: names.length }, ...names.map((name) => ({ name, type: 'FLOAT' as const, repetition_type: 'REQUIRED' as const }))];
  let closed = false;
  let pw: ParquetWriter;
  try {
    pw = new ParquetWriter({ writer: fileWriter(tmp), schema, codec: 'UNCOMPRESSED', createdBy: 'fomlab' });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new FomlabError(`${path}: cannot write (${(e as Error).message})`);
  }
  const fail = (e: unknown): never => {
    closed = true;
    rmSync(tmp, { force: true });
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: cannot write (${(e as Error).message})`);
  };
  const groups = new Rebatcher(names, async (group) => {
    const n = (group.get(names[0]) as Float32Array).length;
    await pw.write({
      columnData: names.map((name) => ({ name, data: group.get(name) as Float32Array, type: 'FLOAT' as const, encoding: 'PLAIN' as const, nullable: false })),
      rowGroupSize: n,
    });
  });
  return {
    async write(chunk) {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      const n = chunkLength(path, names, chunk);
      try {
        await groups.add(chunk, n);
      } catch (e) {
        fail(e);
      }
    },
    async close() {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      closed = true;
      try {
        await groups.flush();
        await pw.finish();
        renameSync(tmp, path);
      } catch (e) {
        fail(e);
      }
    },
    async abort() {
      closed = true;
      rmSync(tmp, { force: true });
    },
  };
}
