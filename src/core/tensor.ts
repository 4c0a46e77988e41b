/**
 * Tensor: a flat typed array (float32 by default, float64 for gradient checks) with a row-major
 * shape, plus what reverse-mode autograd needs. Every op result records its parents and ONE
 * backward closure (per op, never per element); `backward()` orders the graph topologically and
 * runs the closures in reverse — the micrograd recipe with typed-array buffers.
 */
import { FomlabError } from './errors.js';
import type { Rng } from './rng.js';
import type { FloatArray } from './kernels/index.js';
import { recycleFloat, takeFloat } from './recycle.js';

export type { FloatArray };
export type DType = 'float32' | 'float64';

/** Runs a tensor's gradient contribution into its parents; `g` is d(loss)/d(this). */
export type BackwardFn = (g: FloatArray) => void;

let gradDisabled = 0;

/** Runs `fn` without recording the graph (like `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  gradDisabled++;
  try {
    return fn();
  } finally {
    gradDisabled--;
  }
}

/** True when ops record the graph (outside `noGrad`). */
export function isGradEnabled(): boolean {
  return gradDisabled === 0;
}

export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export class Tensor {
  data: FloatArray;
  readonly shape: readonly number[];
  /** d(loss)/d(this), same layout as `data`; filled by `backward()` on leaves that require grad. */
  grad: FloatArray | null = null;
  requiresGrad: boolean;
  /** graph bookkeeping (set by ops; empty on leaves) */
  parents: readonly Tensor[] = [];
  backwardFn: BackwardFn | null = null;
  /** a short op name, for error messages and debugging */
  op = 'leaf';

  constructor(data: FloatArray, shape: readonly number[], requiresGrad = false) {
    if (sizeOf(shape) !== data.length) {
      throw new FomlabError(`tensor shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new FomlabError(`item() needs one element, tensor has shape [${this.shape.join(', ')}]`);
    return this.data[0];
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  /** A new leaf sharing no graph (shares the data array, like `torch.Tensor.detach`). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** A copy of the data as a new leaf. */
  clone(requiresGrad = false): Tensor {
    return new Tensor(this.data.slice(), this.shape, requiresGrad);
  }

  /** Same values in another dtype (a new leaf). */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const out = allocFloat(dtype, this.size);
    out.set(this.data);
    return new Tensor(out, this.shape, this.requiresGrad);
  }

  /** The gradient buffer, allocated (zeros; a recycled array when one of the size is free) on first use; ops' backward closures add into it. */
  gradBuffer(): FloatArray {
    if (this.grad === null) this.grad = takeFloat(this.dtype, this.size);
    return this.grad;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Reverse-mode pass from this tensor. `grad` defaults to 1 for a one-element tensor.
   * Leaves that require grad accumulate into `.grad`; intermediate gradients are dropped and
   * (unless `retainGraph`) the graph is freed.
   */
  backward(grad?: FloatArray, retainGraph = false): void {
    if (!this.requiresGrad) throw new FomlabError('backward() on a tensor that does not require grad (was it computed under noGrad, or from detached inputs?)');
    if (grad === undefined) {
      if (this.size !== 1) throw new FomlabError(`backward() without a gradient needs a one-element tensor, got shape [${this.shape.join(', ')}]`);
      grad = allocFloat(this.dtype, 1);
      grad[0] = 1;
    }
    const order = topoOrder(this);
    // intermediates get fresh buffers; leaves keep accumulating
    for (const t of order) if (t.backwardFn !== null) t.grad = null;
    const seed = this.gradBuffer();
    for (let i = 0; i < seed.length; i++) seed[i] += grad[i];
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      if (t.backwardFn === null) continue;
      const g = t.grad;
      if (g !== null) {
        t.backwardFn(g);
        // dead now unless a parent adopted it as its own gradient (reshape): back to the pool for the next batch's gradients
        if (!t.parents.some((p) => p.grad === g)) recycleFloat(g);
      }
      t.grad = null;
      if (!retainGraph) {
        t.backwardFn = null;
        t.parents = [];
      }
    }
  }
}

/** Tensors reachable from `root` that require grad, parents before children. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // iterative DFS (graphs of long training steps can be deep)
  const stack: Array<[Tensor, number]> = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    if (i < t.parents.length) {
      top[1]++;
      const p = t.parents[i];
      if (p.requiresGrad && !seen.has(p)) {
        seen.add(p);
        stack.push([p, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Builds an op result. Records the graph only when grad mode is on and a parent requires grad;
 * `makeBackward` is called only then, so no closure is created in `noGrad` or inference.
 */
export function result(data: FloatArray, shape: readonly number[], parents: readonly Tensor[], op: string, makeBackward: () => BackwardFn): Tensor {
  const out = new Tensor(data, shape, false);
  out.op = op;
  if (gradDisabled === 0 && parents.some((p) => p.requiresGrad)) {
    out.requiresGrad = true;
    out.parents = parents;
    out.backwardFn = makeBackward();
  }
  return out;
}

/** Throws unless all tensors share one dtype; returns it. */
export function sameDtype(op: string, ...ts: Tensor[]): DType {
  const d = ts[0].dtype;
  for (const t of ts) {
    if (t.dtype !== d) throw new FomlabError(`${op}: mixed dtypes (${ts.map((x) => x.dtype).join(', ')}); convert with .to()`);
  }
  return d;
}

// ---- constructors ----

/** A tensor from a flat or nested number array (shape inferred when nested). */
export function tensor(values: ArrayLike<number> | NestedArray, shape?: readonly number[], opts: TensorOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  let flat: number[] | ArrayLike<number>;
  let inferred: number[];
  if (Array.isArray(values) && values.length > 0 && Array.isArray(values[0])) {
    inferred = [];
    let v: unknown = values;
    while (Array.isArray(v)) {
      inferred.push(v.length);
      v = v[0];
    }
    const acc: number[] = [];
    const walk = (v: NestedArray | number): void => {
      if (Array.isArray(v)) for (const u of v) walk(u);
      else acc.push(v);
    };
    walk(values as NestedArray);
    flat = acc;
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const data = allocFloat(dtype, flat.length);
  data.set(flat);
  return new Tensor(data, shape ?? inferred, opts.requiresGrad ?? false);
}
export type NestedArray = number[] | NestedArray[];

export function zeros(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return new Tensor(allocFloat(opts.dtype ?? 'float32', sizeOf(shape)), shape, opts.requiresGrad ?? false);
}

export function full(shape: readonly number[], value: number, opts: TensorOptions = {}): Tensor {
  const t = zeros(shape, opts);
  t.data.fill(value);
  return t;
}

export function ones(shape: readonly number[], opts: TensorOptions = {}): Tensor {
  return full(shape, 1, opts);
}

/** Uniform in [lo, hi) from the given generator. */
export function rand(rng: Rng, shape: readonly number[], lo = 0, hi = 1, opts: TensorOptions = {}): Tensor {
  const t = zeros(shape, opts);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(lo, hi);
  return t;
}

/** Normal(mean, std) from the given generator. */
export function randn(rng: Rng, shape: readonly number[], mean = 0, std = 1, opts: TensorOptions = {}): Tensor {
  const t = zeros(shape, opts);
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

/** Adds `src` into `dst` element by element. */
export function addInto(dst: FloatArray, src: FloatArray): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}

/** Normalises a possibly negative axis. */
export function axisOf(axis: number, ndim: number, op: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) throw new FomlabError(`${op}: axis ${axis} out of range for ${ndim} dimensions`);
  return a;
}

/** [outer, n, inner] split of a shape around an axis: element (o, i, j) is at (o·n + i)·inner + j. */
export function splitAt(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

/**
 * For each element of a row-major output of `outShape`, the flat input index it reads when the
 * input is walked with `strides` (one per output dim; 0 repeats, as broadcasting does). Shared
 * by broadcasting and permute.
 */
export function stridedIndexMap(outShape: readonly number[], strides: ArrayLike<number>): Int32Array {
  const nd = outShape.length;
  let n = 1;
  for (const d of outShape) n *= d;
  const map = new Int32Array(n);
  const idx = new Int32Array(nd);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    map[i] = pos;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      pos += strides[d];
      if (idx[d] < outShape[d]) break;
      pos -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return map;
}
