import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTasks, shareArray, spawnCompiled, withoutTsx } from '../../src/exec/pool.js';
import { FomlabError } from '../../src/core/errors.js';
import { bundledTwin } from '../../src/exec/compiled.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

test('lazy tasks: the workers start (and load the module) before the tasks are built; results in task order; a build that breaks its announcement is refused', async () => {
  let built = 0;
  const out = await runTasks<{ sum: number; thread: number }>({
    count: 3, module: fixture,
    build: () => {
      built++;
      const data = shareArray(Float32Array.from({ length: 100 }, (_, i) => i)); // Σi = 4950
      return [3, 1, 2].map((k) => ({ module: fixture, exportName: 'weightedSum', args: [data, k] }));
    },
  }, { workers: 2 });
  assert.equal(built, 1);
  assert.deepEqual(out.map((o) => o.sum), [14850, 4950, 9900]);
  await assert.rejects(runTasks({ count: 2, module: fixture, build: () => [{ module: fixture, exportName: 'weightedSum', args: [shareArray(new Float32Array(1)), 1] }] }), /2 tasks of .* announced, built 1/);
  await assert.rejects(runTasks({ count: 1, module: fixture, build: () => { throw new Error('no data'); } }), /no data/);
});

test('workers that run compiled JavaScript start without tsx: its loader flags are dropped, every other option kept', () => {
  assert.deepEqual(withoutTsx(['--import', 'tsx', '--expose-gc']), ['--expose-gc']);
  assert.deepEqual(withoutTsx(['--expose-gc', '--import=tsx/esm', '--max-old-space-size=4096']), ['--expose-gc', '--max-old-space-size=4096']);
  assert.deepEqual(withoutTsx(['--loader', 'tsx', '--require', 'tsx/cjs', '-r', 'tsx']), []);
  // another module's --import stays, as does a package whose name only starts with "tsx"
  assert.deepEqual(withoutTsx(['--import', './setup.mjs', '--import', 'tsxlike', '--test']), ['--import', './setup.mjs', '--import', 'tsxlike', '--test']);
});

test('a compiled worker leaves out the per-process flags Node refuses per worker (V8\'s), keeps the rest, and runs', async () => {
  const echo = new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage(process.execArgv);")}`);
  const w = spawnCompiled(echo, ['--import', 'tsx', '--expose-gc', '--stack-trace-limit=50', '--enable-source-maps']);
  const seen = await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  assert.deepEqual(seen, ['--enable-source-maps']);
});

test('a compiled module inside dist/ runs from its one-file bundle only when the last build wrote it; other modules as they are', () => {
  const member = fileURLToPath(new URL('../../dist/train/member.js', import.meta.url));
  const bundle = member.replace(/\.js$/, '.bundle.js');
  const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(join(dirname(member), '..', '.built')).mtimeMs;
  assert.equal(bundledTwin(member), fresh ? bundle : member);
  // the tests run after scripts/build-dist.mjs (run-tests.mjs): it writes the bundle after tsc
  if (existsSync(join(dirname(member), '..', '.built'))) assert.ok(fresh, 'scripts/build-dist.mjs wrote dist/train/member.bundle.js');
  assert.equal(bundledTwin('/elsewhere/train/member.js'), '/elsewhere/train/member.js');
  assert.equal(bundledTwin(member.replace(/\.js$/, '.ts')), member.replace(/\.js$/, '.ts'));
});
