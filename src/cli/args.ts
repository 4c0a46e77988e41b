import { parseArgs } from 'node:util';
import { FomlabError, didYouMean } from '../core/errors.js';

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** util.parseArgs with fomlab's one-line errors naming the option (and its near matches). */
export function parseOptions<S extends Spec>(command: string, args: string[], spec: S, positionals: { min: number; max: number; names: string }): ReturnType<typeof parseArgs<{ args: string[]; options: S; allowPositionals: true; strict: true }>> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (e) {
    const m = /Unknown option '(-{1,2}[^']+)'/.exec((e as Error).message);
    if (m) throw new FomlabError(`${command}: unknown option '${m[1]}'${didYouMean(m[1].replace(/^-+/, ''), Object.keys(spec))}; run 'fomlab ${command} --help'`);
    throw new FomlabError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min || n > positionals.max) throw new FomlabError(`${command}: expected ${positionals.names}; run 'fomlab ${command} --help'`);
  return parsed;
}

/** Installs a Ctrl-C handler that asks training to stop after the current epoch; returns the flag. */
export function stopOnInterrupt(what: string): { stop: Int32Array; dispose: () => void } {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const handler = (): void => {
    if (Atomics.load(stop, 0) !== 0) process.exit(130);
    Atomics.store(stop, 0, 1);
    console.error(`\nfomlab: stopping after the current epoch (checkpoints are kept); ${what}. Ctrl-C again to quit at once.`);
  };
  process.on('SIGINT', handler);
  return { stop, dispose: () => process.off('SIGINT', handler) };
}
