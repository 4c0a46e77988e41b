/** LayerNorm, BatchNorm1d and Dropout modules (PyTorch names: weight, bias, running_mean, running_var). */
import { batchNorm, dropout, layerNorm } from '../ops/norm.js';
import type { Rng } from '../rng.js';
import { ones, zeros, type DType, type Tensor } from '../tensor.js';
import { Module } from './module.js';

export interface NormOptions {
  eps?: number;
  /** learnable γ (ones) and β (zeros); default true */
  affine?: boolean;
  dtype?: DType;
}

/** Layer norm over the trailing dims `normalizedShape` (torch.nn.LayerNorm). */
export class LayerNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly size: number;
  readonly eps: number;
  constructor(normalizedShape: number | readonly number[], o: NormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.size = shape.reduce((p, q) => p * q, 1);
    this.eps = o.eps ?? 1e-5;
    const affine = o.affine ?? true;
    this.weight = affine ? ones(shape, { dtype: o.dtype, requiresGrad: true }) : null;
    this.bias = affine ? zeros(shape, { dtype: o.dtype, requiresGrad: true }) : null;
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.size, this.weight, this.bias, this.eps);
  }
}

export interface BatchNormModuleOptions extends NormOptions {
  momentum?: number;
  trackRunningStats?: boolean;
}

/** Batch norm over [N, C] or [N, C, L] (torch.nn.BatchNorm1d): batch statistics in train(), running ones in eval(). */
export class BatchNorm1d extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  numBatchesTracked = 0;
  readonly eps: number;
  readonly momentum: number;
  constructor(numFeatures: number, o: BatchNormModuleOptions = {}) {
    super();
    const dtype = o.dtype, affine = o.affine ?? true, track = o.trackRunningStats ?? true;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum ?? 0.1;
    this.weight = affine ? ones([numFeatures], { dtype, requiresGrad: true }) : null;
    this.bias = affine ? zeros([numFeatures], { dtype, requiresGrad: true }) : null;
    this.running_mean = track ? zeros([numFeatures], { dtype }) : null;
    this.running_var = track ? ones([numFeatures], { dtype }) : null;
  }
  forward(x: Tensor): Tensor {
    if (this.training && this.running_mean) this.numBatchesTracked++;
    return batchNorm(x, {
      runningMean: this.running_mean, runningVar: this.running_var, weight: this.weight, bias: this.bias,
      training: this.training, momentum: this.momentum, eps: this.eps,
    });
  }
}

/** Dropout with probability p in train(), identity in eval(); the mask comes from `rng`. */
export class Dropout extends Module {
  constructor(readonly p: number, private readonly rng: Rng) {
    super();
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.rng, this.training);
  }
}
