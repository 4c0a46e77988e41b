// Optimiser steps against numbers written by hand from PyTorch's documented update rules
// (torch.optim.SGD / Adam / AdamW "Algorithm" boxes), and a ReduceLROnPlateau lr sequence.
// The gradients are set by hand (g1 then g2), so each step's arithmetic is shown in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SGD, Adam, AdamW, ReduceLROnPlateau, StepLR, CosineAnnealingLR, clipGradNorm, clipGradValue, tensor, type Optimizer, type Tensor,
} from '../../src/core/index.js';

const g1 = [0.5, -1], g2 = [0.25, 2];

function twoSteps(make: (p: Tensor) => Optimizer): number[][] {
  const p = tensor([1, -2], undefined, { dtype: 'float64', requiresGrad: true });
  const opt = make(p);
  const out: number[][] = [];
  for (const g of [g1, g2]) {
    opt.zeroGrad();
    p.grad = Float64Array.from(g);
    opt.step();
    out.push(p.toArray());
  }
  return out;
}

function near(a: number[], b: number[], tol = 1e-12): void {
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${a} vs ${b}`));
}

test('SGD momentum 0.9 + Nesterov + weight decay 0.01, lr 0.1: two steps by hand', () => {
  const [s1, s2] = twoSteps((p) => new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }));
  // step 1: g = g1 + 0.01·p = [0.51, −1.02]; b = g; g' = g + 0.9·b = [0.969, −1.938]; p = p − 0.1·g'
  near(s1, [0.9031, -1.8062]);
  // step 2: g = g2 + 0.01·p = [0.259031, 1.981938]; b = 0.9·b + g = [0.718031, 1.063938];
  //         g' = g + 0.9·b = [0.9052589, 2.9394822]; p = p − 0.1·g'
  near(s2, [0.81257411, -2.10014822]);
});

test('SGD plain and with dampening', () => {
  // plain: p = p − 0.1·g
  near(twoSteps((p) => new SGD([p], { lr: 0.1 }))[1], [1 - 0.05 - 0.025, -2 + 0.1 - 0.2]);
  // momentum 0.5, dampening 0.5: b1 = g1 (first step undampened); b2 = 0.5·b1 + 0.5·g2 = [0.375, 0.5]
  near(twoSteps((p) => new SGD([p], { lr: 0.1, momentum: 0.5, dampening: 0.5 }))[1], [1 - 0.05 - 0.0375, -2 + 0.1 - 0.05]);
});

// Adam with lr 0.1, betas (0.9, 0.999), eps 1e-8 — the moments do not depend on p:
// step 1: m = 0.1·g1 = [0.05, −0.1]; v = 0.001·g1² = [0.00025, 0.001]; bc1 = 0.1, bc2 = 0.001
const u1 = [0.05, -0.1].map((m, i) => ((0.1 / 0.1) * m) / (Math.sqrt([0.00025, 0.001][i]) / Math.sqrt(0.001) + 1e-8));
// step 2: m = 0.9·m + 0.1·g2 = [0.07, 0.11]; v = 0.999·v + 0.001·g2² = [0.00031225, 0.004999];
//         bc1 = 1 − 0.9² = 0.19, bc2 = 1 − 0.999² = 0.001999
const u2 = [0.07, 0.11].map((m, i) => ((0.1 / 0.19) * m) / (Math.sqrt([0.00031225, 0.004999][i]) / Math.sqrt(0.001999) + 1e-8));

test('Adam: two bias-corrected steps by hand', () => {
  const [s1, s2] = twoSteps((p) => new Adam([p], { lr: 0.1 }));
  near(s1, [1 - u1[0], -2 - u1[1]]);
  near(s2, [1 - u1[0] - u2[0], -2 - u1[1] - u2[1]]);
  near(u1, [0.1, -0.1], 1e-7); // the first Adam step is ±lr
});

test('AdamW, weight decay 0.1: p ← p·(1 − 0.1·0.1) before each Adam step', () => {
  const [s1, s2] = twoSteps((p) => new AdamW([p], { lr: 0.1, weightDecay: 0.1 }));
  const p1 = [1 * 0.99 - u1[0], -2 * 0.99 - u1[1]];
  near(s1, p1);
  near(s2, [p1[0] * 0.99 - u2[0], p1[1] * 0.99 - u2[1]]);
});

test('Adam with L2 weight decay adds λ·p to the gradient', () => {
  const [s1] = twoSteps((p) => new Adam([p], { lr: 0.1, weightDecay: 0.1 }));
  // g = g1 + 0.1·p = [0.6, −1.2]; m = 0.1·g, √v/√bc2 = |g|: step = 0.1·|g|/(|g| + 1e-8)
  near(s1, [1 - (0.6 / (0.6 + 1e-8)) * 0.1, -2 + (1.2 / (1.2 + 1e-8)) * 0.1]);
});

test('ReduceLROnPlateau: min mode, factor 0.5, patience 2, rel threshold 0.1, cooldown 1, min lr 0.02', () => {
  const p = tensor([0], undefined, { requiresGrad: true });
  const opt = new SGD([p], { lr: 0.1 });
  const s = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2, threshold: 0.1, cooldown: 1, minLr: 0.02 });
  const losses = [1.0, 0.95, 0.93, 0.92, 0.91, 0.5, 0.49, 0.48, 0.47, 0.46, 0.46, 0.46, 0.46, 0.46, 0.46, 0.46, 0.46];
  // epoch 1 sets best 1.0; 2–4 are not < 0.9 → the 3rd bad epoch (> patience 2) halves lr;
  // epoch 5 is in cooldown (bad count reset); epoch 6 (0.5 < 0.9) is the new best; 7–9 halve again;
  // 13 would give 0.0125, clipped to min lr 0.02; 17 leaves it at 0.02.
  const lrs = losses.map((l) => s.step(l));
  assert.deepEqual(lrs, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02]);
});

test('ReduceLROnPlateau max mode with abs threshold', () => {
  const opt = new SGD([tensor([0], undefined, { requiresGrad: true })], { lr: 1 });
  const s = new ReduceLROnPlateau(opt, { mode: 'max', thresholdMode: 'abs', threshold: 0.1, patience: 0 });
  // 0.5 best; 0.55 not > 0.6 → bad (> patience 0) → ×0.1; 0.7 > 0.6 best
  assert.deepEqual([0.5, 0.55, 0.7].map((m) => s.step(m)), [1, 0.1, 0.1]);
});

test('StepLR and CosineAnnealingLR', () => {
  const opt = new SGD([tensor([0], undefined, { requiresGrad: true })], { lr: 1 });
  const st = new StepLR(opt, 2, 0.5);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => st.step()), [1, 0.5, 0.5, 0.25, 0.25]);
  const opt2 = new SGD([tensor([0], undefined, { requiresGrad: true })], { lr: 1 });
  const cos = new CosineAnnealingLR(opt2, 4, 0);
  near([1, 2, 3, 4].map(() => cos.step()), [(1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0]);
});

test('gradient clipping by norm and by value', () => {
  const a = tensor([3, 0], undefined, { dtype: 'float64', requiresGrad: true });
  const b = tensor([4], undefined, { dtype: 'float64', requiresGrad: true });
  a.grad = Float64Array.of(3, 0);
  b.grad = Float64Array.of(4);
  assert.equal(clipGradNorm([a, b], 1), 5);
  near([...a.grad, ...b.grad], [0.6 / (1 + 2e-7), 0, 0.8 / (1 + 2e-7)], 1e-9);
  clipGradValue([a, b], 0.7);
  near([...a.grad, ...b.grad], [0.6 / (1 + 2e-7), 0, 0.7], 1e-9);
});

test('optimiser state round trip: a resumed Adam / SGD continues exactly as the original', () => {
  for (const make of [(p: Tensor) => new Adam([p], { lr: 0.1, amsgrad: true }), (p: Tensor) => new SGD([p], { lr: 0.1, momentum: 0.9 })]) {
    const [, s2] = twoSteps(make);
    const p = tensor([1, -2], undefined, { dtype: 'float64', requiresGrad: true });
    const a = make(p);
    p.grad = Float64Array.from(g1);
    a.step();
    const q = p.clone(true);
    const b = make(q);
    b.loadStateBuffers(new Map([...a.stateBuffers()].map(([k, v]) => [k, v.slice()])));
    q.grad = Float64Array.from(g2);
    b.step();
    near(q.toArray(), s2, 0);
  }
});
