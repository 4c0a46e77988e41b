/**
 * The MLP model kind: a feed-forward net [features, …hidden, 1] with a sigmoid output (the seed
 * study's Punzi-net is 4-8-4-1 tanh), trained by the fused kernels; its model file is the
 * FeedForwardSpec JSON (spec-json.ts) tagged `kind: mlp`, exported to ONNX by onnx.ts.
 */
import { z } from 'zod';
import { ACTIVATIONS, foldedLinear, kaimingNormal, MLP, normal, RegularisedMLP, Rng, type Activation, type Linear } from '../core/index.js';
import { numberBetween, oneOf, section } from '../config/section.js';
import { encodeOnnx } from './onnx.js';
import type { ModelKind, SavedModel } from './registry.js';
import { checkSpec, forwardSpec, type FeedForwardSpec } from './spec.js';
import { feedForwardSpecFromJson, feedForwardSpecToJson } from './spec-json.js';

const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });

/** Hidden-layer activations: the kernels' list (the output layer is always a sigmoid). */
const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'identity') as [Activation, ...Activation[]];

export const mlpOptionsSchema = section({
  /** hidden layer widths; the seed study's Punzi-net is 4-8-4-1 */
  hidden: z.array(count).default([8, 4]),
  activation: oneOf(HIDDEN_ACTIVATIONS).default('tanh'),
  /** weight initialisation of the public reference code: Kaiming normal weights, N(0,1) biases */
  init: oneOf(['kaiming_normal', 'pytorch']).default('kaiming_normal'),
  /** dropout rate after each hidden activation, in training only (masks from the training seed); 0: none */
  dropout: numberBetween(0, 0.999).default(0),
  /**
   * BatchNorm1d after each hidden Linear (PyTorch's: momentum 0.1, eps 1e-5; running statistics in
   * scoring). The model file holds it folded into the Linear layers (see foldBatchNorm).
   */
  batchNorm: z.boolean({ error: 'expected true or false' }).default(false),
});
export type MlpOptions = z.infer<typeof mlpOptionsSchema>;

/** A net with dropout or batch norm (the slower, per-module path); else the plain MLP (fused kernels). */
const regularised = (cfg: MlpOptions): boolean => cfg.dropout > 0 || cfg.batchNorm;

/**
 * The classifier of a config: an MLP [features, …hidden, 1] with a sigmoid output — the plain MLP
 * on the fused kernels, or with `dropout`/`batchNorm` the RegularisedMLP (one autograd op per module).
 */
export function buildMlp(nFeatures: number, cfg: MlpOptions, rng: Rng): MLP | RegularisedMLP {
  const sizes = [nFeatures, ...cfg.hidden, 1];
  const net = regularised(cfg)
    ? new RegularisedMLP(sizes, cfg.activation, { dropout: cfg.dropout, batchNorm: cfg.batchNorm }, rng)
    : new MLP(sizes, [...cfg.hidden.map(() => cfg.activation), 'sigmoid'], rng);
  const linears: Linear[] = net instanceof MLP ? net.layers : net.linears;
  if (cfg.init === 'kaiming_normal') {
    // the public reference code's weights_init: kaiming_normal_(weight), normal_(bias)
    for (const l of linears) {
      kaimingNormal(l.weight, rng);
      if (l.bias) normal(l.bias, rng, 0, 1);
    }
  }
  return net;
}

/**
 * The eval-mode RegularisedMLP as plain dense layers: dropout is the identity, and batch norm
 * y = γ·(z − μ)/√(σ² + ε) + β after z = W·x + b folds into the Linear:
 *   W' = diag(γ/√(σ² + ε))·W,  b' = γ·(b − μ)/√(σ² + ε) + β   (running μ, σ²; float64, rounded once).
 */
export function foldBatchNorm(net: RegularisedMLP, inputNames: string[], shift?: Float32Array, scale?: Float32Array): FeedForwardSpec {
  const norms = net.norms;
  return {
    inputNames,
    layers: net.linears.map((l, i) => {
      const bn = i < norms.length ? norms[i] : null;
      const { weight, bias } = bn ? foldedLinear(l, bn) : { weight: l.weight, bias: l.bias };
      return {
        weight: Float32Array.from(weight.data), bias: bias ? Float32Array.from(bias.data) : new Float32Array(l.outFeatures),
        nIn: l.inFeatures, nOut: l.outFeatures, activation: i < norms.length ? net.act : 'sigmoid',
      };
    }),
    ...(shift && scale ? { inputShift: shift, inputScale: scale } : {}),
  };
}

/** The exportable description of a trained MLP (for ONNX export and plain scoring). */
export function mlpSpec(net: MLP, inputNames: string[], shift?: Float32Array, scale?: Float32Array): FeedForwardSpec {
  return {
    inputNames,
    layers: net.layers.map((l, i) => ({
      weight: Float32Array.from(l.weight.data),
      bias: l.bias ? Float32Array.from(l.bias.data) : new Float32Array(l.weight.shape[0]),
      nIn: l.weight.shape[1],
      nOut: l.weight.shape[0],
      activation: net.activations[i],
    })),
    ...(shift && scale ? { inputShift: shift, inputScale: scale } : {}),
  };
}

/** A feed-forward spec as a model file. */
export function savedFeedForward(spec: FeedForwardSpec): SavedModel {
  checkSpec(spec, 'model');
  return {
    kind: 'mlp',
    inputNames: spec.inputNames,
    score: (x, n) => forwardSpec(spec, x, n),
    toJson: () => ({ kind: 'mlp', ...feedForwardSpecToJson(spec) }),
    toOnnx: (opts) => encodeOnnx(spec, opts),
    describe: () => `${[spec.layers[0].nIn, ...spec.layers.map((l) => l.nOut)].join('-')} mlp (${spec.layers.map((l) => l.activation).join(', ')})`,
  };
}

export const mlp: ModelKind<MlpOptions> = {
  kind: 'mlp',
  options: mlpOptionsSchema,
  build: buildMlp,
  save(nFeatures, options, params, inputNames, shift, scale) {
    const net = buildMlp(nFeatures, options, new Rng(0));
    for (const [k, t] of net.stateDict()) {
      const p = params[k];
      if (!p || p.length !== t.data.length) throw new Error(`parameter ${k} missing or of wrong size in the trained state`);
      t.data.set(p);
    }
    return savedFeedForward(net instanceof MLP ? mlpSpec(net, inputNames, shift, scale) : foldBatchNorm(net, inputNames, shift, scale));
  },
  load: (json, source) => savedFeedForward(feedForwardSpecFromJson(json, source)),
};
