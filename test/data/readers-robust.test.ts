// Reader defects of issue 12: CSV byte-order mark, duplicate header names, 0x/0b numbers;
// Parquet page CRCs; a corrupt ROOT basket reported in fomlab's one line only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumns } from '../../src/data/readers/index.js';
import { FomlabError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { writeTable } from '../../src/data/writers/index.js';
import { crc32, crc32Portable, crc32Zlib } from '../../src/data/crc32.js';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';

async function rejects(p: Promise<unknown>, ...parts: Array<string | RegExp>): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof FomlabError, `expected FomlabError, got ${String(e)}`);
    for (const s of parts) assert.match(e.message, typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    return true;
  });
}

function tempDir(t: { after(f: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-readers-robust-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('CSV: a UTF-8 byte-order mark is not part of the first column name', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'bom.csv');
  writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('mass,weight\n1.5,2\n3,0.25\n')]));
  const d = await readColumns(p);
  assert.deepEqual([...d.columns.keys()], ['mass', 'weight']);
  assert.deepEqual([...d.columns.get('mass')!], [1.5, 3]);
  assert.deepEqual([...(await readColumns(p, { columns: ['mass'] })).columns.get('mass')!], [1.5, 3]);
});

test('CSV: two header cells with one name are an error naming both positions (no column is lost)', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'dup.csv');
  writeFileSync(p, 'pt,eta,pt,phi\n1,2,3,4\n');
  await rejects(readColumns(p), 'dup.csv', "columns 1 and 3 of the header are both named 'pt'");
  await rejects(readColumns(p, { columns: ['eta'] }), "columns 1 and 3 of the header are both named 'pt'");
});

test('CSV: 0x10, 0b11, 0o7 are not read as 16, 3, 7 but named as non-numbers with line and column', async (t) => {
  const dir = tempDir(t);
  for (const [cell, n] of [['0x10', 16], ['0b11', 3], ['0O7', 7], ['"0x1F"', 31], [' 0X2', 2]] as const) {
    assert.equal(Number(cell.replace(/"/g, '')), n); // what Number() alone would have read
    const p = join(dir, 'radix.csv');
    writeFileSync(p, `a,b\n1,2\n3,${cell}\n`);
    await rejects(readColumns(p), 'radix.csv', 'line 3', "column 'b'", 'is not a number');
  }
  // decimal forms that start with 0 still read: 0, 0.5, 0e3, 007, -0
  const ok = join(dir, 'zeros.csv');
  writeFileSync(ok, 'a\n0\n0.5\n0e3\n007\n-0\n');
  assert.deepEqual([...(await readColumns(ok)).columns.get('a')!], [0, 0.5, 0, 7, -0]);
});

test('CRC-32: the standard check value, native and portable alike', () => {
  const nine = new TextEncoder().encode('123456789');
  assert.equal(crc32(nine), 0xcbf43926); // the CRC-32/ISO-HDLC check value (zlib, gzip, Parquet)
  assert.equal(crc32Portable(nine), 0xcbf43926);
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff);
  assert.equal(crc32Portable(bytes), crc32(bytes));
});

test('CRC-32: the addon\'s PCLMULQDQ folding equals zlib\'s at every length class (tails, one and several 64-byte blocks, offsets)', () => {
  // lengths around the folding's block sizes (16, 64) and a 1 MB page; views at odd offsets into a larger buffer
  const big = Uint8Array.from({ length: (1 << 20) + 200 }, (_, i) => Math.imul(i, 2654435761) >>> 23 & 0xff);
  for (const n of [0, 1, 15, 16, 17, 63, 64, 65, 79, 80, 127, 128, 129, 191, 255, 256, 1000, 4097, 1 << 20]) {
    for (const off of [0, 3]) {
      const v = big.subarray(off, off + n);
      assert.equal(crc32(v), crc32Zlib(v), `length ${n}, offset ${off}`);
      if (n <= 4097) assert.equal(crc32Portable(v), crc32Zlib(v), `table, length ${n}`);
    }
  }
});

/** Offset and size of the first page of `column` (after its header) in a fomlab-written Parquet file. */
async function pageOf(path: string, column: string): Promise<{ header: number; data: number; size: number; crc: number | undefined }> {
  const buf = readFileSync(path);
  const meta = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const chunk = meta.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === column)!;
  const start = Number(chunk.meta_data!.data_page_offset);
  const reader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset: start };
  const h = parquetHeader(reader);
  return { header: start, data: reader.offset, size: h.compressed_page_size, crc: h.crc };
}

