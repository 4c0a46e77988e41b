import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { compiledTwin } from './compiled.js';

/**
 * One unit of work for the pool: call `exportName(...args)` of the ES module `module` in a worker
 * thread. Arguments and results must be structured-cloneable; typed arrays over a
 * SharedArrayBuffer (see `shareArray`) cross without a copy, so every worker sees one data set.
 */
export interface Task {
  module: string;
  exportName: string;
  args: unknown[];
}

export interface PoolOptions {
  /** number of worker threads; default: the machine's cores */
  workers?: number;
  /** called after each finished task with (done, total) */
  onProgress?: (done: number, total: number) => void;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  userError?: boolean;
}

// Compiled (dist/exec/pool.js, plain Node) the worker is worker.js itself; from the sources (tests,
// tsx) it is worker-entry.mjs, which registers tsx before importing worker.ts.
// When every task's module has a fresh compiled twin (compiled.ts), the sources' workers run dist/ too.
const here = fileURLToPath(import.meta.url);
const sourceWorker = here.endsWith('.ts');

/** A Float32Array copy living in shared memory (zero-copy across worker threads). */
export function shareArray(a: Float32Array): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/**
 * The local executor: runs tasks over a pool of worker threads, at most `workers` at a time, and
 * returns the results in task order. The first failing task rejects the whole run (the other
 * workers are stopped), with the task's own message.
 */
export async function runTasks<T>(tasks: Task[], options: PoolOptions = {}): Promise<T[]> {
  const nWorkers = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const results = new Array<T>(tasks.length);
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  const twins = sourceWorker ? tasks.map((t) => compiledTwin(resolve(t.module))) : [];
  const compiled = sourceWorker && twins.every((t) => t !== null) ? compiledTwin(join(dirname(here), 'worker.ts')) : null;
  const workerFile = sourceWorker ? compiled ?? join(dirname(here), 'worker-entry.mjs') : join(dirname(here), 'worker.js');
  const moduleOf = (id: number): string => (compiled ? twins[id]! : resolve(tasks[id].module));
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      if (tasks.length === 0) return resolveAll();
      const feed = (w: Worker): void => {
        if (next >= tasks.length) return;
        const id = next++;
        const t = tasks[id];
        w.postMessage({ id, module: pathToFileURL(moduleOf(id)).href, exportName: t.exportName, args: t.args });
      };
      for (let i = 0; i < nWorkers; i++) {
        const w = new Worker(workerFile);
        workers.push(w);
        w.on('message', (r: Reply) => {
          if (!r.ok) {
            rejectAll(r.userError ? new FomlabError(r.error ?? 'task failed') : new Error(r.error));
            return;
          }
          results[r.id] = r.value as T;
          done++;
          options.onProgress?.(done, tasks.length);
          if (done === tasks.length) resolveAll();
          else feed(w);
        });
        w.on('error', rejectAll);
        w.on('exit', (code) => {
          if (code !== 0 && done < tasks.length) rejectAll(new Error(`worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
