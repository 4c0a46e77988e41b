import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTableWriter, writeTable } from '../../src/data/writers/index.js';
import { readColumns, describeFile } from '../../src/data/readers/index.js';
import { FomlabError } from '../../src/core/errors.js';

function columns(n: number): Map<string, Float32Array> {
  const mass = new Float32Array(n);
  const score = new Float32Array(n);
  const label = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    mass[i] = (s / 2 ** 32) * 200;
    score[i] = Math.fround(1 / (i + 1)) * (i % 2 ? -1 : 1);
    label[i] = i % 3 === 0 ? 1 : 0;
  }
  score[3] = NaN;
  score[4] = Infinity;
  score[5] = -Infinity;
  score[6] = -0;
  mass[7] = 3.4028234663852886e38;
  mass[8] = 1.401298464324817e-45;
  return new Map([['mass', mass], ['score', score], ['label', label]]);
}

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-writers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const ext of ['parquet', 'arrow', 'feather', 'csv']) {
  test(`${ext}: streamed chunks read back bit-exact (NaN, ±Inf, -0, extremes)`, async (t) => {
    const dir = tmp(t);
    const path = join(dir, `events.${ext}`);
    const all = columns(25_000);
    const w = await openTableWriter(path, ['mass', 'score', 'label']);
    for (let s = 0; s < 25_000; s += 7_000) {
      await w.write(new Map([...all].map(([k, v]) => [k, v.subarray(s, Math.min(s + 7_000, 25_000))])));
      assert.ok(!existsSync(path), 'the file appears only at close()');
    }
    await w.close();
    assert.deepEqual(readdirSync(dir), [`events.${ext}`], 'no temporary file left');
    const back = await readColumns(path);
    assert.equal(back.length, 25_000);
    for (const [k, v] of all) assert.deepEqual(back.columns.get(k), v, k);
    const desc = await describeFile(path);
    assert.equal(desc.trees[0].entries, 25_000);
  });
}

test('writeTable: one-shot, empty table, and column subset on read', async (t) => {
  const dir = tmp(t);
  const path = join(dir, 'out', 'scores.parquet');
  await writeTable(path, columns(100));
  const back = await readColumns(path, { columns: ['label'] });
  assert.deepEqual([...back.columns.keys()], ['label']);
  const empty = join(dir, 'empty.arrow');
  await writeTable(empty, new Map([['x', new Float32Array(0)]]));
  assert.equal((await readColumns(empty)).length, 0);
});

test('writer failures leave no file behind and name the file', async (t) => {
  const dir = tmp(t);
  const isFomlab = (...parts: string[]) => (e: unknown) => {
    assert.ok(e instanceof FomlabError, String(e));
    for (const p of parts) assert.ok(e.message.includes(p), `${e.message} lacks ${p}`);
    return true;
  };
  for (const ext of ['parquet', 'arrow', 'csv']) {
    const path = join(dir, `bad.${ext}`);
    const w = await openTableWriter(path, ['a', 'b']);
    await w.write(new Map([['a', new Float32Array(3)], ['b', new Float32Array(3)]]));
    await assert.rejects(w.write(new Map([['a', new Float32Array(3)], ['b', new Float32Array(2)]])), isFomlab(`bad.${ext}`, "column 'b' has 2 rows"));
    await w.abort();
    await assert.rejects(writeTable(path, new Map([['a', new Float32Array(2)], ['c', new Float32Array(3)]])), isFomlab(`bad.${ext}`, "'c' has 3 rows"));
  }
  assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
  await assert.rejects(openTableWriter(join(dir, 'x.hdf5'), ['a']), isFomlab('x.hdf5', 'unknown output format'));
  const blocker = join(dir, 'file');
  writeFileSync(blocker, 'not a directory');
  await assert.rejects(writeTable(join(blocker, 'sub', 'x.parquet'), columns(3)), isFomlab('x.parquet', 'cannot write'));
  assert.deepEqual(readdirSync(dir), ['file']);
});
