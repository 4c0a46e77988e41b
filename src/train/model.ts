import { kaimingNormal, MLP, normal, type Activation, type Rng } from '../core/index.js';
import { FomlabError } from '../core/errors.js';
import type { ModelConfig } from '../config/training.js';
import type { FeedForwardSpec } from '../models/spec.js';

/** The classifier of a config: an MLP [features, …hidden, 1] with a sigmoid output. */
export function buildMlp(nFeatures: number, cfg: ModelConfig, rng: Rng): MLP {
  const sizes = [nFeatures, ...cfg.hidden, 1];
  const acts: Activation[] = [...cfg.hidden.map(() => cfg.activation as Activation), 'sigmoid'];
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

/** Plain copies of the parameters by name (what crosses threads and goes into files). */
export function stateOf(net: MLP): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of net.namedParameters()) out[k] = Float32Array.from(t.data);
  return out;
}

export function loadState(net: MLP, state: Record<string, Float32Array>): void {
  for (const [k, t] of net.namedParameters()) {
    const s = state[k];
    if (!s || s.length !== t.data.length) throw new FomlabError(`parameter ${k} missing or of wrong size in the saved state: it was written for another model (model: in the config)`);
    t.data.set(s);
  }
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
      activation: net.activations[i] as FeedForwardSpec['layers'][number]['activation'],
    })),
    ...(shift && scale ? { inputShift: shift, inputScale: scale } : {}),
  };
}
