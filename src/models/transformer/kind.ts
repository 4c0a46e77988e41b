/**
 * The `transformer` model kind: the event classifier transformer of the H → Zγ study (one token per
 * feature from its own 1-E-D GELU net, self-attention, position-wise FFN, class-token attention,
 * sigmoid; ../shared/anchors/torch_etn_bench.py layer for layer), trained by the fused kernels.
 *
 *   model: {kind: transformer, dModel: 16, heads: 4, ffn: 64, embedHidden: 4, dropout: 0.1}
 *
 * Its model file (tagged `kind: transformer`, format fomlab.transformer/1) holds the shape, the
 * parameters by their PyTorch names and the feature scaling; ONNX export in onnx.ts.
 */
import { z } from 'zod';
import { FomlabError } from '../../core/errors.js';
import { kernels } from '../../core/kernels/index.js';
import { transformerLayout, transformerParamCount, type TransformerShape } from '../../core/kernels/transformer-layout.js';
import { numberBetween, section } from '../../config/section.js';
import type { ModelKind, SavedModel } from '../registry.js';
import { TransformerNet } from './net.js';
import { encodeTransformerOnnx } from './onnx.js';

const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });

export const transformerOptionsSchema = section({
  /** token width d_model (the study: 16) */
  dModel: count.default(16),
  /** attention heads; must divide dModel */
  heads: count.default(4),
  /** hidden width of the position-wise feed-forward net */
  ffn: count.default(64),
  /** hidden width of each feature's embedding net (1 → embedHidden → dModel) */
  embedHidden: count.default(4),
  /** dropout on the attention weights and before the residual sums (training only) */
  dropout: numberBetween(0, 0.9, 'a dropout probability').default(0.1),
}).refine((o) => o.dModel % o.heads === 0, { message: 'heads must divide dModel (each head gets dModel/heads of the token)', path: ['heads'] });
export type TransformerOptions = z.infer<typeof transformerOptionsSchema>;

export const TRANSFORMER_JSON_FORMAT = 'fomlab.transformer/1';

export function transformerShape(nFeatures: number, o: Omit<TransformerOptions, 'dropout'>): TransformerShape {
  return { features: nFeatures, dModel: o.dModel, heads: o.heads, ffn: o.ffn, embedHidden: o.embedHidden };
}

/** A trained transformer with its feature scaling: what a model file holds. */
export interface TransformerFile {
  inputNames: string[];
  shape: TransformerShape;
  /** flat, in the kernels' layout */
  params: Float32Array;
  inputShift?: Float32Array;
  inputScale?: Float32Array;
}

/** Scores of n events, x raw (n × features): scaled, then the network without dropout. */
export function scoreTransformer(m: TransformerFile, x: Float32Array, n: number): Float32Array {
  const F = m.shape.features;
  if (x.length !== n * F) throw new FomlabError(`transformer: x has ${x.length} values, expected n×features = ${n}×${F}`);
  const xs = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % F;
    xs[i] = m.inputScale ? (x[i] - (m.inputShift ? m.inputShift[j] : 0)) * m.inputScale[j] : x[i] - (m.inputShift ? m.inputShift[j] : 0);
  }
  const out = new Float32Array(n);
  kernels.transformerForward(m.shape, m.params, xs, null, n, null, out);
  return out;
}

function savedTransformer(m: TransformerFile): SavedModel {
  const s = m.shape;
  return {
    kind: 'transformer',
    inputNames: m.inputNames,
    score: (x, n) => scoreTransformer(m, x, n),
    toJson: () => ({
      kind: 'transformer', format: TRANSFORMER_JSON_FORMAT, inputNames: m.inputNames,
      shape: { dModel: s.dModel, heads: s.heads, ffn: s.ffn, embedHidden: s.embedHidden },
      params: Object.fromEntries(transformerLayout(s).map((p) => [p.name, Array.from(m.params.subarray(p.offset, p.offset + p.size))])),
      ...(m.inputShift ? { inputShift: Array.from(m.inputShift) } : {}),
      ...(m.inputScale ? { inputScale: Array.from(m.inputScale) } : {}),
    }),
    toOnnx: (opts) => encodeTransformerOnnx(m, opts),
    describe: () => `${s.features}-feature transformer (d_model ${s.dModel}, ${s.heads} heads, ffn ${s.ffn}, embedding 1-${s.embedHidden}-${s.dModel})`,
  };
}

/** A model file's JSON as a TransformerFile; errors name `source` and the field. */
export function transformerFromJson(o: Record<string, unknown>, source: string): TransformerFile {
  const fail = (path: string, msg: string): never => { throw new FomlabError(`${source}: ${path} ${msg}`); };
  const floats = (v: unknown, path: string, len: number): Float32Array => {
    if (!Array.isArray(v)) return fail(path, v === undefined ? 'is missing' : 'must be an array of numbers');
    if (v.length !== len) fail(path, `has ${v.length} values, expected ${len}`);
    const out = new Float32Array(len);
    v.forEach((x, i) => { if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${path}[${i}]`, `must be a finite number, got ${JSON.stringify(x)}`); out[i] = x as number; });
    return out;
  };
  if (!Array.isArray(o.inputNames) || o.inputNames.some((n) => typeof n !== 'string')) fail('inputNames', o.inputNames === undefined ? 'is missing' : 'must be an array of strings');
  const inputNames = o.inputNames as string[];
  const parsed = transformerOptionsSchema.safeParse(o.shape ?? {});
  if (typeof o.shape !== 'object' || o.shape === null) fail('shape', 'is missing (an object with dModel, heads, ffn, embedHidden)');
  if (!parsed.success) fail('shape', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const shape = transformerShape(inputNames.length, parsed.data!);
  if (typeof o.params !== 'object' || o.params === null) fail('params', 'is missing');
  const params = new Float32Array(transformerParamCount(shape)), p = o.params as Record<string, unknown>;
  for (const slot of transformerLayout(shape)) params.set(floats(p[slot.name], `params.${slot.name}`, slot.size), slot.offset);
  const F = inputNames.length;
  return {
    inputNames, shape, params,
    ...(o.inputShift !== undefined ? { inputShift: floats(o.inputShift, 'inputShift', F) } : {}),
    ...(o.inputScale !== undefined ? { inputScale: floats(o.inputScale, 'inputScale', F) } : {}),
  };
}

export const transformer: ModelKind<TransformerOptions> = {
  kind: 'transformer',
  options: transformerOptionsSchema as unknown as z.ZodType<TransformerOptions>,
  build: (nFeatures, o, rng) => new TransformerNet(transformerShape(nFeatures, o), o.dropout, rng),
  save(nFeatures, o, state, inputNames, shift, scale) {
    const shape = transformerShape(nFeatures, o), params = new Float32Array(transformerParamCount(shape));
    for (const slot of transformerLayout(shape)) {
      const p = state[slot.name];
      if (!p || p.length !== slot.size) throw new FomlabError(`parameter ${slot.name} missing or of wrong size in the trained state (model: in the config)`);
      params.set(p, slot.offset);
    }
    return savedTransformer({ inputNames, shape, params, ...(shift && scale ? { inputShift: shift, inputScale: scale } : {}) });
  },
  load: (json, source) => savedTransformer(transformerFromJson(json, source)),
};
