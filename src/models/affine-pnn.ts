/**
 * The `affine-pnn` model kind: a parameterised net whose hidden layers are each followed by an
 * affine-conditioning layer (Anzalone, Diotalevi, Bonacorsi 2022, arXiv:2202.00424, §3.1):
 *   h_l = act(W_l·h_{l−1} + b_l) ⊙ a_l(m) + c_l(m),   a_l(m) = A_l·m + α_l,   c_l(m) = C_l·m + γ_l,
 * with the mass hypothesis m the LAST input column (the `parameterised:` config section adds it,
 * src/train/mass-input.ts) and a sigmoid output. The features enter the first layer without m, so
 * the layers before the mass enters run once per event when scoring many hypotheses (affine-spec.ts).
 *
 * Parameter names: hidden.<l>.weight/bias (nn.Linear), scale.<l>.weight [w,1]/bias (a_l),
 * shift.<l>.weight [w,1]/bias (c_l), output.weight/bias. Initialisation: Kaiming normal dense
 * weights, zero biases (the study's ReLU nets), a_l(m) = 1 + small slope, c_l(m) small: the
 * conditioning starts near the identity.
 */
import { z } from 'zod';
import { ACTIVATIONS, add, indexSelect, kaimingNormal, linear, mul, normal, Rng, slice, zeros, type Activation, type Tensor } from '../core/index.js';
import { oneOf, section } from '../config/section.js';
import { GraphBuilder, activation as onnxActivation, DEFAULT_OPSET, encodeGraph, ONNX_INPUT, ONNX_OUTPUT } from './onnx.js';
import { ATTR_INT } from './onnx-proto.js';
import type { ModelKind, SavedModel, TrainableModel } from './registry.js';
import { checkAffineSpec, forwardAffine, type AffineSpec } from './affine-spec.js';
import { affineSpecFromJson, affineSpecToJson } from './affine-json.js';

const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });
const HIDDEN = ACTIVATIONS.filter((a) => a !== 'identity') as [Activation, ...Activation[]];

export const affinePnnOptionsSchema = section({
  /** hidden widths; the mass-unspecific study's nets are [64, 64] ReLU */
  hidden: z.array(count).min(1).default([64, 64]),
  activation: oneOf(HIDDEN).default('relu'),
});
export type AffinePnnOptions = z.infer<typeof affinePnnOptionsSchema>;

/** The trainable net: inputs [n, features + 1], the mass last. */
export class AffinePNN implements TrainableModel {
  readonly weights: Tensor[] = [];
  readonly biases: Tensor[] = [];
  readonly scaleW: Tensor[] = [];
  readonly scaleB: Tensor[] = [];
  readonly shiftW: Tensor[] = [];
  readonly shiftB: Tensor[] = [];
  readonly outW: Tensor;
  readonly outB: Tensor;

  constructor(readonly nInputs: number, readonly o: AffinePnnOptions, rng: Rng, dtype: 'float32' | 'float64' = 'float32') {
    const p = (shape: number[]): Tensor => zeros(shape, { dtype, requiresGrad: true });
    let nIn = nInputs - 1;
    for (const w of o.hidden) {
      this.weights.push(kaimingNormal(p([w, nIn]), rng));
      this.biases.push(p([w]));
      this.scaleW.push(normal(p([w, 1]), rng, 0, 0.1));
      const sb = p([w]);
      sb.data.fill(1);
      this.scaleB.push(sb);
      this.shiftW.push(normal(p([w, 1]), rng, 0, 0.1));
      this.shiftB.push(p([w]));
      nIn = w;
    }
    this.outW = kaimingNormal(p([1, nIn]), rng);
    this.outB = p([1]);
  }

