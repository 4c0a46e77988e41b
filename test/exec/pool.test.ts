import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTasks, shareArray } from '../../src/exec/pool.js';
import { FomlabError } from '../../src/core/errors.js';

const fixture = new URL('./fixture-task.ts', import.meta.url).pathname;

test('tasks run in worker threads over shared data; results come back in task order', async () => {
  const data = shareArray(Float32Array.from({ length: 1000 }, (_, i) => i)); // Σi = 499500
  const tasks = [1, 2, 3, 4].map((k) => ({ module: fixture, exportName: 'weightedSum', args: [data, k] }));
  let progress = 0;
  const out = await runTasks<{ sum: number; thread: number }>(tasks, { workers: 2, onProgress: (d) => (progress = d) });
  assert.deepEqual(out.map((o) => o.sum), [499500, 999000, 1498500, 1998000]);
  assert.equal(progress, 4);
  assert.ok(out.every((o) => o.thread > 0), 'ran outside the main thread');
});

test('a user error in a task rejects the run with its message', async () => {
  await assert.rejects(runTasks([{ module: fixture, exportName: 'failing', args: ['lr'] }]), (e: unknown) => e instanceof FomlabError && /bad setting 'lr'/.test(e.message));
});
