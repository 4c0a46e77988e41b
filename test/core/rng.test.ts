import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';

test('same seed, same numbers; different seed, different numbers', () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b.uniform()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c.uniform()));
});

test('uniform and normal moments over 200k draws (mean 1/2, var 1/12; mean 0, var 1)', () => {
  const r = new Rng(7);
  const n = 200000;
  let su = 0, su2 = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform(); su += u; su2 += u * u;
    const z = r.normal(); sn += z; sn2 += z * z;
  }
  // standard errors: sqrt(1/12/n) ≈ 6.5e-4 and sqrt(1/n) ≈ 2.2e-3; allow 5σ
  assert.ok(Math.abs(su / n - 0.5) < 5 * 6.5e-4);
  assert.ok(Math.abs(su2 / n - (su / n) ** 2 - 1 / 12) < 1e-3);
  assert.ok(Math.abs(sn / n) < 5 * 2.2e-3);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02);
});

test('permutation holds every index once', () => {
  const p = new Rng(1).permutation(1000);
  assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
});
