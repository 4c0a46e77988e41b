import { FomlabError } from '../../core/errors.js';

/** Checks a chunk has exactly the writer's columns, all of one length; returns that length. */
export function chunkLength(path: string, names: string[], chunk: Map<string, Float32Array>): number {
  let n = -1;
  for (const name of names) {
    const c = chunk.get(name);
    if (!c) throw new FomlabError(`${path}: chunk lacks column '${name}'`);
    if (!(c instanceof Float32Array)) throw new FomlabError(`${path}: column '${name}' is not a Float32Array`);
    if (n < 0) n = c.length;
    else if (c.length !== n) throw new FomlabError(`${path}: column '${name}' has ${c.length} rows in this chunk, '${names[0]}' has ${n}`);
  }
  for (const k of chunk.keys()) if (!names.includes(k)) throw new FomlabError(`${path}: chunk has column '${k}' that the writer was not opened with`);
  return n;
}

/** Bytes of buffered rows after which a row group / record batch is written. */
const GROUP_BYTES = 32 * 2 ** 20;

/** Rows per row group / record batch for `columns` float32 columns: about GROUP_BYTES, 1024–1 M rows. */
export function groupRows(columns: number): number {
  return Math.max(1024, Math.min(1_000_000, Math.floor(GROUP_BYTES / (4 * columns))));
}

/**
 * Gathers small chunks into row groups of about GROUP_BYTES (at most 1 M rows), so that a caller
 * streaming in small pieces still gets a file that reads fast; large chunks pass straight through.
 */
export class Rebatcher {
  private parts: Array<Map<string, Float32Array>> = [];
  private rows = 0;
  readonly target: number;

  constructor(private readonly names: string[], private readonly emit: (group: Map<string, Float32Array>) => Promise<void>) {
    this.target = groupRows(names.length);
  }

  async add(chunk: Map<string, Float32Array>, n: number): Promise<void> {
    if (n === 0) return;
    if (this.rows === 0 && n >= this.target) return this.emit(chunk);
    this.parts.push(new Map([...chunk].map(([k, v]) => [k, v.slice()]))); // the caller may reuse its arrays
    this.rows += n;
    if (this.rows >= this.target) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows === 0) return;
    const group = new Map<string, Float32Array>();
    for (const name of this.names) {
      const out = new Float32Array(this.rows);
      let at = 0;
      for (const p of this.parts) {
        const c = p.get(name) as Float32Array;
        out.set(c, at);
        at += c.length;
      }
      group.set(name, out);
    }
    this.parts = [];
    this.rows = 0;
    await this.emit(group);
  }
}
