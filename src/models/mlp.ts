/**
 * The MLP model kind: a feed-forward net [features, …hidden, 1] with a sigmoid output (the seed
 * study's Punzi-net is 4-8-4-1 tanh), trained by the fused kernels; its model file is the
 * FeedForwardSpec JSON (spec-json.ts) tagged `kind: mlp`, exported to ONNX by onnx.ts.
 */
import { z } from 'zod';
import { ACTIVATIONS, kaimingNormal, MLP, normal, Rng, type Activation } from '../core/index.js';
import { oneOf, section } from '../config/section.js';
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
});
export type MlpOptions = z.infer<typeof mlpOptionsSchema>;

/** The classifier of a config: an MLP [features, …hidden, 1] with a sigmoid output. */
export function buildMlp(nFeatures: number, cfg: MlpOptions, rng: Rng): MLP {
  const sizes = [nFeatures, ...cfg.hidden, 1];
  const acts: Activation[] = [...cfg.hidden.map(() => cfg.activation), 'sigmoid'];
  const net = new MLP(sizes, acts, rng);
  if (cfg.init === 'kaiming_normal') {
    // the public reference code's weights_init: kaiming_normal_(weight), normal_(bias)
    for (const l of net.layers) {
      kaimingNormal(l.weight, rng);
      if (l.bias) normal(l.bias, rng, 0, 1);
    }
  }
  return net;
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
    for (const [k, t] of net.namedParameters()) {
      const p = params[k];
      if (!p || p.length !== t.data.length) throw new Error(`parameter ${k} missing or of wrong size in the trained state`);
      t.data.set(p);
    }
    return savedFeedForward(mlpSpec(net, inputNames, shift, scale));
  },
  load: (json, source) => savedFeedForward(feedForwardSpecFromJson(json, source)),
};