  namedParameters(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    this.weights.forEach((_, l) => {
      out.push([`hidden.${l}.weight`, this.weights[l]], [`hidden.${l}.bias`, this.biases[l]], [`scale.${l}.weight`, this.scaleW[l]],
        [`scale.${l}.bias`, this.scaleB[l]], [`shift.${l}.weight`, this.shiftW[l]], [`shift.${l}.bias`, this.shiftB[l]]);
    });
    out.push(['output.weight', this.outW], ['output.bias', this.outB]);
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  forward(x: Tensor): Tensor {
    const nIn = this.nInputs;
    let h = slice(x, 1, 0, nIn - 1);
    const m = slice(x, 1, nIn - 1, nIn);
    for (let l = 0; l < this.weights.length; l++) {
      h = linear(h, this.weights[l], this.biases[l], this.o.activation);
      h = add(mul(h, linear(m, this.scaleW[l], this.scaleB[l])), linear(m, this.shiftW[l], this.shiftB[l]));
    }
    return linear(h, this.outW, this.outB, 'sigmoid');
  }

  forwardRows(x: Tensor, rows: Int32Array | null): Tensor {
    return this.forward(rows ? indexSelect(x, 0, rows) : x);
  }
}

/** The plain-data spec of trained parameters (for scoring, files and ONNX). */
export function affineSpecOf(nInputs: number, o: AffinePnnOptions, params: Record<string, Float32Array>, inputNames: string[], shift?: Float32Array, scale?: Float32Array): AffineSpec {
  const get = (k: string, len: number): Float32Array => {
    const v = params[k];
    if (!v || v.length !== len) throw new Error(`parameter ${k} missing or of wrong size in the trained state`);
    return Float32Array.from(v);
  };
  let nIn = nInputs - 1;
  const hidden = o.hidden.map((w, l) => {
    const layer = {
      weight: get(`hidden.${l}.weight`, w * nIn), bias: get(`hidden.${l}.bias`, w), nIn, nOut: w,
      scaleWeight: get(`scale.${l}.weight`, w), scaleBias: get(`scale.${l}.bias`, w), shiftWeight: get(`shift.${l}.weight`, w), shiftBias: get(`shift.${l}.bias`, w),
    };
    nIn = w;
    return layer;
  });
  return { inputNames, activation: o.activation, hidden, outputWeight: get('output.weight', nIn), outputBias: get('output.bias', 1)[0], ...(shift && scale ? { inputShift: shift, inputScale: scale } : {}) };
}

/**
 * ONNX: input `features` [N, features + 1] (mass last, raw), output `score` [N, 1]. The mass
 * column is picked by a MatMul with a one-hot [nIn, 1] column, the features by a MatMul with the
 * first layer's weights padded by a zero column; a(m), c(m) are MatMul [N,1]·[1,w] + bias.
 */
export function encodeAffineOnnx(s: AffineSpec, opset = DEFAULT_OPSET): Uint8Array {
  checkAffineSpec(s);
  const nIn = s.inputNames.length, g = new GraphBuilder();
  let x = ONNX_INPUT;
  if (s.inputShift) x = g.node('Sub', [x, g.tensor('input_shift', s.inputShift, [nIn])]);
  if (s.inputScale) x = g.node('Mul', [x, g.tensor('input_scale', s.inputScale, [nIn])]);
  const pick = new Float32Array(nIn);
  pick[nIn - 1] = 1;
  const m = g.node('MatMul', [x, g.tensor('mass_pick', pick, [nIn, 1])]);
  let h = x;
  s.hidden.forEach((l, i) => {
    // layer 0 reads all inputs with a zero weight on the mass column
    const w = i === 0 ? padMassColumn(l.weight, l.nOut, l.nIn) : l.weight;
    const z = g.node('Gemm', [h, g.tensor(`hidden${i}_weight`, w, [l.nOut, i === 0 ? nIn : l.nIn]), g.tensor(`hidden${i}_bias`, l.bias, [l.nOut])], undefined, [{ name: 'transB', type: ATTR_INT, i: 1 }]);
    const a = g.node('Add', [g.node('MatMul', [m, g.tensor(`scale${i}_weight`, l.scaleWeight, [1, l.nOut])]), g.tensor(`scale${i}_bias`, l.scaleBias, [l.nOut])]);
    const c = g.node('Add', [g.node('MatMul', [m, g.tensor(`shift${i}_weight`, l.shiftWeight, [1, l.nOut])]), g.tensor(`shift${i}_bias`, l.shiftBias, [l.nOut])]);
    h = g.node('Add', [g.node('Mul', [onnxActivation(g, s.activation, z, i, opset), a]), c]);
  });
  const y = g.node('Gemm', [h, g.tensor('output_weight', s.outputWeight, [1, s.outputWeight.length]), g.tensor('output_bias', new Float32Array([s.outputBias]), [1])], undefined, [{ name: 'transB', type: ATTR_INT, i: 1 }]);
  g.node('Sigmoid', [y], ONNX_OUTPUT);
  return encodeGraph(g, { nIn, inputNames: s.inputNames, opset, graphName: 'fomlab_affine_pnn', docString: `affine-conditioned pNN; inputs in this order (mass hypothesis last): ${s.inputNames.join(', ')}` });
}

function padMassColumn(w: Float32Array, nOut: number, nIn: number): Float32Array {
  const out = new Float32Array(nOut * (nIn + 1));
  for (let o = 0; o < nOut; o++) out.set(w.subarray(o * nIn, (o + 1) * nIn), o * (nIn + 1));
  return out;
}

export function savedAffine(s: AffineSpec): SavedModel {
  checkAffineSpec(s);
  return {
    kind: 'affine-pnn',
    inputNames: s.inputNames,
    score: (x, n) => forwardAffine(s, x, n),
    toJson: () => affineSpecToJson(s),
    toOnnx: (opts) => encodeAffineOnnx(s, opts?.opset),
    describe: () => `${s.hidden[0].nIn}+m-${s.hidden.map((l) => l.nOut).join('-')}-1 affine pNN (${s.activation})`,
  };
}

export const affinePnn: ModelKind<AffinePnnOptions> = {
  kind: 'affine-pnn',
  options: affinePnnOptionsSchema,
  build: (nInputs, o, rng) => new AffinePNN(nInputs, o, rng),
  save: (nInputs, o, params, inputNames, shift, scale) => savedAffine(affineSpecOf(nInputs, o, params, inputNames, shift, scale)),
  load: (json, source) => savedAffine(affineSpecFromJson(json, source)),
};
