/**
 * Dense layers: Linear (PyTorch layout and default init), activation modules, and MLP — a stack
 * of fused `linear(x, W, b, act)` calls whose parameter names match the equivalent
 * torch.nn.Sequential(Linear, Act, Linear, Act, …) ("0.weight", "2.weight", …).
 */
import { FomlabError } from '../errors.js';
import { kernels, type Activation, type MlpShape } from '../kernels/index.js';
import { activation, leakyRelu } from '../ops/elementwise.js';
import { linear } from '../ops/linalg.js';
import type { Rng } from '../rng.js';
import { allocFloat, result, zeros, type DType, type FloatArray, type Tensor } from '../tensor.js';
import { takeFloat } from '../recycle.js';
import { fans, kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';

export interface LinearOptions {
  bias?: boolean;
  dtype?: DType;
}

/**
 * y = x·Wᵀ + b, W [out, in]. Default init as torch.nn.Linear.reset_parameters:
 * W ~ kaiming_uniform(a = √5) = U(±1/√in), b ~ U(±1/√in).
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, rng: Rng, opts: LinearOptions = {}) {
    super();
    const dtype = opts.dtype ?? 'float32';
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = kaimingUniform(zeros([outFeatures, inFeatures], { dtype, requiresGrad: true }), rng, { a: Math.sqrt(5) });
    if (opts.bias ?? true) {
      const bound = 1 / Math.sqrt(fans(this.weight)[0]);
      this.bias = uniform(zeros([outFeatures], { dtype, requiresGrad: true }), rng, -bound, bound);
    } else this.bias = null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, 'identity');
  }
}

/** An activation as a module (Tanh, Sigmoid, ReLU, LeakyReLU, GELU, Mish). */
export class ActivationLayer extends Module {
  constructor(readonly act: Activation, readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.act === 'leaky_relu' ? leakyRelu(x, this.negativeSlope) : activation(x, this.act);
  }
}

export interface MLPOptions extends LinearOptions {}

/**
 * Points each parameter's `.grad` at its view of a flat gradient buffer (views[i] for params[i]), keeping
 * what it held (none: zeros): the fused kernels of a model with flat parameters add into the buffer.
 */
export function pointGradsAt(params: readonly Tensor[], views: readonly FloatArray[]): void {
  params.forEach((p, i) => {
    const v = views[i];
    if (p.grad === v) return;
    if (p.grad === null) v.fill(0);
    else v.set(p.grad);
    p.grad = v;
  });
}

/**
 * Multi-layer perceptron: sizes [in, h1, …, out] and one activation per layer
 * (e.g. [4, 8, 4, 1] with ['tanh', 'tanh', 'sigmoid'] — the Punzi-net).
 *
 * With biases (the default) all parameters live in ONE flat buffer in PyTorch order
 * (W0, b0, W1, b1, …; each parameter tensor is a view into it) and gradients in another, so the
 * fused kernels can run a whole net per call: `forwardRows` (autograd op over a row subset of an
 * event matrix, e.g. the Punzi loss) and `bceStep` (forward + weighted BCE + backward in one call).
 */
export class MLP extends Module {
  /** a row's output does not depend on where the row sits in x (models/registry.ts TrainableModel.rowFree) */
  readonly rowFree = true;
  readonly layers: Linear[];
  readonly activations: Activation[];
  /** flat parameters / gradients for the fused kernels (null without biases) */
  private flat: { params: FloatArray; grads: FloatArray; gradViews: FloatArray[] } | null = null;

  constructor(sizes: readonly number[], activations: readonly Activation[], rng: Rng, opts: MLPOptions = {}) {
    super();
    if (sizes.length < 2) throw new FomlabError(`MLP needs at least input and output sizes, got [${sizes.join(', ')}]`);
    if (activations.length !== sizes.length - 1) throw new FomlabError(`MLP with sizes [${sizes.join(', ')}] needs ${sizes.length - 1} activations, got ${activations.length}`);
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) this.layers.push(new Linear(sizes[i], sizes[i + 1], rng, opts));
    this.activations = [...activations];
    this.flatten();
  }

  /** sizes and activations, as the fused kernels take them */
  get shape(): MlpShape {
    return { sizes: [this.layers[0].inFeatures, ...this.layers.map((l) => l.outFeatures)], acts: this.activations };
  }

  /** Moves parameters into one flat buffer (their tensors become views) and sets up the flat gradient. */
  private flatten(): void {
    if (this.layers.some((l) => l.bias === null)) { this.flat = null; return; }
    const ps = this.parameters();
    const dtype = ps[0].dtype;
    const params = allocFloat(dtype, ps.reduce((n, p) => n + p.size, 0)), grads = allocFloat(dtype, params.length);
    const gradViews: FloatArray[] = [];
    let off = 0;
    for (const p of ps) {
      params.set(p.data, off);
      p.data = params.subarray(off, off + p.size);
      gradViews.push(grads.subarray(off, off + p.size));
      p.grad = null;
      off += p.size;
    }
    this.flat = { params, grads, gradViews };
  }

  /** The flat parameter buffer (PyTorch order W0, b0, W1, b1, …), or null for a net without biases. */
  get flatParameters(): FloatArray | null {
    return this.flat ? this.flat.params : null;
  }

  /** Points every parameter's `.grad` at its slot of the flat gradient, keeping what it held. */
  private syncGrads(): FloatArray {
    pointGradsAt(this.parameters(), this.flat!.gradViews);
    return this.flat!.grads;
  }

  override toDtype(dtype: DType): this {
    super.toDtype(dtype);
    this.flatten();
    return this;
  }

  /** as torch.nn.Sequential(Linear, Act, Linear, …): linear layer i is child 2·i */
  override namedChildren(): Array<[string, Module]> {
    return this.layers.map((l, i): [string, Module] => [String(2 * i), l]);
  }

  forward(x: Tensor): Tensor {
    for (let i = 0; i < this.layers.length; i++) x = linear(x, this.layers[i].weight, this.layers[i].bias, this.activations[i]);
    return x;
  }

  private requireFlat(what: string): void {
    if (!this.flat) throw new FomlabError(`MLP.${what} needs a net with biases (the fused kernels' layout)`);
  }

  /**
   * The net on rows `rows` of the event matrix x ([events, in]; null rows: the first n events)
   * as one fused kernel call; its backward (one more call, forward recomputed) accumulates into
   * the parameters' gradients. x itself gets no gradient. The rows are gathered once into a
   * contiguous batch that both calls read (same values, same sums): rows spread over a large
   * matrix cost a cache line each, and the forward and the backward each paid them.
   */
  forwardRows(x: Tensor, rows: Int32Array | null = null, n = rows ? rows.length : x.shape[0]): Tensor {
    this.requireFlat('forwardRows');
    const shape = this.shape, nIn = shape.sizes[0], nOut = shape.sizes[shape.sizes.length - 1];
    const out = takeFloat(x.dtype, n * nOut, false); // the kernel writes every entry; a recycled batch output when free (core/recycle.ts)
    const f = this.flat!;
    let xs = x.data;
    if (rows) {
      xs = allocFloat(x.dtype, n * nIn);
      kernels.gatherRows(x.data, nIn, rows.length === n ? rows : rows.subarray(0, n), xs);
    }
    kernels.mlpForward(shape, f.params, xs, null, n, out);
    return result(out, [n, nOut], this.parameters(), 'mlp', () => (g) => kernels.mlpBackward(shape, f.params, xs, null, n, g, this.syncGrads()));
  }

  /**
   * Fused forward + weighted BCE (Σ w·ℓ/Σ w, PyTorch's log clamp) + backward over rows of x: adds
   * ∂L/∂θ into the parameters' `.grad` and returns L. target/weight are indexed like x's events.
   * `out` (length n) receives the outputs when given.
   */
  bceStep(x: Tensor, target: FloatArray, weight: FloatArray | null, rows: Int32Array | null = null, n = rows ? rows.length : x.shape[0], out: FloatArray | null = null): number {
    this.requireFlat('bceStep');
    const grads = this.syncGrads();
    return kernels.mlpBce(this.shape, this.flat!.params, x.data, rows, n, target, weight, grads, out);
  }
}
