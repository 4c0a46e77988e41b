/**
 * Multi-head attention as torch.nn.MultiheadAttention(batch_first=True): packed in_proj_weight
 * [3E, E] (Xavier uniform) and in_proj_bias (zeros), out_proj Linear(E, E) with zero bias;
 * softmax(QKᵀ/√d)·V per head (Vaswani et al. 2017), dropout on the attention weights.
 */
import { FomlabError } from '../errors.js';
import { dropout } from '../ops/norm.js';
import { mul } from '../ops/elementwise.js';
import { linear, matmul } from '../ops/linalg.js';
import { softmax } from '../ops/reduce.js';
import { permute, reshape, slice } from '../ops/shape.js';
import type { Rng } from '../rng.js';
import { zeros, type DType, type Tensor } from '../tensor.js';
import { xavierUniform } from './init.js';
import { Linear } from './layers.js';
import { Module } from './module.js';

export interface AttentionOptions {
  bias?: boolean;
  /** dropout on the attention weights (train mode only) */
  dropout?: number;
  dtype?: DType;
}

export class MultiheadAttention extends Module {
  in_proj_weight: Tensor;
  in_proj_bias: Tensor | null;
  out_proj: Linear;
  readonly embedDim: number;
  readonly numHeads: number;
  readonly dropoutP: number;

  constructor(embedDim: number, numHeads: number, private readonly rng: Rng, o: AttentionOptions = {}) {
    super();
    if (embedDim % numHeads !== 0) throw new FomlabError(`MultiheadAttention: embedDim ${embedDim} is not divisible by ${numHeads} heads`);
    const dtype = o.dtype ?? 'float32';
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.dropoutP = o.dropout ?? 0;
    this.in_proj_weight = xavierUniform(zeros([3 * embedDim, embedDim], { dtype, requiresGrad: true }), rng);
    this.in_proj_bias = (o.bias ?? true) ? zeros([3 * embedDim], { dtype, requiresGrad: true }) : null;
    this.out_proj = new Linear(embedDim, embedDim, rng, { dtype, bias: o.bias ?? true });
    if (this.out_proj.bias) this.out_proj.bias.data.fill(0);
  }

  /** Self-attention: attend(x, x, x). */
  forward(x: Tensor): Tensor {
    return this.attend(x, x, x);
  }

  /** query [B, L, E], key and value [B, S, E] → [B, L, E]. */
  attend(query: Tensor, key: Tensor, value: Tensor): Tensor {
    const E = this.embedDim, H = this.numHeads, d = E / H;
    const [B, L] = query.shape, S = key.shape[1];
    const proj = (x: Tensor, part: number, len: number): Tensor => {
      const w = slice(this.in_proj_weight, 0, part * E, (part + 1) * E);
      const b = this.in_proj_bias ? slice(this.in_proj_bias, 0, part * E, (part + 1) * E) : null;
      return permute(reshape(linear(x, w, b), [B, len, H, d]), [0, 2, 1, 3]); // [B, H, len, d]
    };
    const q = proj(query, 0, L), k = proj(key, 1, S), v = proj(value, 2, S);
    let attn = softmax(mul(matmul(q, k, { transposeB: true }), 1 / Math.sqrt(d)), -1); // [B, H, L, S]
    attn = dropout(attn, this.dropoutP, this.rng, this.training);
    const ctx = reshape(permute(matmul(attn, v), [0, 2, 1, 3]), [B, L, E]);
    return this.out_proj.forward(ctx);
  }
}
