import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binnedSignificance } from '../../src/evaluate/binned.js';

function close(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
}

// Two equal-signal bins. Signal (w 1): output/mass 0.9/1.0, 0.8/1.2, 0.3/1.0, 0.2/1.4 → median
// output 0.3, bins (−∞, 0.3] and (0.3, ∞). Mass windows (5–95 % of the bin's signal):
// bin 0 [1.0, 1.4], bin 1 [1.0, 1.2]. Background output/mass/weight:
//   0.85/1.10/0.5 bin 1 in · 0.95/1.50/2 bin 1 out · 0.10/1.20/1 bin 0 in · 0.25/0.90/3 bin 0 out ·
//   0.70/1.05/1.5 bin 1 in
// bin 0: S = 2, B = 1 → Z² = 2(3 ln 3 − 2);  bin 1: S = 2, B = 2 → Z² = 2(4 ln 2 − 2)
// combined Z = √(6 ln 3 + 8 ln 2 − 8)
test('binned significance on a tiny example computed by hand', () => {
  const ev = {
    output: Float32Array.from([0.9, 0.8, 0.3, 0.2, 0.85, 0.95, 0.1, 0.25, 0.7]),
    label: Float32Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]),
    mass: Float32Array.from([1.0, 1.2, 1.0, 1.4, 1.1, 1.5, 1.2, 0.9, 1.05]),
    weight: Float32Array.from([1, 1, 1, 1, 0.5, 2, 1, 3, 1.5]),
  };
  const r = binnedSignificance(ev, { bins: 2, minSignalEvents: 1, minBackgroundEvents: 1 });
  close(r.bins[0].outputHigh, Math.fround(0.3));
  close(r.bins[0].massLow, 1.0); close(r.bins[0].massHigh, Math.fround(1.4));
  close(r.bins[1].massLow, 1.0); close(r.bins[1].massHigh, Math.fround(1.2));
  assert.deepEqual(r.bins.map((b) => [b.S, b.B, b.nS, b.nB]), [[2, 1, 2, 1], [2, 2, 2, 2]]);
  close(r.bins[0].z, Math.sqrt(2 * (3 * Math.log(3) - 2)));
  close(r.bins[1].z, Math.sqrt(2 * (4 * Math.log(2) - 2)));
  close(r.z, Math.sqrt(6 * Math.log(3) + 8 * Math.log(2) - 8));
  // the default minimum-events rule (N_S, N_B ≥ 10) drops both bins
  const strict = binnedSignificance(ev, { bins: 2 });
  assert.equal(strict.z, 0);
  assert.deepEqual(strict.bins.map((b) => b.used), [false, false]);
  assert.throws(() => binnedSignificance({ output: ev.output, label: ev.label }, { bins: 2 }), /mass column/);
});
