// The hand-written Parquet writer (src/data/writers/parquet.ts): bit-exact round trip through
// hyparquet on both of its paths (buffered row groups and pass-through chunks), and the footer's
// row groups and min/max statistics as hyparquet decodes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { openTableWriter } from '../../src/data/writers/index.js';
import { groupRows } from '../../src/data/writers/chunk.js';
import { readColumns } from '../../src/data/readers/index.js';
import { foldMinMaxPortable } from '../../src/data/writers/parquet.js';
import { nativeBinding } from '../../src/core/kernels/native.js';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-parquet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The file's metadata as hyparquet decodes it (a fresh ArrayBuffer: small Buffers share a pool). */
function footerOf(path: string): ReturnType<typeof parquetMetadata> {
  const b = readFileSync(path);
  return parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Columns with the awkward values: NaN (two payloads), ±Inf, −0, extremes, subnormals. */
function columns(n: number): Map<string, Float32Array> {
  const x = new Float32Array(n), y = new Float32Array(n), nan = new Float32Array(n).fill(NaN), zero = new Float32Array(n);
  let s = 7;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = (s / 2 ** 32 - 0.5) * 1e3;
    y[i] = i % 2 ? -1 / (i + 1) : i;
  }
  x[1] = NaN;
  x[2] = Infinity;
  x[3] = -Infinity;
  x[4] = -0;
  x[5] = 3.4028234663852886e38;
  x[6] = 1.401298464324817e-45;
  bits(x)[7] = 0xffc00001; // a negative NaN with a payload
  zero[5] = -0;
  return new Map([['x', x], ['y', y], ['nan', nan], ['zero', zero]]);
}

async function roundTrip(t: { after(fn: () => void): void }, n: number, chunk: number): Promise<{ path: string; all: Map<string, Float32Array> }> {
  const path = join(tmp(t), 'f.parquet');
  const all = columns(n);
  const w = await openTableWriter(path, [...all.keys()]);
  for (let s = 0; s < n; s += chunk) await w.write(new Map([...all].map(([k, v]) => [k, v.subarray(s, Math.min(n, s + chunk))])));
  await w.close();
  const back = await readColumns(path, { progress: false });
  assert.equal(back.length, n);
  for (const [k, v] of all) assert.deepEqual(bits(back.columns.get(k) as Float32Array), bits(v), `${k} bit-exact`);
  return { path, all };
}

test('parquet: buffered row groups (small chunks, several groups) are bit-exact incl. NaN payloads, ±Inf, -0', async (t) => {
  const target = groupRows(4);
  const { path } = await roundTrip(t, 2 * target + 1234, 50_000);
  const meta = footerOf(path);
  assert.deepEqual(meta.row_groups.map((g) => Number(g.num_rows)), [target, target, 1234]);
});

test('parquet: pass-through chunks (≥ one row group) are bit-exact', async (t) => {
  const target = groupRows(4);
  const { path } = await roundTrip(t, 2 * target + 10, target + 5);
  const meta = footerOf(path);
  assert.equal(meta.row_groups.reduce((s, g) => s + Number(g.num_rows), 0), 2 * target + 10);
  assert.equal(meta.row_groups[0].num_rows, BigInt(target + 5));
});

test('parquet: min/max statistics per row group skip NaN, normalise zeros, absent for all-NaN', async (t) => {
  const { path, all } = await roundTrip(t, 10_000, 3_000);
  const meta = footerOf(path);
  assert.equal(meta.row_groups.length, 1);
  const stats = Object.fromEntries(meta.row_groups[0].columns.map((c) => [c.meta_data?.path_in_schema[0], c.meta_data?.statistics]));
  assert.equal(stats.x?.min_value, -Infinity);
  assert.equal(stats.x?.max_value, Infinity);
  const y = all.get('y') as Float32Array;
  assert.equal(stats.y?.min_value, Math.min(...y));
  assert.equal(stats.y?.max_value, Math.max(...y));
  assert.ok(Object.is(stats.zero?.min_value, -0) && Object.is(stats.zero?.max_value, 0), 'zeros: min −0, max +0');
  assert.equal(stats.nan?.min_value, undefined);
  assert.equal(stats.nan?.max_value, undefined);
  assert.equal(stats.x?.null_count, 0n);
  for (const c of meta.row_groups[0].columns) {
    assert.equal(c.meta_data?.type, 'FLOAT');
    assert.equal(c.meta_data?.codec, 'UNCOMPRESSED');
    assert.deepEqual(c.meta_data?.encodings, ['PLAIN']);
  }
  assert.equal(meta.created_by, 'fomlab');
  assert.deepEqual(meta.schema.slice(1).map((s) => [s.name, s.type, s.repetition_type]), [...all.keys()].map((k) => [k, 'FLOAT', 'REQUIRED']));
});

test('parquet: the addon\'s SSE min/max (float32Fold) equals the JS loop: NaN skipped, every tail length, folded into running bounds', (t) => {
  const fold = nativeBinding?.float32Fold;
  if (!fold) return t.skip('native addon not built');
  for (const n of [0, 1, 5, 15, 16, 17, 31, 33, 100, 1000]) {
    const a = Float32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(i * 12.9898) * 1e3));
    if (n > 10) a[n - 1] = -5e3; // an extreme in the scalar tail
    const mins = Float64Array.of(Infinity, 10), maxs = Float64Array.of(-Infinity, -10);
    const jsMins = mins.slice(), jsMaxs = maxs.slice();
    for (const j of [0, 1]) {
      fold(a, mins, maxs, j);
      foldMinMaxPortable(a, jsMins, jsMaxs, j);
    }
    assert.deepEqual([...mins, ...maxs], [...jsMins, ...jsMaxs], `length ${n}`);
    // brute force: the non-NaN values' extremes, and the starting bounds (10, −10) of slot 1
    const vals = [...a].filter((v) => !Number.isNaN(v));
    if (vals.length) assert.deepEqual([mins[0], maxs[0]], [Math.min(...vals), Math.max(...vals)]);
    assert.deepEqual([mins[1], maxs[1]], [Math.min(10, ...vals), Math.max(-10, ...vals)]);
  }
  assert.throws(() => fold(new Float32Array(4), new Float64Array(1), new Float64Array(1), 1), /longer than j/);
});

test('parquet: an empty file has the schema and no rows', async (t) => {
  const path = join(tmp(t), 'empty.parquet');
  const w = await openTableWriter(path, ['a', 'b']);
  await w.close();
  const meta = footerOf(path);
  assert.equal(meta.num_rows, 0n);
  assert.deepEqual(meta.schema.slice(1).map((s) => s.name), ['a', 'b']);
});
