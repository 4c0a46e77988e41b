import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { FomlabError } from '../../core/errors.js';

export type FileFormat = 'root' | 'parquet' | 'arrow' | 'csv';

/** An error naming the file when it is absent or not a regular file. */
export function checkReadable(path: string): number {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new FomlabError(`${path}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof FomlabError) throw e;
    throw new FomlabError(`${path}: no such file`);
  }
  return size;
}

/** Format from the magic bytes first (ROOT `root`, Parquet `PAR1`, Arrow `ARROW1`), the extension second. */
export function detectFormat(path: string): FileFormat {
  const size = checkReadable(path);
  const head = Buffer.alloc(8);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  const ascii = head.toString('latin1');
  if (ascii.startsWith('root')) return 'root';
  if (ascii.startsWith('PAR1')) return 'parquet';
  if (ascii.startsWith('ARROW1')) return 'arrow';
  // Arrow IPC stream format: continuation marker 0xFFFFFFFF then a schema message
  if (head.readUInt32LE(0) === 0xffffffff && ['.arrows', '.arrow', '.feather', '.ipc'].includes(extname(path).toLowerCase())) return 'arrow';
  const ext = extname(path).toLowerCase();
  if (['.csv', '.tsv', '.txt', '.dat'].includes(ext) && size > 0 && looksLikeText(path)) return 'csv';
  const known = { '.root': 'ROOT', '.parquet': 'Parquet', '.arrow': 'Arrow IPC', '.feather': 'Feather' } as Record<string, string>;
  if (known[ext]) throw new FomlabError(`${path}: not a ${known[ext]} file (its first bytes are not the ${known[ext]} signature)`);
  throw new FomlabError(`${path}: not a known format (ROOT, Parquet, Arrow IPC/Feather, CSV/TSV)`);
}

function looksLikeText(path: string): boolean {
  const buf = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  for (let i = 0; i < n; i++) if (buf[i] === 0) return false;
  return true;
}
