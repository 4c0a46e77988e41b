/**
 * A feed-forward net as plain data: the contract between the trainer (which fills it from its
 * modules), `fomlab export` (ONNX) and any other consumer. Weights follow PyTorch's nn.Linear.
 */
import { FomlabError } from '../core/errors.js';
import { ACTIVATIONS, type Activation } from '../core/kernels/types.js';

/** The kernels' activations: one list for config, kernels, model files and ONNX. */
export type LayerActivation = Activation;
export const LAYER_ACTIVATIONS: readonly LayerActivation[] = ACTIVATIONS;

/** Slope of leaky_relu for negative inputs (PyTorch's default). */
export const LEAKY_RELU_SLOPE = 0.01;

export interface DenseLayerSpec {
  /** nOut × nIn, row-major (row o holds the weights into output o), as PyTorch nn.Linear.weight. */
  weight: Float32Array;
  /** nOut biases. */
  bias: Float32Array;
  nIn: number;
  nOut: number;
  /** Applied after the affine map; 'gelu' is the exact (erf) form, as PyTorch's default. */
  activation: LayerActivation;
}

export interface FeedForwardSpec {
  /** Names of the input features, in column order (length = first layer's nIn). */
  inputNames: string[];
  layers: DenseLayerSpec[];
  /** Feature scaling x' = (x − shift) · scale, per feature (both optional, length nIn). */
  inputShift?: Float32Array;
  inputScale?: Float32Array;
}

/** Checks shapes and activations; throws a FomlabError naming `source` and the layer. */
export function checkSpec(spec: FeedForwardSpec, source = 'model'): void {
  const fail = (msg: string): never => {
    throw new FomlabError(`${source}: ${msg}`);
  };
  if (spec.layers.length === 0) fail('has no layers');
  const nIn = spec.layers[0].nIn;
  if (spec.inputNames.length !== nIn) fail(`inputNames has ${spec.inputNames.length} names, layers[0].nIn is ${nIn}`);
  if (spec.inputShift && spec.inputShift.length !== nIn) fail(`inputShift has ${spec.inputShift.length} values, expected ${nIn}`);
  if (spec.inputScale && spec.inputScale.length !== nIn) fail(`inputScale has ${spec.inputScale.length} values, expected ${nIn}`);
  spec.layers.forEach((l, i) => {
    const p = `layers[${i}]`;
    if (!Number.isInteger(l.nIn) || l.nIn < 1 || !Number.isInteger(l.nOut) || l.nOut < 1) fail(`${p}: nIn and nOut must be positive integers`);
    if (i > 0 && l.nIn !== spec.layers[i - 1].nOut) fail(`${p}.nIn is ${l.nIn}, layers[${i - 1}].nOut is ${spec.layers[i - 1].nOut}`);
    if (l.weight.length !== l.nOut * l.nIn) fail(`${p}.weight has ${l.weight.length} values, expected nOut×nIn = ${l.nOut}×${l.nIn}`);
    if (l.bias.length !== l.nOut) fail(`${p}.bias has ${l.bias.length} values, expected nOut = ${l.nOut}`);
    if (!LAYER_ACTIVATIONS.includes(l.activation)) fail(`${p}.activation '${String(l.activation)}' is not one of ${LAYER_ACTIVATIONS.join(', ')}`);
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last.nOut !== 1) fail(`last layer has nOut ${last.nOut}; a score net ends in one output`);
}

/** erf(x) in float64: Maclaurin series for |x| < 2.5, erfc's continued fraction beyond (≲1e-14 relative). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = ax, sum = ax;
    for (let n = 1; n < 60; n++) {
      term *= -(ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc by Lentz's continued fraction for large |x|
  const z = ax;
  let f = z, c = z, d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = z + a * d;
    c = z + a / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

export function activate(a: LayerActivation, v: number): number {
  switch (a) {
    case 'identity': return v;
    case 'tanh': return Math.tanh(v);
    case 'sigmoid': return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    case 'relu': return v > 0 ? v : 0;
    case 'leaky_relu': return v > 0 ? v : LEAKY_RELU_SLOPE * v;
    case 'gelu': return 0.5 * v * (1 + erf(v / Math.SQRT2));
    case 'mish': return v * Math.tanh(v > 20 ? v : Math.log1p(Math.exp(v))); // x·tanh(softplus x), as the kernels
  }
}

/**
 * Reference forward pass: scores of `n` events, `x` row-major n × nIn. Accumulates in float64 and
 * rounds to float32 once per layer output (as a float32 network does).
 */
export function forwardSpec(spec: FeedForwardSpec, x: Float32Array, n: number): Float32Array {
  const nIn = spec.layers[0].nIn;
  if (x.length !== n * nIn) throw new FomlabError(`forwardSpec: x has ${x.length} values, expected n×nIn = ${n}×${nIn}`);
  const out = new Float32Array(n * spec.layers[spec.layers.length - 1].nOut);
  const input = new Float32Array(nIn);
  for (let e = 0; e < n; e++) {
    let cur = input;
    for (let j = 0; j < nIn; j++) {
      let v = x[e * nIn + j];
      if (spec.inputShift) v = Math.fround(v - spec.inputShift[j]);
      if (spec.inputScale) v = Math.fround(v * spec.inputScale[j]);
      cur[j] = v;
    }
    for (const l of spec.layers) {
      const next = new Float32Array(l.nOut);
      for (let o = 0; o < l.nOut; o++) {
        let acc = l.bias[o];
        const row = o * l.nIn;
        for (let i = 0; i < l.nIn; i++) acc += l.weight[row + i] * cur[i];
        next[o] = activate(l.activation, Math.fround(acc));
      }
      cur = next;
    }
    out.set(cur, e * cur.length);
  }
  return out;
}