test('Parquet: fomlab writes page CRCs, and 5 kB of garbage in a page is an error naming file, column, row group and page', async (t) => {
  const dir = tempDir(t);
  const p = join(dir, 'events.parquet');
  const n = 10000;
  const cols = new Map([
    ['a', Float32Array.from({ length: n }, (_, i) => i)],
    ['b', Float32Array.from({ length: n }, (_, i) => Math.sqrt(i))],
    ['c', Float32Array.from({ length: n }, (_, i) => -i / 3)],
  ]);
  await writeTable(p, cols);
  const page = await pageOf(p, 'b');
  const bytes = readFileSync(p);
  // the stored CRC is the portable CRC-32 of the page's 40,000 bytes after its header (parquet-format PageHeader.crc)
  assert.equal(page.size, 4 * n);
  assert.equal((page.crc! >>> 0), crc32Portable(bytes.subarray(page.data, page.data + page.size)));
  // 5 kB of garbage 1 kB into the page of 'b'
  const rng = new Rng(12);
  for (let i = 0; i < 5000; i++) bytes[page.data + 1000 + i] = Math.floor(rng.uniform() * 256);
  writeFileSync(p, bytes);
  await rejects(readColumns(p), 'events.parquet', "column 'b', row group 1, page 1: checksum mismatch", 'the page is corrupt');
  // the untouched columns still read, exactly
  const ok = await readColumns(p, { columns: ['a', 'c'] });
  assert.deepEqual(ok.columns.get('a'), cols.get('a'));
  assert.deepEqual(ok.columns.get('c'), cols.get('c'));
});

/** Runs `f` with console and stderr captured; returns what was printed. */
async function printedBy(f: () => Promise<unknown>): Promise<string[]> {
  const said: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn, write: process.stderr.write };
  console.log = console.error = console.warn = (...a: unknown[]) => void said.push(a.join(' '));
  process.stderr.write = ((s: string | Uint8Array) => (said.push(String(s)), true)) as typeof process.stderr.write;
  try {
    await f();
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.stderr.write = saved.write;
  }
  return said;
}

test('ROOT: a basket that fails to decompress (zlib, ZSTD, LZMA) is one FomlabError and nothing else printed', async (t) => {
  const dir = tempDir(t);
  for (const [file, magic] of [['uproot-Zmumu.root', 'ZL'], ['uproot-Zmumu-zstd.root', 'ZS'], ['uproot-Zmumu-lzma.root', 'XZ']]) {
    const bytes = Buffer.from(readFileSync(new URL(`../fixtures/skhep/${file}`, import.meta.url)));
    // the compressed block after each TBasket key: garble 60 bytes of its payload
    for (let key = bytes.indexOf('TBasket'); key >= 0; key = bytes.indexOf('TBasket', key + 1)) {
      const block = bytes.indexOf(magic, key);
      for (let i = 0; i < 60; i++) bytes[block + 20 + i] ^= 0x5a;
    }
    const bad = join(dir, `bad-${file}`);
    writeFileSync(bad, bytes);
    const said = await printedBy(() => rejects(readColumns(bad), `bad-${file}`, 'cannot decompress a basket', `compression '${magic}'`, 'the file is corrupt'));
    assert.deepEqual(said, [], file);
  }
});
