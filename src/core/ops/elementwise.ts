/**
 * Element-wise ops: add/sub/mul/div with NumPy broadcasting, and unary maths. Activations that the
 * kernels know (tanh, sigmoid, relu, leaky-relu 0.01, GELU (erf form), Mish) run through
 * `kernels.activate` / `activateBackward` (C++ for float32 when built).
 */
import { FomlabError } from '../errors.js';
import { kernels, type Activation } from '../kernels/index.js';
import { allocFloat, result, sameDtype, stridedIndexMap, Tensor, type FloatArray } from '../tensor.js';

export type Operand = Tensor | number;

// ---- broadcasting ----

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new FomlabError(`cannot broadcast shapes [${a.join(', ')}] and [${b.join(', ')}]`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** For each output element, the index of the input element it reads; null = identity; 'scalar' = element 0. */
type IndexMap = Int32Array | null | 'scalar';

function indexMap(inShape: readonly number[], outShape: readonly number[]): IndexMap {
  let inSize = 1, outSize = 1;
  for (const d of inShape) inSize *= d;
  for (const d of outShape) outSize *= d;
  if (inSize === outSize) return null;
  if (inSize === 1) return 'scalar';
  const nd = outShape.length, off = nd - inShape.length;
  const strides = new Int32Array(nd);
  let s = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    strides[i + off] = inShape[i] === 1 ? 0 : s;
    s *= inShape[i];
  }
  return stridedIndexMap(outShape, strides);
}

/** The input's values laid out like the output. */
function expand(x: FloatArray, map: IndexMap, n: number): FloatArray {
  if (map === null) return x;
  const out = allocFloat(x instanceof Float64Array ? 'float64' : 'float32', n);
  if (map === 'scalar') out.fill(x[0]);
  else for (let i = 0; i < n; i++) out[i] = x[map[i]];
  return out;
}

/** Adds an output-shaped gradient term into an input's gradient (summing over broadcast dims). */
function reduceInto(dst: FloatArray, term: FloatArray, map: IndexMap): void {
  if (map === null) {
    for (let i = 0; i < dst.length; i++) dst[i] += term[i];
  } else if (map === 'scalar') {
    let s = 0;
    for (let i = 0; i < term.length; i++) s += term[i];
    dst[0] += s;
  } else {
    for (let i = 0; i < term.length; i++) dst[map[i]] += term[i];
  }
}

function asTensor(x: Operand, like: Tensor): Tensor {
  if (typeof x !== 'number') return x;
  const d = allocFloat(like.dtype, 1);
  d[0] = x;
  return new Tensor(d, [], false);
}

type BinOp = 'add' | 'sub' | 'mul' | 'div';

function binary(op: BinOp, x: Operand, y: Operand): Tensor {
  if (typeof x === 'number' && typeof y === 'number') throw new FomlabError(`${op}: needs at least one tensor`);
  const a = asTensor(x, typeof y === 'number' ? (x as Tensor) : y);
  const b = asTensor(y, a);
  const dtype = sameDtype(op, a, b);
  const shape = broadcastShapes(a.shape, b.shape);
  const n = shape.reduce((p, q) => p * q, 1);
  const ma = indexMap(a.shape, shape), mb = indexMap(b.shape, shape);
  const A = expand(a.data, ma, n), B = expand(b.data, mb, n);
  const out = allocFloat(dtype, n);
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = A[i] + B[i]; break;
    case 'sub': for (let i = 0; i < n; i++) out[i] = A[i] - B[i]; break;
    case 'mul': for (let i = 0; i < n; i++) out[i] = A[i] * B[i]; break;
    case 'div': for (let i = 0; i < n; i++) out[i] = A[i] / B[i]; break;
  }
  return result(out, shape, [a, b], op, () => (g) => {
    if (a.requiresGrad) {
      let t = g;
      if (op === 'mul') { t = allocFloat(dtype, n); for (let i = 0; i < n; i++) t[i] = g[i] * B[i]; }
      else if (op === 'div') { t = allocFloat(dtype, n); for (let i = 0; i < n; i++) t[i] = g[i] / B[i]; }
      reduceInto(a.gradBuffer(), t, ma);
    }
    if (b.requiresGrad) {
      const t = allocFloat(dtype, n);
      switch (op) {
        case 'add': t.set(g); break;
        case 'sub': for (let i = 0; i < n; i++) t[i] = -g[i]; break;
        case 'mul': for (let i = 0; i < n; i++) t[i] = g[i] * A[i]; break;
        case 'div': for (let i = 0; i < n; i++) t[i] = (-g[i] * A[i]) / (B[i] * B[i]); break;
      }
      reduceInto(b.gradBuffer(), t, mb);
    }
  });
}

/** a + b (broadcasting; either may be a number) */
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
/** a − b */
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
/** a · b */
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
/** a / b */
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b);

