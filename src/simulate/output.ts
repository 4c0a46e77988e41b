/** What both built-in generators do with their column chunks: join them in memory or stream them to a file. */
import { openTableWriter } from '../data/writers/index.js';

/** The chunks joined column by column (the columns `names`, in order). */
export function concatenateChunks(chunks: Array<Map<string, Float32Array>>, names: readonly string[]): Map<string, Float32Array> {
  const total = chunks.reduce((s, c) => s + (c.get(names[0])?.length ?? 0), 0);
  const cols = new Map<string, Float32Array>();
  for (const n of names) {
    const out = new Float32Array(total);
    let off = 0;
    for (const c of chunks) {
      const part = c.get(n) as Float32Array;
      out.set(part, off);
      off += part.length;
    }
    cols.set(n, out);
  }
  return cols;
}

/**
 * Streams the chunks into `path` (.parquet, .arrow/.feather or .csv; written to a temp file and
 * renamed, aborted on error); `onChunk` sees each chunk before it is written, `done` runs at the
 * end either way (e.g. to stop a progress bar).
 */
export async function writeChunkStream(
  path: string, names: readonly string[], chunks: Iterable<Map<string, Float32Array>>, onChunk: (chunk: Map<string, Float32Array>) => void, done: () => void,
): Promise<void> {
  const writer = await openTableWriter(path, [...names]);
  try {
    for (const chunk of chunks) {
      onChunk(chunk);
      await writer.write(chunk);
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    done();
  }
}

/**
 * Column buffers of `size` rows that a generator fills row by row (`cols[column][row]`, then
 * `next()`) and hands out as chunks; a full buffer's arrays go out as they are, the last one sliced.
 * With `reuse`, a full buffer's arrays are handed out and then refilled for the next chunk (no fresh
 * memory per chunk): only for a consumer that is done with each chunk before it asks for the next.
 */
export class ChunkBuffer {
  cols: Float32Array[];
  row = 0;

  constructor(readonly names: readonly string[], readonly size: number, readonly reuse = false) {
    this.cols = names.map(() => new Float32Array(size));
  }

  /** The current row is written; true when the buffer is full (then `take()` it). */
  next(): boolean {
    return ++this.row === this.size;
  }

  /** The rows written so far as a chunk; the buffer starts empty again. */
  take(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    this.names.forEach((n, j) => out.set(n, this.row === this.size ? this.cols[j] : this.cols[j].slice(0, this.row)));
    if (!this.reuse) this.cols = this.names.map(() => new Float32Array(this.size));
    this.row = 0;
    return out;
  }
}
