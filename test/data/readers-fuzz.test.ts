// Reader fuzz test (issue 12): truncated, bit-flipped and garbage-page ROOT, Parquet, Arrow and
// CSV files, 264 cases from a seeded RNG. Every case must end in one FomlabError line naming the
// file, or in values that are right — never a crash, a hang, a stack trace or a library's own line.
//
// What "right" can mean depends on what the format protects:
//  - Parquet (fomlab writes a CRC-32 per page, checked on read) and zlib-compressed ROOT baskets
//    (zlib's Adler-32): a successful read must give exactly the original numbers;
//  - Arrow IPC and CSV carry no checksum, so a flipped digit or float byte reads as another value;
//    there a successful read must still be well-formed (every column as long as the table), and
//    a truncated CSV must read as a prefix of the original rows (all but the last one exact).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumns, type ColumnData } from '../../src/data/readers/index.js';
import { writeTable } from '../../src/data/writers/index.js';
import { FomlabError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';

const CASES_PER_KIND = 22; // × 3 kinds × 4 formats = 264 cases
const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;

type Kind = 'truncated' | 'bit-flipped' | 'garbage';
interface Source { format: string; ext: string; bytes: Buffer; original: ColumnData; checksummed: boolean }
interface Outcome { file: string; kind: Kind; error?: string; data?: ColumnData }

function mutate(bytes: Buffer, kind: Kind, rng: Rng): Buffer {
  const b = Buffer.from(bytes);
  if (kind === 'truncated') return b.subarray(0, rng.int(b.length));
  if (kind === 'bit-flipped') {
    for (let k = 1 + rng.int(8); k > 0; k--) {
      const at = rng.int(b.length);
      b[at] ^= 1 << rng.int(8);
    }
    return b;
  }
  // garbage page: 16 bytes to 5 kB of random bytes at a random place
  const len = Math.min(b.length, 16 + rng.int(5000));
  const at = rng.int(b.length - len + 1);
  for (let i = 0; i < len; i++) b[at + i] = rng.int(256);
  return b;
}

/** Reads `file`, failing the test on anything but a FomlabError or a result; a hang fails by timeout. */
async function attempt(file: string, kind: Kind): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${file}`)), 10_000)));
  try {
    return { file, kind, data: await Promise.race([readColumns(file, { progress: false }), hang]) };
  } catch (e) {
    assert.ok(e instanceof FomlabError, `${kind} ${file}: not a FomlabError: ${(e as Error)?.stack ?? String(e)}`);
    return { file, kind, error: e.message };
  } finally {
    clearTimeout(timer);
  }
}

function sameColumns(got: ColumnData, want: ColumnData, what: string): void {
  assert.deepEqual([...got.columns.keys()], [...want.columns.keys()], `${what}: column names`);
  assert.equal(got.length, want.length, `${what}: rows`);
  for (const [k, v] of want.columns) assert.deepEqual(got.columns.get(k), v, `${what}: column '${k}'`);
}

function wellFormed(got: ColumnData, what: string): void {
  for (const [k, v] of got.columns) assert.equal(v.length, got.length, `${what}: column '${k}' has ${v.length} values for ${got.length} rows`);
}

/** A truncated CSV: the rows read are the original's first rows (the last one may be cut mid-number). */
function csvPrefix(got: ColumnData, want: ColumnData, what: string): void {
  wellFormed(got, what);
  assert.ok(got.length <= want.length, `${what}: more rows than the original`);
  for (const [k, v] of got.columns) {
    const w = want.columns.get(k);
    assert.ok(w, `${what}: unexpected column '${k}'`);
    assert.deepEqual(v.subarray(0, Math.max(0, got.length - 1)), w.subarray(0, Math.max(0, got.length - 1)), `${what}: column '${k}'`);
  }
}

async function sources(dir: string): Promise<Source[]> {
  const rng = new Rng(7);
  const n = 3000;
  const cols = new Map([
    ['mass', Float32Array.from({ length: n }, () => rng.range(0.1, 10))],
    ['pt', Float32Array.from({ length: n }, () => Math.abs(rng.normal()) * 3)],
    ['label', Float32Array.from({ length: n }, () => rng.int(2))],
  ]);
  const out: Source[] = [];
  for (const [format, ext, checksummed] of [['Parquet', 'parquet', true], ['Arrow', 'arrow', false], ['CSV', 'csv', false]] as const) {
    const p = join(dir, `source.${ext}`);
    await writeTable(p, cols);
    out.push({ format, ext, bytes: readFileSync(p), original: await readColumns(p), checksummed });
  }
  const root = new URL('../fixtures/skhep/uproot-Zmumu.root', import.meta.url).pathname;
  out.push({ format: 'ROOT', ext: 'root', bytes: readFileSync(root), original: await readColumns(root), checksummed: true });
  return out;
}

test('reader fuzz: 264 corrupt ROOT/Parquet/Arrow/CSV files end in one FomlabError line or in right values', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-fuzz-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rng = new Rng(2026);
  const tally = new Map<string, { errors: number; reads: number }>();
  const forCli: Outcome[] = [];
  for (const src of await sources(dir)) {
    for (const kind of ['truncated', 'bit-flipped', 'garbage'] as const) {
      for (let c = 0; c < CASES_PER_KIND; c++) {
        const file = join(dir, `${kind}-${c}.${src.ext}`);
        writeFileSync(file, mutate(src.bytes, kind, rng));
        const what = `${src.format} ${kind} case ${c}`;
        const r = await attempt(file, kind);
        const key = `${src.format} ${kind}`;
        const count = tally.get(key) ?? { errors: 0, reads: 0 };
        tally.set(key, count);
        if (r.error !== undefined) {
          count.errors++;
          assert.ok(!r.error.includes('\n'), `${what}: a message of several lines: ${r.error}`);
          assert.ok(r.error.includes(file), `${what}: the message does not name the file: ${r.error}`);
          assert.ok(r.error.length < 400, `${what}: a message of ${r.error.length} characters`);
          if (kind !== 'truncated' && !forCli.some((o) => o.file.endsWith(src.ext))) forCli.push(r);
          continue;
        }
        count.reads++;
        const got = r.data!;
        if (src.checksummed) sameColumns(got, src.original, what);
        else if (kind === 'truncated' && src.format === 'CSV') csvPrefix(got, src.original, what);
        else wellFormed(got, what);
      }
    }
  }
  const total = [...tally.values()].reduce((s, c) => s + c.errors + c.reads, 0);
  assert.equal(total, 264);
  // every truncated binary file is refused (Parquet footer, Arrow footer, ROOT header length)
  for (const f of ['Parquet', 'Arrow', 'ROOT']) assert.equal(tally.get(`${f} truncated`)!.reads, 0, `${f}: a truncated file was read`);
  t.diagnostic(JSON.stringify(Object.fromEntries(tally)));

  // one corrupt file per format through the CLI: exit 2, one line on stderr, no stack trace
  assert.equal(forCli.length, 4);
  for (const r of forCli) {
    const p = spawnSync(process.execPath, [bin, 'inspect', r.file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(p.status, 2, `${r.file}: exit ${p.status}\n${p.stderr}`);
    const lines = p.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${r.file}: ${p.stderr}`);
    assert.match(lines[0], /^fomlab: /);
    assert.doesNotMatch(p.stderr, /\n\s+at |node_modules/);
  }
});
