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
