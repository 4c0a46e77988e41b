import { createWriteStream, mkdirSync, rmSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { Field, Float32, RecordBatch, RecordBatchFileWriter, Schema, makeData, Struct } from 'apache-arrow';
import { checkReplaceable, tempPathFor, trackTemp, untrackTemp, writeError } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { Rebatcher, chunkLength } from './chunk.js';
import type { TableWriter } from './index.js';

/*
 * Arrow IPC file (= Feather v2), one uncompressed record batch per written chunk, streamed to the
 * temporary file as it is produced: memory stays at one chunk.
 */
export function openArrowWriter(path: string, names: string[]): TableWriter {
  checkReplaceable(path);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = trackTemp(tempPathFor(path));
  const schema = new Schema(names.map((n) => new Field(n, new Float32(), false)));
  const out = createWriteStream(tmp);
  let streamError: Error | null = null;
  out.on('error', (e) => (streamError = e));
  const writer = new RecordBatchFileWriter();
  writer.reset(undefined, schema);
  let closed = false;
  let wrote = false;

  // one pump moves the writer's bytes into the file; write() waits for it and for the file's drain
  const pump = (async () => {
    for await (const buf of writer) if (!out.write(buf)) await once(out, 'drain');
  })();
  pump.catch((e: Error) => (streamError = e));
  const drain = async () => {
    await new Promise((r) => setImmediate(r));
    if (out.writableNeedDrain) await once(out, 'drain');
    if (streamError) throw streamError;
  };
  /** Closes the stream and removes the temporary file — after the stream's own (asynchronous) open, which would create it again. */
  const discard = async (): Promise<void> => {
    closed = true;
    if (!out.closed) {
      const gone = once(out, 'close').catch(() => undefined);
      out.destroy();
      await gone;
    }
    rmSync(tmp, { force: true });
    untrackTemp(tmp);
  };
  const fail = async (e: unknown): Promise<never> => {
    await discard();
    throw writeError(path, e);
  };
  const batches = new Rebatcher(names, async (group) => {
    const n = (group.get(names[0]) as Float32Array).length;
    const children = names.map((name) => makeData({ type: new Float32(), length: n, nullCount: 0, data: group.get(name) as Float32Array }));
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children })));
    wrote = true;
    await drain();
  });
  return {
    async write(chunk) {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      const n = chunkLength(path, names, chunk);
      try {
        await batches.add(chunk, n);
      } catch (e) {
        await fail(e);
      }
    },
    async close() {
      if (closed) throw new FomlabError(`${path}: writer already closed`);
      try {
        await batches.flush();
        if (!wrote) writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children: names.map(() => makeData({ type: new Float32(), length: 0, nullCount: 0, data: new Float32Array(0) })) })));
        writer.finish();
        await pump;
        closed = true;
        out.end();
        await once(out, 'finish');
        if (streamError) throw streamError;
        renameSync(tmp, path);
        untrackTemp(tmp);
      } catch (e) {
        await fail(e);
      }
    },
    abort: discard,
  };
}
