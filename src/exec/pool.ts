import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { bundledTwin, compiledTwin } from './compiled.js';

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

/**
 * Tasks built while the workers start: `count` workers' worth are spawned and import `module`
 * first, then `build()` runs on this thread (e.g. an ensemble laying its data out in shared
 * memory), so the workers' start-up (~0.3 s each, loading the modules) overlaps it instead of
 * following it. Every built task must call into `module`.
 */
export interface LazyTasks {
  count: number;
  module: string;
  build: () => Task[];
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

/**
 * The process's Node options without tsx's loader (`--import tsx`, `--import=tsx/esm`, `--loader tsx`, `--require tsx/cjs`):
 * a worker that runs compiled JavaScript (dist/) does not load tsx and its hooks thread, ≈ 0.07 s CPU less per worker.
 */
export function withoutTsx(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a, value = eq > 0 ? a.slice(eq + 1) : argv[i + 1];
    const loads = flag === '--import' || flag === '--loader' || flag === '--experimental-loader' || flag === '--require' || flag === '-r';
    if (loads && value !== undefined && /^tsx(\/|$)/.test(value)) {
      if (eq < 0) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** per process argv: the options a compiled worker was started with (null: none taken, it inherits) */
const workerArgv = new Map<string, string[] | null>();

/**
 * A worker thread on compiled JavaScript, started with the process's options less tsx's (withoutTsx). Node refuses
 * per-process flags in a worker's own options (V8's --expose-gc, --max-old-space-size, --trace-gc: they hold for the
 * whole process already); the ones its error names are left out, and if it still refuses, the worker inherits the
 * process's options as it would by default (tsx included).
 */
export function spawnCompiled(file: string | URL, argv: readonly string[] = process.execArgv): Worker {
  const key = argv.join('\0');
  let execArgv: string[] | null = workerArgv.has(key) ? workerArgv.get(key) ?? null : withoutTsx(argv);
  for (let attempt = 0; execArgv !== null && attempt < 2; attempt++) {
    try {
      const w: Worker = new Worker(file, { execArgv });
      workerArgv.set(key, execArgv);
      return w;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
      const named = new Set((e as Error).message.slice((e as Error).message.indexOf(': ') + 2).split(', '));
      const kept: string[] = execArgv.filter((a) => !named.has(a) && !named.has(a.split('=')[0]));
      execArgv = attempt === 0 && kept.length < execArgv.length ? kept : null;
    }
  }
  workerArgv.set(key, null);
  return new Worker(file);
}

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
export async function runTasks<T>(given: Task[] | LazyTasks, options: PoolOptions = {}): Promise<T[]> {
  const lazy = Array.isArray(given) ? null : given;
  const count = lazy ? lazy.count : (given as Task[]).length;
  const nWorkers = Math.max(1, Math.min(options.workers ?? availableParallelism(), count));
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  const modules = lazy ? [lazy.module] : (given as Task[]).map((t) => t.module);
  const twins = sourceWorker ? modules.map((m) => compiledTwin(resolve(m))) : [];
  const compiled = sourceWorker && twins.every((t) => t !== null) ? compiledTwin(join(dirname(here), 'worker.ts')) : null;
  const workerFile = sourceWorker ? compiled ?? join(dirname(here), 'worker-entry.mjs') : join(dirname(here), 'worker.js');
  // compiled modules as their one-file bundle when the build wrote one (compiled.ts bundledTwin)
  const urlOf = (m: number): string => pathToFileURL(compiled ? bundledTwin(twins[m]!) : sourceWorker ? resolve(modules[m]) : bundledTwin(resolve(modules[m]))).href;
  const spawn = (): Worker => (sourceWorker && !compiled ? new Worker(workerFile) : spawnCompiled(workerFile));
  if (lazy && count > 0) {
    for (let i = 0; i < nWorkers; i++) {
      const w = spawn();
      w.postMessage({ preload: urlOf(0) });
      workers.push(w);
    }
  }
  let tasks: Task[] = [];
  try {
    tasks = lazy ? lazy.build() : (given as Task[]);
    if (lazy && (tasks.length !== count || tasks.some((t) => t.module !== lazy.module))) throw new Error(`runTasks: ${count} tasks of ${lazy.module} announced, built ${tasks.length} of ${[...new Set(tasks.map((t) => t.module))].join(', ')}`);
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  const results = new Array<T>(tasks.length);
  const moduleOf = (id: number): string => urlOf(lazy ? 0 : id);
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      if (tasks.length === 0) return resolveAll();
      const feed = (w: Worker): void => {
        if (next >= tasks.length) return;
        const id = next++;
        const t = tasks[id];
        w.postMessage({ id, module: moduleOf(id), exportName: t.exportName, args: t.args });
      };
      for (let i = 0; i < nWorkers; i++) {
        const w = workers[i] ?? spawn();
        workers[i] = w;
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
