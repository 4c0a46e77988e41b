import { closeSync, openSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkReplaceable, tempPathFor, trackTemp, untrackTemp, writeFully } from '../../core/atomic.js';
import { FomlabError } from '../../core/errors.js';
import { chunkLength } from './chunk.js';
import type { TableWriter } from './index.js';

/** CSV with a header row; values in shortest round-trip float32 form (exact on read back). */
export function openCsvWriter(path: string, names: string[], delim: string): TableWriter {
  checkReplaceable(path);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = trackTemp(tempPathFor(path));
  let fd: number | null = null;
  const done = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  try {
    fd = openSync(tmp, 'w');
    // writeFully: a short write (disk full, ulimit -f) must not pass as success
    writeFully(fd, Buffer.from(names.join(delim) + '\n'));
  } catch (e) {
    done();
    rmSync(tmp, { force: true });
    untrackTemp(tmp);
    throw e;
  }
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
        writeFully(fd, Buffer.from(lines.join('\n') + '\n'));
        // let a pending Ctrl-C run its handler (core/atomic.ts removes the temporary file)
        if (stop < n) await new Promise((r) => setImmediate(r));
      }
    },
    async close() {
      if (fd === null) throw new FomlabError(`${path}: writer already closed`);
      done();
      renameSync(tmp, path);
      untrackTemp(tmp);
    },
    async abort() {
      done();
      rmSync(tmp, { force: true });
      untrackTemp(tmp);
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
