/**
 * The event classifier transformer's shape and flat parameter layout, shared by the fused kernel
 * (native/src/transformer.cc and its TypeScript twin ts-transformer.ts) and the model kind.
 *
 * Parameter names are those of the PyTorch module the study's anchor builds
 * (../shared/anchors/torch_etn_bench.py): emb.<f>.0/2 (the per-feature 1-E-D GELU nets), n1, n2, n3
 * (layer norms), mha (self-attention, packed in_proj as torch.nn.MultiheadAttention), ffn.0/2 (the
 * D-FF-D GELU position-wise net), cls (class token), cmha (class attention), out (the logit).
 */
export interface TransformerShape {
  /** input features = feature tokens */
  readonly features: number;
  /** token width d_model */
  readonly dModel: number;
  readonly heads: number;
  /** hidden width of the position-wise feed-forward net */
  readonly ffn: number;
  /** hidden width of each feature's embedding net */
  readonly embedHidden: number;
}

export interface TransformerSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Every parameter in flat-buffer order (the kernels' order; the C++ recomputes these offsets). */
export function transformerLayout(s: TransformerShape): TransformerSlot[] {
  const { features: F, dModel: D, ffn: FF, embedHidden: E } = s;
  const out: TransformerSlot[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): void => {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push({ name, shape, offset, size });
    offset += size;
  };
  for (let f = 0; f < F; f++) {
    add(`emb.${f}.0.weight`, [E, 1]);
    add(`emb.${f}.0.bias`, [E]);
    add(`emb.${f}.2.weight`, [D, E]);
    add(`emb.${f}.2.bias`, [D]);
  }
  const attention = (p: string): void => {
    add(`${p}.in_proj_weight`, [3 * D, D]);
    add(`${p}.in_proj_bias`, [3 * D]);
    add(`${p}.out_proj.weight`, [D, D]);
    add(`${p}.out_proj.bias`, [D]);
  };
  const norm = (p: string): void => {
    add(`${p}.weight`, [D]);
    add(`${p}.bias`, [D]);
  };
  norm('n1');
  attention('mha');
  norm('n2');
  add('ffn.0.weight', [FF, D]);
  add('ffn.0.bias', [FF]);
  add('ffn.2.weight', [D, FF]);
  add('ffn.2.bias', [D]);
  norm('n3');
  add('cls', [1, 1, D]);
  attention('cmha');
  add('out.weight', [1, D]);
  add('out.bias', [1]);
  return out;
}

export function transformerParamCount(s: TransformerShape): number {
  const l = transformerLayout(s);
  const last = l[l.length - 1];
  return last.offset + last.size;
}

/** Offsets of the blocks the kernels read (by the layout above). */
export function transformerOffsets(s: TransformerShape): Record<string, number> {
  return Object.fromEntries(transformerLayout(s).map((p) => [p.name, p.offset]));
}

const dims = new Map<string, Int32Array>();
/** [features, dModel, heads, ffn, embedHidden] as the addon takes it (cached) */
export function transformerDims(s: TransformerShape): Int32Array {
  const key = `${s.features},${s.dModel},${s.heads},${s.ffn},${s.embedHidden}`;
  let d = dims.get(key);
  if (!d) {
    d = Int32Array.from([s.features, s.dModel, s.heads, s.ffn, s.embedHidden]);
    if (dims.size > 64) dims.clear();
    dims.set(key, d);
  }
  return d;
}
