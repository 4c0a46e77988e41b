import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC, vectorFromArray, Table, Bool, Utf8 } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readColumns, describeFile } from '../../src/data/readers/index.js';
import { FomlabError } from '../../src/core/errors.js';

// Files not written by fomlab: other types, nulls, strings, compression, dictionaries.

const N = 5000;
const f64 = Float64Array.from({ length: N }, (_, i) => i * 0.25 - 100);
const i32 = Int32Array.from({ length: N }, (_, i) => (i % 7) - 3);
const withNulls = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : i));
const flags = Array.from({ length: N }, (_, i) => i % 2 === 0);
const names = Array.from({ length: N }, (_, i) => `ev${i}`);

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-foreign-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function check(cols: Map<string, Float32Array>): void {
  assert.deepEqual(cols.get('energy'), Float32Array.from(f64));
  assert.deepEqual(cols.get('charge'), Float32Array.from(i32));
  const n = cols.get('nTracks')!;
  for (let i = 0; i < N; i++) assert.ok(i % 5 === 0 ? Number.isNaN(n[i]) : n[i] === i, `nTracks ${i}`);
  assert.deepEqual(cols.get('isMC'), Float32Array.from(flags, (b) => (b ? 1 : 0)));
}

test('Arrow IPC file from apache-arrow: float64, int32, nulls, bool; strings skipped', async (t) => {
  const dir = tmp(t);
  const base = tableFromArrays({ energy: f64, charge: i32 });
  const table = new Table({
    energy: base.getChild('energy')!,
    charge: base.getChild('charge')!,
    nTracks: vectorFromArray(withNulls),
    isMC: vectorFromArray(flags, new Bool()),
    name: vectorFromArray(names, new Utf8()),
  });
  const path = join(dir, 'foreign.feather');
  writeFileSync(path, tableToIPC(table, 'file'));
  const d = await readColumns(path);
  assert.deepEqual([...d.columns.keys()], ['energy', 'charge', 'nTracks', 'isMC']);
  check(d.columns);
  await assert.rejects(readColumns(path, { columns: ['name'] }), (e: unknown) => e instanceof FomlabError && /column 'name' has type Utf8, not a number/.test(e.message));
  const stream = join(dir, 'stream.arrow');
  writeFileSync(stream, tableToIPC(table, 'stream'));
  await assert.rejects(readColumns(stream), (e: unknown) => e instanceof FomlabError && /stream\.arrow: is an Arrow IPC stream/.test(e.message));
  const bytes = tableToIPC(table, 'file');
  const cut = join(dir, 'cut.arrow');
  writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
  await assert.rejects(readColumns(cut), (e: unknown) => e instanceof FomlabError && e.message.startsWith(`${cut}: `));
});

test('Parquet from hyparquet-writer defaults (snappy, dictionaries, nullable): types converted', async (t) => {
  const dir = tmp(t);
  const path = join(dir, 'foreign.parquet');
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'energy', data: f64, type: 'DOUBLE' },
      { name: 'charge', data: i32, type: 'INT32' },
      { name: 'nTracks', data: withNulls.map((x) => (x === null ? null : BigInt(x))), type: 'INT64' },
      { name: 'isMC', data: flags, type: 'BOOLEAN' },
      { name: 'name', data: names, type: 'STRING' },
    ],
    rowGroupSize: 1500,
  });
  writeFileSync(path, new Uint8Array(buf));
  const d = await readColumns(path);
  assert.deepEqual([...d.columns.keys()], ['energy', 'charge', 'nTracks', 'isMC']);
  check(d.columns);
  const desc = await describeFile(path);
  assert.equal(desc.trees[0].entries, N);
  assert.deepEqual(desc.trees[0].columns.map((c) => c.type), ['DOUBLE', 'INT32', 'INT64', 'BOOLEAN', 'BYTE_ARRAY']);
  const cut = join(dir, 'cut.parquet');
  writeFileSync(cut, new Uint8Array(buf).subarray(0, buf.byteLength >> 1));
  await assert.rejects(readColumns(cut), (e: unknown) => e instanceof FomlabError && e.message.startsWith(cut));
});
