import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor } from '../../src/core/index.js';
import { extremeLossOf, weightedExtreme } from '../../src/losses/extreme.js';

// test/fixtures/vectors/extreme_loss.json: the study's eq. 4 evaluated independently (float64), with
// dℓ/dp from autograd through the clamp (0 outside [0.001, 0.999])
const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/extreme_loss.json', import.meta.url), 'utf8')) as {
  p: number[]; by_label: Record<'0' | '1', { loss: number[]; dloss_dp: number[] }>;
};

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('extreme loss and dℓ/dp equal extreme_loss.json for both labels (clamp to 0.001–0.999)', () => {
  for (const y of [0, 1] as const) {
    v.p.forEach((p, i) => {
      const [l, d] = extremeLossOf(p, y);
      close(l, v.by_label[y].loss[i], `ℓ(p=${p}, y=${y})`);
      close(d, v.by_label[y].dloss_dp[i], `dℓ/dp(p=${p}, y=${y})`);
    });
  }
  // by hand: p = ½ gives 1/½ + log 1 = 2 for either label; the loss is symmetric under p ↔ 1 − p, y ↔ 1 − y
  assert.equal(extremeLossOf(0.5, 1)[0], 2);
  close(extremeLossOf(0.3, 1)[0], extremeLossOf(0.7, 0)[0], 'symmetry');
});

test('weighted extreme loss: Σwℓ/Σw and its backward against central finite differences', () => {
  const p0 = [0.02, 0.3, 0.55, 0.8, 0.97, 0.5, 0.12, 0.0004];
  const labels = Float32Array.from([1, 0, 1, 0, 1, 1, 0, 1]);
  const weights = Float32Array.from([1, 2, 0.5, 1.5, 1, 0.25, 3, 1]);
  const p = tensor(p0, [8], { dtype: 'float64', requiresGrad: true });
  const L = weightedExtreme(p, labels, weights);
  let s = 0, sw = 0;
  p0.forEach((q, i) => { s += weights[i] * extremeLossOf(q, labels[i])[0]; sw += weights[i]; });
  close(L.data[0], s / sw, 'mean');
  L.backward();
  const value = (q: number[]): number => weightedExtreme(tensor(q, [8], { dtype: 'float64' }), labels, weights).data[0];
  const h = 1e-7;
  p0.forEach((q, i) => {
    const a = p0.slice(), b = p0.slice();
    a[i] = q + h; b[i] = q - h;
    const fd = (value(a) - value(b)) / (2 * h);
    assert.ok(Math.abs((p.grad ?? [])[i] - fd) <= 1e-5 * Math.max(1, Math.abs(fd)), `event ${i}: ${(p.grad ?? [])[i]} vs ${fd}`);
  });
  assert.equal((p.grad ?? [])[7], 0); // clamped: no gradient
  assert.throws(() => weightedExtreme(p, labels.subarray(1), weights), /extreme loss: output has 8 events, labels 7/);
});
