import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradcheck, tensor } from '../../src/core/index.js';
import { asimovLoss, asimovWithUncertainty } from '../../src/losses/asimov.js';
import { asimovDiscovery } from '../../src/physics/fom.js';

// p and weights giving s = 10, b = 100 with the batch → split scale k = 2:
// s = 2·(0.5·4 + 1·3) = 10, b = 2·(0.25·100 + 0.5·50) = 100
const p0 = [0.5, 1, 0.25, 0.5], y = Float32Array.of(1, 1, 0, 0), w = Float32Array.of(4, 3, 100, 50);

test('Asimov loss: hand-computed −Z_A(10, 100), without and with σ_b = 0.1·b (Cowan\'s formula as printed)', () => {
  // r = 0: Z_A = √(2(110·ln 1.1 − 10)) = √(2·(10.48411978 − 10)) = √0.96823956 = 0.9839916448
  const z0 = asimovLoss(tensor(p0, [4], { dtype: 'float64' }), y, w, 2, 0).item();
  assert.ok(Math.abs(z0 + 0.9839916448) < 1e-9, `loss ${z0}`);
  // r = 0.1: σ_b² = 100; 110·ln(110·200/(10⁴ + 110·100)) = 110·ln(22/21) = 5.117201719,
  // (b²/σ_b²)·ln(1 + 100·10/(100·200)) = 100·ln 1.05 = 4.879016417; Z_A = √(2·0.238185302) = 0.6901960633
  const z1 = asimovLoss(tensor(p0, [4], { dtype: 'float64' }), y, w, 2, 0.1).item();
  assert.ok(Math.abs(z1 + 0.6901960633) < 1e-9, `loss ${z1}`);
  // continuity r → 0, and r = 0 is the Asimov discovery Z of physics/fom.ts, also for s ≪ b (the series branch)
  assert.ok(Math.abs(asimovWithUncertainty(10, 100, 1e-4).z - 0.9839916448) < 1e-6);
  for (const [s, b] of [[3, 7], [1e-3, 50], [2e-5, 1e3]]) {
    const got = asimovWithUncertainty(s, b, 0).z, want = asimovDiscovery(s, b);
    assert.ok(Math.abs(got - want) < 1e-9 * want, `Z_A(${s}, ${b}) ${got} vs ${want}`);
  }
});

test('Asimov loss: gradient matches finite differences (outputs), and ∂Z/∂s, ∂Z/∂b match differences of Cowan\'s formula', () => {
  for (const r of [0, 0.1, 0.5]) {
    const p = tensor(p0, [4], { dtype: 'float64', requiresGrad: true });
    const res = gradcheck((q) => asimovLoss(q, y, w, 2, r), [p], { eps: 1e-7, atol: 1e-7, rtol: 1e-5 });
    assert.ok(res.worst <= 1, `r = ${r}: worst ${res.worst} at ${res.where}`);
  }
  // Cowan et al. with σ_b² = (r·b)², written as printed (independent of the t, u form in asimov.ts)
  const cowan = (s: number, b: number, r: number): number => {
    const v = (r * b) ** 2;
    return Math.sqrt(2 * ((s + b) * Math.log(((s + b) * (b + v)) / (b * b + (s + b) * v)) - ((b * b) / v) * Math.log(1 + (v * s) / (b * (b + v)))));
  };
  for (const [s, b, r] of [[10, 100, 0.1], [4, 9, 0.3], [25, 400, 0.05]]) {
    const a = asimovWithUncertainty(s, b, r), h = 1e-5;
    assert.ok(Math.abs(a.z - cowan(s, b, r)) < 1e-10, `Z ${a.z} vs ${cowan(s, b, r)}`);
    const ds = (cowan(s + h, b, r) - cowan(s - h, b, r)) / (2 * h), db = (cowan(s, b + h, r) - cowan(s, b - h, r)) / (2 * h);
    assert.ok(Math.abs(a.dzds - ds) < 1e-7 && Math.abs(a.dzdb - db) < 1e-7, `(${s}, ${b}, ${r}): ${a.dzds} vs ${ds}, ${a.dzdb} vs ${db}`);
  }
});
