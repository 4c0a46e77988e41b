/** The kernel interface shared by the C++ addon and its TypeScript twin. */
import type { TransformerShape } from './transformer-layout.js';
export type FloatArray = Float32Array | Float64Array;
export type Activation = 'identity' | 'tanh' | 'sigmoid' | 'relu' | 'leaky_relu' | 'gelu' | 'mish';
/**
 * Every activation, the one list for config, kernels, model files and ONNX export; the index is the
 * activation's code shared with native/src/soa.h (order matters).
 */
export const ACTIVATIONS: readonly Activation[] = ['identity', 'tanh', 'sigmoid', 'relu', 'leaky_relu', 'gelu', 'mish'];

/**
 * A fully connected net for the fused kernels: widths [in, h1, …, out] and one activation per Linear layer.
 * Its parameters live in one flat buffer in PyTorch order: W0 (h1×in), b0, W1 (h2×h1), b1, …
 */
export interface MlpShape {
  readonly sizes: readonly number[];
  readonly acts: readonly Activation[];
}
export interface SgdOptions { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; firstStep?: boolean }
export interface AdamOptions { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; decoupled?: boolean }

export interface Kernels {
  readonly name: 'native' | 'typescript';
  /** C = alpha·op(A)·op(B) + beta·C, row-major; op(A) is m×k, op(B) is k×n (beta = 0 ignores C's old contents, NaN included) */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void;
  /** y = act(x·Wᵀ + b): x n×in, W out×in (PyTorch nn.Linear layout), b length out or null, y n×out */
  denseForward(x: FloatArray, w: FloatArray, b: FloatArray | null, y: FloatArray, n: number, nIn: number, nOut: number, act: Activation): void;
  /**
   * Backward of denseForward given x, W, y (its output) and dy: writes dx (n×in) unless null; ADDS into dW (out×in) and
   * db (out) unless null. For 'gelu' and 'mish' the pre-activation cannot be recovered from y, so the forward's bias
   * must be passed as the optional last argument `bias` (null when the layer has none); omitting it throws.
   */
  denseBackward(x: FloatArray, w: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray | null, dw: FloatArray | null, db: FloatArray | null, n: number, nIn: number, nOut: number, act: Activation, bias?: FloatArray | null): void;
  /** y = act(x) elementwise; and dx += dy·act'(x) (given x and y) */
  activate(act: Activation, x: FloatArray, y: FloatArray): void;
  activateBackward(act: Activation, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void;
  /** out[seg[i]] += values[i] for i < values.length (out not cleared) */
  segmentSum(values: FloatArray, seg: Int32Array, out: FloatArray): void;
  /** CSR gather-sum: out[h] = Σ_{j=offsets[h]}^{offsets[h+1]-1} values[events[j]]·(coef ? coef[j] : 1) */
  csrSum(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, values: FloatArray, out: FloatArray): void;
  /** the backward: dValues[events[j]] += dOut[h]·coef[j] */
  csrSumBackward(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, dOut: FloatArray, dValues: FloatArray): void;

  // ---- additions (fused fast paths; each has a TypeScript twin and tests) ----
  /** out (n×out) = net(x[rows]) — x is events×in row-major, rows picks n events (null: the first n) */
  mlpForward(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, out: FloatArray): void;
  /** grads += ∂(Σ dOut·out)/∂params for the same batch (dOut n×out, by batch position); the forward is recomputed */
  mlpBackward(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, dOut: FloatArray, grads: FloatArray): void;
  /**
   * Fused forward + weighted BCE (PyTorch BCELoss: logs clamped at −100) + backward for a one-output net whose last
   * activation gives a probability: grads += ∂L/∂params, L = Σ w·bce(out, t)/Σ w; target and weight (null: 1) are
   * indexed like x's events; writes the outputs to out unless null; returns L.
   */
  mlpBce(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, target: FloatArray, weight: FloatArray | null, grads: FloatArray, out: FloatArray | null): number;
  /** out[i·rowLen + j] = src[rows[i]·rowLen + j] (a batch's rows; the autograd's indexSelect along axis 0) */
  gatherRows(src: FloatArray, rowLen: number, rows: Int32Array, out: FloatArray): void;
  /** PyTorch SGD update over a flat buffer (velocity needed when momentum ≠ 0; firstStep: velocity = gradient) */
  sgdStep(params: FloatArray, grads: FloatArray, velocity: FloatArray | null, opt: SgdOptions): void;
  /** PyTorch Adam (decoupled: AdamW) update over a flat buffer; step counts from 1 */
  adamStep(params: FloatArray, grads: FloatArray, m: FloatArray, v: FloatArray, step: number, opt: AdamOptions): void;
  /** event classifier transformer (transformer-layout.ts): out = y of n events (rows of x, null: the first n) */
  transformerForward(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, out: FloatArray): void;
  /** grads += ∂(Σ dOut·y)/∂params, the forward recomputed with the same dropout masks */
  transformerBackward(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, dOut: FloatArray, grads: FloatArray): void;
  /** fused forward + weighted BCE + backward, as mlpBce */
  transformerBce(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, target: FloatArray, weight: FloatArray | null, grads: FloatArray, out: FloatArray | null): number;
}

/** a dropout step of the fused transformer kernels: drop probability p, uint32 seed (masks hash seed, event row, draw) */
export interface DropoutDraw {
  p: number;
  seed: number;
}

/** number of parameters of an MlpShape (length of its flat buffer) */
export function mlpParamCount(net: MlpShape): number {
  let n = 0;
  for (let l = 0; l + 1 < net.sizes.length; l++) n += net.sizes[l] * net.sizes[l + 1] + net.sizes[l + 1];
  return n;
}

/** where layer l's W (out×in) and b live in an MlpShape's flat buffer — to make nn parameters views of one buffer */
export interface MlpLayerSlot { weightOffset: number; biasOffset: number; nIn: number; nOut: number }
export function mlpLayout(net: MlpShape): MlpLayerSlot[] {
  const slots: MlpLayerSlot[] = [];
  let off = 0;
  for (let l = 0; l + 1 < net.sizes.length; l++) {
    const nIn = net.sizes[l], nOut = net.sizes[l + 1];
    slots.push({ weightOffset: off, biasOffset: off + nIn * nOut, nIn, nOut });
    off += nIn * nOut + nOut;
  }
  return slots;
}
