// Reader defects of issue 12: CSV byte-order mark, duplicate header names, 0x/0b numbers;
// Parquet page CRCs; a corrupt ROOT basket reported in fomlab's one line only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumns } from '../../src/data/readers/index.js';
import { FomlabError } from '../../src/core/errors.js';

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
