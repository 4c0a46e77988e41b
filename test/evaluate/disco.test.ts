import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { distanceCorrelation } from '../../src/evaluate/disco.js';

const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/disco.json', import.meta.url), 'utf8')) as {
  x: number[]; y: number[]; weights: number[]; disco_power1: number; disco_unweighted: number;
};

function close(a: number, b: number, rel = 1e-6): void {
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} vs ${b}`);
}

test('disco.json: weighted (weights normalised to mean 1) and unweighted DisCo, power 1, to 1e-6', () => {
  const x = Float64Array.from(v.x), y = Float64Array.from(v.y);
  const w = distanceCorrelation(x, y, Float64Array.from(v.weights));
  close(w.value, v.disco_power1);
  assert.equal(w.subsampled, false);
  close(distanceCorrelation(x, y).value, v.disco_unweighted);
  // scaling the weights changes nothing (they are normalised); power 2 is the square
  close(distanceCorrelation(x, y, Float64Array.from(v.weights, (q) => 7 * q)).value, v.disco_power1);
  close(distanceCorrelation(x, y, Float64Array.from(v.weights), { power: 2 }).value, v.disco_power1 ** 2);
});

test('DisCo: independent → small, y = f(x) → large, constant → 0; deterministic subsample above maxEvents', () => {
  const n = 2000;
  const r = new Rng(9);
  const x = Float64Array.from({ length: n }, () => r.uniform());
  const y = Float64Array.from({ length: n }, () => r.uniform());
  assert.ok(distanceCorrelation(x, y).value < 0.01);
  assert.ok(distanceCorrelation(x, x.map((q) => q * q)).value > 0.8);
  assert.equal(distanceCorrelation(x, new Float64Array(n).fill(3)).value, 0);
  const a = distanceCorrelation(x, y, null, { maxEvents: 500, seed: 4 });
  const b = distanceCorrelation(x, y, null, { maxEvents: 500, seed: 4 });
  assert.equal(a.events, 500);
  assert.equal(a.subsampled, true);
  assert.equal(a.value, b.value);
});
