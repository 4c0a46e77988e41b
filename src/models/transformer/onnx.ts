/**
 * ONNX export of the event classifier transformer: input `features` [N, F] raw, output `score` [N, 1].
 * The per-feature embedding nets run as one batched MatMul over the feature axis, attention as
 * MatMul/Softmax over [N, heads, tokens, d_head] (Reshape/Transpose), the layer norms as
 * LayerNormalization (hence opset ≥ 17), GELU as Erf arithmetic (one Gelu node from opset 20), and the
 * class token is Expanded to the batch (Shape/Slice/Concat) and Concatenated before the feature tokens.
 */
import { FomlabError } from '../../core/errors.js';
import { transformerLayout } from '../../core/kernels/transformer-layout.js';
import { activation, DEFAULT_OPSET, encodeGraph, GraphBuilder, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from '../onnx.js';
import { ATTR_FLOAT, ATTR_INT, ATTR_INTS } from '../onnx-proto.js';
import type { TransformerFile } from './kind.js';

export function encodeTransformerOnnx(m: TransformerFile, opts: OnnxExportOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < 17 || opset > 23) throw new FomlabError(`ONNX opset ${opset}: the transformer needs 17 to 23 (LayerNormalization is an operator from opset 17)`);
  const { features: F, dModel: D, heads: H, ffn: FF, embedHidden: E } = m.shape, dh = D / H;
  const slots = new Map(transformerLayout(m.shape).map((s) => [s.name, s]));
  const value = (name: string): Float32Array => { const s = slots.get(name)!; return m.params.subarray(s.offset, s.offset + s.size); };
  /** Wᵀ of a PyTorch Linear weight [out, in] (rows a..b of it), for MatMul(x, Wᵀ) */
  const transposed = (name: string, nOut: number, nIn: number, from = 0): Float32Array => {
    const w = value(name), t = new Float32Array(nOut * nIn);
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) t[i * nOut + o] = w[(from + o) * nIn + i];
    return t;
  };
  const g = new GraphBuilder();
  let gelus = 0;
  const gelu = (x: string): string => activation(g, 'gelu', x, gelus++, opset);
  /** x·Wᵀ + b with W rows [from, from + nOut) of `w` and bias entries likewise */
  const dense = (x: string, w: string, b: string, nIn: number, nOut: number, from = 0): string => {
    const wt = g.tensor(`${w}_T${from}`, transposed(w, nOut, nIn, from), [nIn, nOut]);
    const bias = g.tensor(`${b}_${from}`, value(b).slice(from, from + nOut), [nOut]);
    return g.node('Add', [g.node('MatMul', [x, wt]), bias]);
  };
  const norm = (x: string, p: string): string => g.node('LayerNormalization', [x, g.tensor(`${p}.weight`, value(`${p}.weight`), [D]), g.tensor(`${p}.bias`, value(`${p}.bias`), [D])], undefined,
    [{ name: 'axis', type: ATTR_INT, i: -1 }, { name: 'epsilon', type: ATTR_FLOAT, f: 1e-5 }]);
  const transpose = (x: string, perm: number[]): string => g.node('Transpose', [x], undefined, [{ name: 'perm', type: ATTR_INTS, ints: perm }]);
  const heads = g.int64s('shape_heads', [0, 0, H, dh]), tokens = g.int64s('shape_tokens', [0, 0, D]);
  const scale = g.scalar('attention_scale', 1 / Math.sqrt(dh));
  /** torch.nn.MultiheadAttention(query [N, L, D], kv [N, S, D]) without dropout */
  const attention = (p: string, query: string, kv: string): string => {
    const split = (x: string, part: number): string => g.node('Reshape', [dense(x, `${p}.in_proj_weight`, `${p}.in_proj_bias`, D, D, part * D), heads]);
    const q = transpose(split(query, 0), [0, 2, 1, 3]), kT = transpose(split(kv, 1), [0, 2, 3, 1]), v = transpose(split(kv, 2), [0, 2, 1, 3]);
    const weights = g.node('Softmax', [g.node('Mul', [g.node('MatMul', [q, kT]), scale])], undefined, [{ name: 'axis', type: ATTR_INT, i: -1 }]);
    const ctx = g.node('Reshape', [transpose(g.node('MatMul', [weights, v]), [0, 2, 1, 3]), tokens]);
    return dense(ctx, `${p}.out_proj.weight`, `${p}.out_proj.bias`, D, D);
  };

  let x = ONNX_INPUT;
  if (m.inputShift) x = g.node('Sub', [x, g.tensor('input_shift', m.inputShift, [F])]);
  if (m.inputScale) x = g.node('Mul', [x, g.tensor('input_scale', m.inputScale, [F])]);
  // embedding: a[n, f, j] = gelu(W1_f[j]·x[n, f] + b1_f[j]); e[f, n, :] = a[f, n, :]·W2_fᵀ + b2_f
  const w1 = new Float32Array(F * E), b1 = new Float32Array(F * E), w2t = new Float32Array(F * E * D), b2 = new Float32Array(F * D);
  for (let f = 0; f < F; f++) {
    w1.set(value(`emb.${f}.0.weight`), f * E);
    b1.set(value(`emb.${f}.0.bias`), f * E);
    w2t.set(transposed(`emb.${f}.2.weight`, D, E), f * E * D);
    b2.set(value(`emb.${f}.2.bias`), f * D);
  }
  const x3 = g.node('Unsqueeze', [x, g.int64s('axis_last', [2])]); // [N, F, 1]
  const a = gelu(g.node('Add', [g.node('Mul', [x3, g.tensor('emb_w1', w1, [F, E])]), g.tensor('emb_b1', b1, [F, E])]));
  const e = g.node('Add', [transpose(g.node('MatMul', [transpose(a, [1, 0, 2]), g.tensor('emb_w2T', w2t, [F, E, D])]), [1, 0, 2]), g.tensor('emb_b2', b2, [F, D])]);
  const t1 = norm(e, 'n1');
  const t2 = norm(g.node('Add', [t1, attention('mha', t1, t1)]), 'n2');
  const f2 = dense(gelu(dense(t2, 'ffn.0.weight', 'ffn.0.bias', D, FF)), 'ffn.2.weight', 'ffn.2.bias', FF, D);
  const t3 = norm(g.node('Add', [t2, f2]), 'n3');
  // the class token, one per event: Expand([1, 1, D] → [N, 1, D])
  const nEvents = g.node('Slice', [g.node('Shape', [x]), g.int64s('slice_0', [0]), g.int64s('slice_1', [1])]);
  const clsShape = g.node('Concat', [nEvents, g.int64s('shape_1_D', [1, D])], undefined, [{ name: 'axis', type: ATTR_INT, i: 0 }]);
  const cls = g.node('Expand', [g.tensor('cls', value('cls'), [1, 1, D]), clsShape]);
  const kv = g.node('Concat', [cls, t3], undefined, [{ name: 'axis', type: ATTR_INT, i: 1 }]);
  const z = g.node('Add', [cls, attention('cmha', cls, kv)]); // [N, 1, D]
  const logit = g.node('Reshape', [dense(z, 'out.weight', 'out.bias', D, 1), g.int64s('shape_score', [-1, 1])]);
  g.node('Sigmoid', [logit], ONNX_OUTPUT);
  return encodeGraph(g, {
    nIn: F, inputNames: m.inputNames, opset, graphName: opts.graphName ?? 'fomlab_transformer', metadata: opts.metadata,
    docString: `event classifier transformer (d_model ${D}, ${H} heads); inputs in this order: ${m.inputNames.join(', ')}`,
  });
}
