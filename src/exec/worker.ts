// Worker-thread side of the local pool (pool.ts): imports the task's module and calls its export.
import { parentPort } from 'node:worker_threads';

interface Request {
  id: number;
  module: string;
  exportName: string;
  args: unknown[];
}

parentPort?.on('message', async (req: Request | { preload: string }) => {
  if ('preload' in req) { // load the tasks' module ahead of them (pool.ts LazyTasks); a failure shows with the first task
    await import(req.preload).catch(() => undefined);
    return;
  }
  try {
    const mod = (await import(req.module)) as Record<string, unknown>;
    const fn = mod[req.exportName];
    if (typeof fn !== 'function') throw new Error(`${req.module} has no exported function '${req.exportName}'`);
    const value: unknown = await (fn as (...a: unknown[]) => unknown)(...req.args);
    parentPort?.postMessage({ id: req.id, ok: true, value });
  } catch (e) {
    const err = e as Error;
    parentPort?.postMessage({ id: req.id, ok: false, error: err.name === 'FomlabError' ? err.message : String(err.stack ?? err), userError: err.name === 'FomlabError' });
  }
});