// ---- unary maths ----

/**
 * A unary op from a forward loop and a derivative loop: `deriv(x, y, g, dx)` adds g·f'(x) into dx.
 */
function unary(x: Tensor, op: string, fwd: (x: FloatArray, y: FloatArray) => void, deriv: (x: FloatArray, y: FloatArray, g: FloatArray, dx: FloatArray) => void): Tensor {
  const y = allocFloat(x.dtype, x.size);
  fwd(x.data, y);
  return result(y, x.shape, [x], op, () => (g) => deriv(x.data, y, g, x.gradBuffer()));
}

export function neg(x: Tensor): Tensor {
  return unary(x, 'neg',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = -a[i]; },
    (_a, _y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] -= g[i]; });
}

export function exp(x: Tensor): Tensor {
  return unary(x, 'exp',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = Math.exp(a[i]); },
    (_a, y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] += g[i] * y[i]; });
}

export function log(x: Tensor): Tensor {
  return unary(x, 'log',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = Math.log(a[i]); },
    (a, _y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] += g[i] / a[i]; });
}

export function sqrt(x: Tensor): Tensor {
  return unary(x, 'sqrt',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = Math.sqrt(a[i]); },
    (_a, y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] += g[i] / (2 * y[i]); });
}

/** x^p for a constant exponent p */
export function pow(x: Tensor, p: number): Tensor {
  return unary(x, 'pow',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = Math.pow(a[i], p); },
    (a, _y, g, dx) => {
      if (p === 0) return;
      for (let i = 0; i < g.length; i++) dx[i] += g[i] * p * Math.pow(a[i], p - 1);
    });
}

/**
 * The sharpened selection p^k / (p^k + (1 − p)^k) = σ(k · logit p) for p in [0, 1] (clamped
 * there), one op instead of eight: y = 1 / (1 + ((1 − p)/p)^k), dy/dp = k·y(1 − y) / (p(1 − p)),
 * taken as 0 at p = 0 or 1 (the limit for k > 1).
 */
export function sharpenProbability(x: Tensor, k: number): Tensor {
  return unary(x, 'sharpen',
    (a, y) => {
      for (let i = 0; i < a.length; i++) {
        const p = a[i];
        y[i] = p <= 0 ? 0 : p >= 1 ? 1 : 1 / (1 + Math.pow((1 - p) / p, k));
      }
    },
    (a, y, g, dx) => {
      for (let i = 0; i < g.length; i++) {
        const p = a[i], pq = p * (1 - p);
        if (pq > 0) dx[i] += (g[i] * k * y[i] * (1 - y[i])) / pq;
      }
    });
}

/** min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi (as torch.clamp) */
export function clamp(x: Tensor, lo: number | null, hi: number | null = null): Tensor {
  const L = lo ?? -Infinity, H = hi ?? Infinity;
  return unary(x, 'clamp',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = a[i] < L ? L : a[i] > H ? H : a[i]; },
    (a, _y, g, dx) => { for (let i = 0; i < g.length; i++) if (a[i] >= L && a[i] <= H) dx[i] += g[i]; });
}

/** |x|, with gradient sign(x) (0 at 0, as PyTorch) */
export function abs(x: Tensor): Tensor {
  return unary(x, 'abs',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = Math.abs(a[i]); },
    (a, _y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] += a[i] > 0 ? g[i] : a[i] < 0 ? -g[i] : 0; });
}

// ---- activations ----

/** Element-wise activation through the kernels. */
export function activation(x: Tensor, act: Activation): Tensor {
  if (act === 'identity') return x;
  const y = allocFloat(x.dtype, x.size);
  kernels.activate(act, x.data, y);
  return result(y, x.shape, [x], act, () => (g) => kernels.activateBackward(act, x.data, y, g, x.gradBuffer()));
}

export const tanh = (x: Tensor): Tensor => activation(x, 'tanh');
export const sigmoid = (x: Tensor): Tensor => activation(x, 'sigmoid');
export const relu = (x: Tensor): Tensor => activation(x, 'relu');
/** GELU, exact erf form (PyTorch's default `approximate='none'`) */
export const gelu = (x: Tensor): Tensor => activation(x, 'gelu');
/** Mish: x·tanh(softplus(x)) */
export const mish = (x: Tensor): Tensor => activation(x, 'mish');

/** LeakyReLU with `slope` for x < 0 (PyTorch default 0.01, which runs through the kernels). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (slope === 0.01) return activation(x, 'leaky_relu');
  return unary(x, 'leaky_relu',
    (a, y) => { for (let i = 0; i < a.length; i++) y[i] = a[i] > 0 ? a[i] : slope * a[i]; },
    (a, _y, g, dx) => { for (let i = 0; i < g.length; i++) dx[i] += a[i] > 0 ? g[i] : slope * g[i]; });
}
