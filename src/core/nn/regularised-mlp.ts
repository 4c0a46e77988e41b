/**
 * An MLP with batch norm and dropout in its hidden layers (the thesis DNN, §5.3.2: Linear →
 * BatchNorm → Mish → Dropout, twice, then Linear → sigmoid). Each hidden layer is, in PyTorch,
 *
 *   nn.Linear(n_in, n_out), nn.BatchNorm1d(n_out), <activation>, nn.Dropout(p)
 *
 * and the parameter and buffer names are those of that torch.nn.Sequential ("0.weight",
 * "1.weight", "1.running_mean", …, a missing BatchNorm or Dropout leaves its index out), so a
 * PyTorch state_dict loads by name. This is the slower path: one autograd op per module
 * (the plain MLP's fused whole-net kernels do not cover batch statistics or dropout masks);
 * the dense layers still run on the kernels (`linear`).
 */
import { FomlabError } from '../errors.js';
import type { Activation } from '../kernels/index.js';
import { activation } from '../ops/elementwise.js';
import { linear } from '../ops/linalg.js';
import { indexSelect } from '../ops/shape.js';
import type { Rng } from '../rng.js';
import { zeros, type Tensor } from '../tensor.js';
import { Linear } from './layers.js';
import { Module } from './module.js';
import { BatchNorm1d, Dropout } from './norm.js';

export interface RegularisedMlpOptions {
  /** dropout rate after each hidden activation (train mode only); 0: none */
  dropout: number;
  /** BatchNorm1d (momentum 0.1, eps 1e-5, PyTorch's) after each hidden Linear */
  batchNorm: boolean;
}

/** One hidden block: Linear, optional BatchNorm1d, activation, optional Dropout. */
interface HiddenBlock {
  linear: Linear;
  norm: BatchNorm1d | null;
  dropout: Dropout | null;
}

export class RegularisedMLP extends Module {
  /** a row's output does not depend on where the row sits in x (models/registry.ts TrainableModel.rowFree) */
  readonly rowFree = true;
  private readonly blocks: HiddenBlock[];
  readonly output: Linear;
  /** the Sequential index of each module, as named in PyTorch */
  private readonly children: Array<[string, Module]>;

  /**
   * sizes [in, h1, …, 1]; `act` the hidden activation; the dropout masks come from `rng`
   * (the trainer's stream, so a resumed training draws the same masks).
   */
  constructor(sizes: readonly number[], readonly act: Activation, readonly options: RegularisedMlpOptions, rng: Rng) {
    super();
    if (sizes.length < 2) throw new FomlabError(`RegularisedMLP needs at least input and output sizes, got [${sizes.join(', ')}]`);
    if (!(options.dropout >= 0 && options.dropout < 1)) throw new FomlabError(`model.dropout must be in [0, 1), got ${options.dropout}`);
    this.blocks = [];
    this.children = [];
    let index = 0;
    for (let i = 0; i + 2 < sizes.length; i++) {
      const block: HiddenBlock = {
        linear: new Linear(sizes[i], sizes[i + 1], rng),
        norm: options.batchNorm ? new BatchNorm1d(sizes[i + 1]) : null,
        dropout: options.dropout > 0 ? new Dropout(options.dropout, rng) : null,
      };
      this.blocks.push(block);
      this.children.push([String(index++), block.linear]);
      if (block.norm) this.children.push([String(index++), block.norm]);
      index++; // the activation (no parameters)
      if (block.dropout) this.children.push([String(index++), block.dropout]);
    }
    this.output = new Linear(sizes[sizes.length - 2], sizes[sizes.length - 1], rng);
    this.children.push([String(index), this.output]);
  }

  override namedChildren(): Array<[string, Module]> {
    return this.children;
  }

  /** the dense layers in order (hidden ones, then the output) */
  get linears(): Linear[] {
    return [...this.blocks.map((b) => b.linear), this.output];
  }

  /** the batch norm after each hidden Linear (null where there is none) */
  get norms(): Array<BatchNorm1d | null> {
    return this.blocks.map((b) => b.norm);
  }

  forward(x: Tensor): Tensor {
    if (!this.training) return this.evalForward(x);
    if (this.options.batchNorm && x.shape[0] < 2) {
      throw new FomlabError(`model.batchNorm: a training batch of ${x.shape[0]} event has no batch statistics (as in PyTorch); the last batch of an epoch holds (training events mod batchSize) events: change the stage's batchSize`);
    }
    for (const b of this.blocks) {
      // without batch norm the activation is fused into the dense kernel
      x = b.norm ? activation(b.norm.forward(linear(x, b.linear.weight, b.linear.bias)), this.act) : linear(x, b.linear.weight, b.linear.bias, this.act);
      if (b.dropout) x = b.dropout.forward(x);
    }
    return linear(x, this.output.weight, this.output.bias, 'sigmoid');
  }

  /**
   * Eval mode: dropout is the identity and batch norm an affine map with the running statistics,
   * folded into the Linear before it (W' = diag(γ/√(σ²+ε))·W, b' = γ(b − μ)/√(σ²+ε) + β), so each
   * layer is one fused dense kernel call. The gradient reaches x (integrated gradients) but not
   * the parameters (eval mode does not train).
   */
  private evalForward(x: Tensor): Tensor {
    for (const b of this.blocks) {
      const { weight, bias } = b.norm ? foldedLinear(b.linear, b.norm) : { weight: b.linear.weight, bias: b.linear.bias };
      x = linear(x, weight, bias, this.act);
    }
    return linear(x, this.output.weight, this.output.bias, 'sigmoid');
  }

  /** the net on rows of x (null: all rows); in train mode batch norm sees these rows as its batch */
  forwardRows(x: Tensor, rows: Int32Array | null): Tensor {
    return this.forward(rows ? indexSelect(x, 0, rows) : x);
  }
}

/** The Linear followed by an eval-mode batch norm as one Linear (constant tensors, float64 arithmetic). */
export function foldedLinear(l: Linear, bn: BatchNorm1d): { weight: Tensor; bias: Tensor } {
  const [nOut, nIn] = l.weight.shape, dtype = l.weight.dtype;
  const W = l.weight.data, B = l.bias?.data, mean = bn.running_mean!.data, variance = bn.running_var!.data;
  const weight = zeros([nOut, nIn], { dtype }), bias = zeros([nOut], { dtype });
  for (let o = 0; o < nOut; o++) {
    const g = (bn.weight ? bn.weight.data[o] : 1) / Math.sqrt(variance[o] + bn.eps);
    for (let k = 0; k < nIn; k++) weight.data[o * nIn + k] = W[o * nIn + k] * g;
    bias.data[o] = ((B ? B[o] : 0) - mean[o]) * g + (bn.bias ? bn.bias.data[o] : 0);
  }
  return { weight, bias };
}
