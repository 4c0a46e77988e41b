// The Parquet writer reserves each row group's blocks (addon fileAllocate = Linux fallocate) before writing it
// (src/data/writers/parquet.ts reserve): the file must be byte for byte the one written without the reservation, and the
// reservations must tile the row groups exactly — from byte 4 (after "PAR1") to the footer's first byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { nativeBinding } from '../../src/core/kernels/native.js';
import { sampleGroups, writeSample } from './parquet-sample.js';

const allocate = nativeBinding?.fileAllocate;
const skip = allocate ? false : 'native addon not built or FOMLAB_KERNELS=typescript (no fileAllocate)';

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-reserve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('fileAllocate: reserves [offset, offset + length) — fstat size = offset + length, earlier bytes kept, the range reads as zeros', { skip }, (t) => {
  const path = join(tmp(t), 'a.bin');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.from('PAR1'));
    // every Linux file system the tests run on (ext4, xfs, btrfs, tmpfs, overlayfs) has fallocate
    if (process.platform !== 'linux') return t.skip('fallocate is Linux-only: false elsewhere');
    assert.equal(allocate?.(fd, 4, 1_000_003), true);
    const st = fstatSync(fd);
    assert.equal(st.size, 4 + 1_000_003);
    assert.ok(st.blocks * 512 >= 1_000_003, `blocks reserved: ${st.blocks} × 512 B`);
    // a second reservation inside the file leaves the size as it is (mode 0 only grows it)
    assert.equal(allocate?.(fd, 0, 100), true);
    assert.equal(fstatSync(fd).size, 1_000_007);
  } finally {
    closeSync(fd);
  }
  const back = readFileSync(path);
  assert.equal(back.subarray(0, 4).toString(), 'PAR1');
  assert.ok(back.subarray(4).every((b) => b === 0));
});

test('fileAllocate: a bad fd or bad arguments give false, never an exception', { skip }, (t) => {
  const fd = openSync(join(tmp(t), 'b.bin'), 'w');
  closeSync(fd);
  const f = allocate as (...a: unknown[]) => boolean;
  assert.equal(f(fd, 0, 4096), false, 'closed fd (EBADF)');
  assert.equal(f(-1, 0, 4096), false);
  assert.equal(f(2 ** 31, 0, 4096), false);
  const ro = openSync('package.json', 'r');
  try {
    assert.equal(f(ro, 0, 4096), false, 'read-only fd (EBADF)');
    assert.equal(f(ro, 0, 0), false, 'zero length (EINVAL)');
    assert.equal(f(ro, -4, 8), false);
    assert.equal(f(ro, 0.5, 8), false);
    assert.equal(f('3', 0, 8), false);
    assert.equal(f(), false);
  } finally {
    closeSync(ro);
  }
});

test('parquet: reserved row groups give the same bytes as no reservation (stubbed, and a FOMLAB_KERNELS=typescript process), the reservations tile the groups', { skip }, async (t) => {
  const dir = tmp(t);
  const binding = nativeBinding as NonNullable<typeof nativeBinding>;
  const calls: Array<{ offset: number; length: number; ok: boolean }> = [];
  binding.fileAllocate = (fd, offset, length) => {
    const ok = (allocate as NonNullable<typeof allocate>)(fd, offset, length);
    calls.push({ offset, length, ok });
    return ok;
  };
  try {
    await writeSample(join(dir, 'reserved.parquet'));
    binding.fileAllocate = undefined;
    await writeSample(join(dir, 'plain.parquet'));
  } finally {
    binding.fileAllocate = allocate;
  }
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/data/parquet-sample.ts', join(dir, 'typescript.parquet')],
    { encoding: 'utf8', env: { ...process.env, FOMLAB_KERNELS: 'typescript' } });
  assert.equal(child.status, 0, child.stderr);

  const reserved = readFileSync(join(dir, 'reserved.parquet'));
  assert.ok(reserved.equals(readFileSync(join(dir, 'plain.parquet'))), 'reserved = stubbed out, byte for byte');
  assert.ok(reserved.equals(readFileSync(join(dir, 'typescript.parquet'))), 'reserved = TypeScript kernels, byte for byte');

  // one reservation per row group, each true, contiguous from byte 4 to the footer (file = PAR1 | groups | footer | len | PAR1)
  const groups = sampleGroups();
  assert.equal(calls.length, groups.length);
  assert.ok(calls.every((c) => c.ok));
  const footerLength = reserved.readUInt32LE(reserved.length - 8);
  let at = 4;
  for (const [i, c] of calls.entries()) {
    assert.equal(c.offset, at, `group ${i} reserved at its first byte`);
    // a group is 4 columns × (page header + 4 bytes a row). A header (compact Thrift) is at most 32 bytes: type 1+1,
    // two sizes 1+4 each (4·n < 2²⁵ zigzags to ≤ 4 varint bytes), crc 1+5, struct 1 + {n 1+4, three encodings 3×2, stop 1}, stop 1
    assert.ok(c.length > 16 * groups[i] && c.length <= 16 * groups[i] + 4 * 32, `group ${i}: ${c.length} B for ${groups[i]} rows`);
    at += c.length;
  }
  assert.equal(at, reserved.length - 8 - footerLength, 'the last reservation ends where the footer begins');
});
