/**
 * FeatureEmbedding: one small MLP per input feature (e.g. 1 → 4 → 16 with GELU), mapping a
 * batch [B, F] of scalar features to tokens [B, F, E] — the input layer of the event-classifier
 * transformer. Parameters are named "nets.<feature>.<layer>.weight".
 */
import { FomlabError } from '../errors.js';
import type { Activation } from '../kernels/index.js';
import { slice, stack } from '../ops/shape.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';
import { MLP, type MLPOptions } from './layers.js';
import { Module } from './module.js';

export class FeatureEmbedding extends Module {
  readonly nets: MLP[];
  constructor(readonly nFeatures: number, sizes: readonly number[], activations: readonly Activation[], rng: Rng, o: MLPOptions = {}) {
    super();
    if (sizes[0] !== 1) throw new FomlabError(`FeatureEmbedding nets take one feature each: sizes must start with 1, got [${sizes.join(', ')}]`);
    this.nets = Array.from({ length: nFeatures }, () => new MLP(sizes, activations, rng, o));
  }
  forward(x: Tensor): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== this.nFeatures) throw new FomlabError(`FeatureEmbedding expects [B, ${this.nFeatures}], got [${x.shape.join(', ')}]`);
    return stack(this.nets.map((net, f) => net.forward(slice(x, 1, f, f + 1))), 1);
  }
}
