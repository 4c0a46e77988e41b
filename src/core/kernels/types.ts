/** The kernel interface shared by the C++ addon and its TypeScript twin. */
export type FloatArray = Float32Array | Float64Array;
export type Activation = 'identity' | 'tanh' | 'sigmoid' | 'relu' | 'leaky_relu' | 'gelu' | 'mish';

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
  denseBackward(x: FloatArray, w: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray | null, dw: FloatArray, db: FloatArray | null, n: number, nIn: number, nOut: number, act: Activation, bias?: FloatArray | null): void;
  /** y = act(x) elementwise; and dx += dy·act'(x) (given x and y) */
  activate(act: Activation, x: FloatArray, y: FloatArray): void;
  activateBackward(act: Activation, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void;
  /** out[seg[i]] += values[i] for i < values.length (out not cleared) */
  segmentSum(values: FloatArray, seg: Int32Array, out: FloatArray): void;
  /** CSR gather-sum: out[h] = Σ_{j=offsets[h]}^{offsets[h+1]-1} values[events[j]]·(coef ? coef[j] : 1) */
  csrSum(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, values: FloatArray, out: FloatArray): void;
  /** the backward: dValues[events[j]] += dOut[h]·coef[j] */
  csrSumBackward(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, dOut: FloatArray, dValues: FloatArray): void;
}
