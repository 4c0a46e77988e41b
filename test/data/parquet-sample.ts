// A Parquet file with three row groups (one pass-through, one buffered, a short last one), written the same way in this
// process and, run as `node --import tsx test/data/parquet-sample.ts <path>`, in a child (writers-parquet-reserve.test.ts
// runs it there with FOMLAB_KERNELS=typescript: no addon, so no block reservation and the TypeScript CRC/min-max).
import { pathToFileURL } from 'node:url';
import { openTableWriter } from '../../src/data/writers/index.js';
import { groupRows } from '../../src/data/writers/chunk.js';

export const SAMPLE_COLUMNS = ['px', 'py', 'mass', 'flag'];

/** rows per group: [target + 5 (a pass-through chunk), target (gathered from 300 k chunks), 1229] */
export function sampleGroups(): number[] {
  const target = groupRows(SAMPLE_COLUMNS.length);
  return [target + 5, target, 1229];
}

export async function writeSample(path: string): Promise<void> {
  const n = sampleGroups().reduce((s, r) => s + r, 0);
  const cols = SAMPLE_COLUMNS.map(() => new Float32Array(n));
  let s = 11;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    cols[0][i] = (s / 2 ** 32 - 0.5) * 200;
    cols[1][i] = Math.sin(i) * 50;
    cols[2][i] = i % 97 === 0 ? NaN : 91 + (s % 1000) / 100;
    cols[3][i] = i % 2;
  }
  const chunkOf = (a: number, b: number) => new Map(SAMPLE_COLUMNS.map((k, j) => [k, cols[j].subarray(a, b)]));
  const w = await openTableWriter(path, SAMPLE_COLUMNS);
  const first = sampleGroups()[0];
  await w.write(chunkOf(0, first));
  for (let a = first; a < n; a += 300_000) await w.write(chunkOf(a, Math.min(n, a + 300_000)));
  await w.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await writeSample(process.argv[2]);
