import { FomlabError } from '../../core/errors.js';
import type { FileFormat } from './format.js';

/*
 * Every reader call runs through `guarded`: the libraries underneath (jsroot, hyparquet,
 * apache-arrow) print their own lines on corrupt input (jsroot: "R__unzip: fail to unzip data
 * …") and throw plain TypeErrors/RangeErrors; a user must see fomlab's one line naming the file.
 */

const FORMAT_NAMES: Record<FileFormat, string> = { root: 'ROOT', parquet: 'Parquet', arrow: 'Arrow IPC', csv: 'CSV' };

let depth = 0;
let saved: Pick<Console, 'log' | 'warn' | 'error' | 'info'> | null = null;
let heard: string[] = [];

/** Silences console.log/info/warn/error while a library reads; what they said is kept for the error. */
function silence(): void {
  if (depth++ > 0) return;
  saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  heard = [];
  const keep = (...a: unknown[]): void => void heard.push(a.map(String).join(' '));
  console.log = console.warn = console.error = console.info = keep;
}

function restore(): string[] {
  if (--depth > 0 || !saved) return heard;
  Object.assign(console, saved);
  saved = null;
  return heard;
}

/** Runs a reader: library output silenced, any non-fomlab error turned into one line naming the file. */
export async function guarded<T>(path: string, format: FileFormat, read: () => Promise<T>): Promise<T> {
  silence();
  try {
    return await read();
  } catch (e) {
    if (e instanceof FomlabError) throw e;
    const said = heard.length ? `; the ${FORMAT_NAMES[format]} library said: ${heard[heard.length - 1].split('\n')[0].slice(0, 120)}` : '';
    const why = e instanceof RangeError && /allocation|Array buffer|Invalid typed array length/i.test(e.message) ? 'a size field is out of range' : (e as Error).message?.split('\n')[0].slice(0, 160) ?? String(e);
    throw new FomlabError(`${path}: cannot read this ${FORMAT_NAMES[format]} file (${why}${said}); is it truncated or corrupt?`);
  } finally {
    restore();
  }
}
