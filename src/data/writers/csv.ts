import { closeSync, openSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { chunkLength } from './chunk.js';
import type { TableWriter } from './index.js';

/** CSV with a header row; values in shortest round-trip float32 form (exact on read back). */
export function openCsvWriter(path: string, names: string[], delim: string): TableWriter {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  let fd: number | null = openSync(tmp, 'w');
  writeSync(fd, names.join(delim) + '\n');
  const done = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    async write(chunk) {
      if (fd === null) throw new FomlabError(`${path}: writer already closed`);
      const n = chunkLength(path, names, chunk);
      const cols = names.map((k) => chunk.get(k) as Float32Array);
      const cells: string[] = new Array(cols.length);
      for (let start = 0; start < n; start += 65536) {
        const stop = Math.min(n, start + 65536); // bounded text per write
        const lines: string[] = new Array(stop - start);
        for (let i = start; i < stop; i++) {
          for (let j = 0; j < cols.length; j++) cells[j] = float32String(cols[j][i]);
          lines[i - start] = cells.join(delim);
        }
        writeSync(fd, lines.join('\n') + '\n');
      }
    },
    async close() {
      if (fd === null) throw new FomlabError(`${path}: writer already closed`);
      done();
      renameSync(tmp, path);
    },
    async abort() {
      done();
      rmSync(tmp, { force: true });
    },
  };
}

/** A short decimal (≤ 9 significant digits) that parses back to the same float32. */
export function float32String(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0';
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 24) return String(v);
  for (let p = 7; p < 10; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}
