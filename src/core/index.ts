/**
 * fomlab's numeric core.
 *
 * How the pieces fit:
 * - `tensor.ts`: `Tensor` = typed array (float32 default, float64 for gradient checks) + shape,
 *   and the autograd: every op result keeps its parents and one backward closure; `backward()`
 *   runs them in reverse topological order, accumulating into leaves' `.grad`. `noGrad(fn)`
 *   turns recording off.
 * - `ops/`: the ops, each with a hand-written backward, grouped by kind (element-wise, reductions,
 *   linear algebra, shapes, segment/CSR sums, sorting, normalisation). Heavy loops call
 *   `kernels` (`kernels/`: C++ addon for float32 when built, TypeScript twin otherwise and for
 *   float64), e.g. the fused `linear(x, W, b, act)` is one kernel call per layer and direction.
 * - `nn/`: `Module` (named parameters/buffers, train/eval, state dicts), layers (Linear, MLP, …)
 *   and PyTorch-compatible initialisations. Randomness always comes from an explicit `Rng`.
 * - `optim/`: SGD, Adam, AdamW, LR schedulers, gradient clipping — PyTorch's update rules.
 * - `serialize.ts`: safetensors save/load (bit-exact, atomic writes).
 * - `gradcheck.ts`: finite-difference check used by the tests.
 */
export { Rng } from './rng.js';
export { FomlabError } from './errors.js';
export { Tensor, noGrad, isGradEnabled, tensor, zeros, ones, full, rand, randn } from './tensor.js';
export type { DType, FloatArray, TensorOptions, NestedArray } from './tensor.js';
export { kernels, tsKernels, ACTIVATIONS } from './kernels/index.js';
export type { Activation, Kernels } from './kernels/index.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/linalg.js';
export * from './ops/shape.js';
export * from './ops/segment.js';
export * from './nn/init.js';
export { Module, Sequential } from './nn/module.js';
export * from './nn/layers.js';
export * from './optim/optimizers.js';
export * from './serialize.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
export * from './optim/schedulers.js';
export { clipGradNorm, clipGradValue } from './optim/clip.js';
export * from './ops/sort.js';
export * from './ops/radix.js';
export * from './ops/norm.js';
export * from './nn/norm.js';
export { RegularisedMLP, foldedLinear, type RegularisedMlpOptions } from './nn/regularised-mlp.js';
export * from './nn/attention.js';
export * from './nn/embedding.js';
