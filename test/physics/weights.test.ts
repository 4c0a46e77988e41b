import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { luminosityWeights, processWeight, withLuminosityWeights } from '../../src/physics/weights.js';

test('process weights: σ·L/N_gen, simulated luminosity 1000 → 50 fb⁻¹ gives 0.05, scale factors', () => {
  assert.equal(processWeight({ simulatedLumi: 1000 }, 50), 0.05);
  assert.equal(processWeight({ crossSection: 200, nGenerated: 1000 }, 50), 10); // 200 fb · 50 fb⁻¹ / 1000
  assert.ok(Math.abs(processWeight({ simulatedLumi: 1000, scale: 0.9 }, 50) - 0.045) < 1e-15);
  assert.throws(() => processWeight({ crossSection: 1 }, 50, 'ee'), /data\.processes\.ee\.nGenerated must be > 0/);
  assert.throws(() => processWeight({}, 50, 'tau'), /data\.processes\.tau: needs/);
});

test('per-event weights by category, with a per-event trigger factor; unknown ids named', () => {
  const cat = Float32Array.from([0, 1, 1, 0]);
  const w = luminosityWeights(cat, { 0: { simulatedLumi: 1000 }, 1: { crossSection: 10, nGenerated: 100 } }, 50, Float32Array.from([1, 1, 0.5, 0.8]));
  assert.deepEqual([...w], [0.05, 5, 2.5, 0.04].map(Math.fround));
  assert.throws(() => luminosityWeights(Float32Array.from([2]), { 0: { simulatedLumi: 1 } }, 50), /process id 2/);
  const t = new EventTable({ c: cat }, { category: 'c' });
  const tw = withLuminosityWeights(t, new Map([[0, { simulatedLumi: 1000 }], [1, { simulatedLumi: 500 }]]), 50);
  assert.deepEqual([...tw.weights()], [0.05, 0.1, 0.1, 0.05].map(Math.fround));
});
