/**
 * Dense layers: Linear (PyTorch layout and default init), activation modules, and MLP — a stack
 * of fused `linear(x, W, b, act)` calls whose parameter names match the equivalent
 * torch.nn.Sequential(Linear, Act, Linear, Act, …) ("0.weight", "2.weight", …).
 */
import { FomlabError } from '../errors.js';
import type { Activation } from '../kernels/index.js';
import { activation, leakyRelu } from '../ops/elementwise.js';
import { linear } from '../ops/linalg.js';
import type { Rng } from '../rng.js';
import { zeros, type DType, type Tensor } from '../tensor.js';
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
 * Multi-layer perceptron: sizes [in, h1, …, out] and one activation per layer
 * (e.g. [4, 8, 4, 1] with ['tanh', 'tanh', 'sigmoid'] — the Punzi-net).
 */
export class MLP extends Module {
  readonly layers: Linear[];
  readonly activations: Activation[];

  constructor(sizes: readonly number[], activations: readonly Activation[], rng: Rng, opts: MLPOptions = {}) {
    super();
    if (sizes.length < 2) throw new FomlabError(`MLP needs at least input and output sizes, got [${sizes.join(', ')}]`);
    if (activations.length !== sizes.length - 1) throw new FomlabError(`MLP with sizes [${sizes.join(', ')}] needs ${sizes.length - 1} activations, got ${activations.length}`);
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) this.layers.push(new Linear(sizes[i], sizes[i + 1], rng, opts));
    this.activations = [...activations];
  }

  /** as torch.nn.Sequential(Linear, Act, Linear, …): linear layer i is child 2·i */
  override namedChildren(): Array<[string, Module]> {
    return this.layers.map((l, i): [string, Module] => [String(2 * i), l]);
  }

  forward(x: Tensor): Tensor {
    for (let i = 0; i < this.layers.length; i++) x = linear(x, this.layers[i].weight, this.layers[i].bias, this.activations[i]);
    return x;
  }
}
