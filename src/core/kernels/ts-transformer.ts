/**
 * TypeScript twin of native/src/transformer.cc: the event classifier transformer (one token per
 * feature; Vaswani et al. 2017 attention; the class-token read-out of CaiT, Touvron et al. 2021)
 * forward and backward, one event at a time, all parameters in one flat buffer (transformer-layout.ts).
 *
 * Per event, with T feature tokens of width D:
 *   e_f   = W2_f·gelu(W1_f x_f + b1_f) + b2_f                       (feature embedding)
 *   t1    = LN1(e)                                                   (layer norm, eps 1e-5)
 *   t2    = LN2(t1 + drop(MHA(t1, t1, t1)))                          (attention weights dropped too)
 *   t3    = LN3(t2 + drop(W_b·gelu(W_a t2 + b_a) + b_b))             (position-wise FFN)
 *   z     = cls + MHA_c(cls, [cls; t3], [cls; t3])                   (class attention, its weights dropped)
 *   y     = sigmoid(w·z + b)
 * exactly as ../shared/anchors/torch_etn_bench.py (PyTorch, batch_first MultiheadAttention).
 *
 * Dropout masks come from a counter hash of (seed, event row, draw index), so forward and backward
 * (which recomputes the forward) see the same mask, whatever the batch or thread split.
 */
import { erf } from './activations.js';
import type { DropoutDraw, FloatArray } from './types.js';
import { transformerOffsets, type TransformerShape } from './transformer-layout.js';


const SQRT1_2 = Math.SQRT1_2, INV_SQRT_2PI = 0.3989422804014327, EPS = 1e-5;
const gelu = (a: number): number => 0.5 * a * (1 + erf(a * SQRT1_2));
const geluGrad = (a: number): number => 0.5 * (1 + erf(a * SQRT1_2)) + a * INV_SQRT_2PI * Math.exp(-0.5 * a * a);

/** murmur3's 32-bit finaliser */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
/** the key of one event's dropout draws */
export const eventKey = (seed: number, row: number): number => fmix32((seed ^ Math.imul(row, 0x9e3779b1)) >>> 0);

/** fills m with 0 (dropped) or 1/(1−p) (kept), draws counter, counter+1, …; returns the next counter */
function fillMask(m: Float64Array, d: DropoutDraw | null, key: number, counter: number): number {
  if (!d || d.p <= 0) { m.fill(1); return counter; }
  const threshold = Math.round(d.p * 16777216), keep = Math.fround(1 / (1 - d.p));
  for (let i = 0; i < m.length; i++) m[i] = fmix32((key + Math.imul(counter + i, 0x632be5ab)) >>> 0) >>> 8 >= threshold ? keep : 0;
  return counter + m.length;
}

/** Layer norm of rows of width D: y = γ·x̂ + β, keeps x̂ and 1/σ (biased variance, as PyTorch). */
function layerNorm(x: Float64Array, y: Float64Array, xh: Float64Array, rs: Float64Array, P: FloatArray, g: number, b: number, rowsN: number, D: number): void {
  for (let t = 0; t < rowsN; t++) {
    let mu = 0, v = 0;
    for (let d = 0; d < D; d++) mu += x[t * D + d];
    mu /= D;
    for (let d = 0; d < D; d++) v += (x[t * D + d] - mu) ** 2;
    const r = 1 / Math.sqrt(v / D + EPS);
    rs[t] = r;
    for (let d = 0; d < D; d++) {
      const h = (x[t * D + d] - mu) * r;
      xh[t * D + d] = h;
      y[t * D + d] = P[g + d] * h + P[b + d];
    }
  }
}

/** dx = (1/σ)(dx̂ − mean dx̂ − x̂·mean(dx̂·x̂)), dx̂ = dy·γ; accumulates dγ, dβ (dy is overwritten with dx) */
function layerNormBack(dy: Float64Array, xh: Float64Array, rs: Float64Array, P: FloatArray, g: number, b: number, G: Float64Array, rowsN: number, D: number): void {
  for (let t = 0; t < rowsN; t++) {
    let m1 = 0, m2 = 0;
    for (let d = 0; d < D; d++) {
      const i = t * D + d, dxh = dy[i] * P[g + d];
      G[g + d] += dy[i] * xh[i];
      G[b + d] += dy[i];
      m1 += dxh;
      m2 += dxh * xh[i];
    }
    m1 /= D;
    m2 /= D;
    for (let d = 0; d < D; d++) {
      const i = t * D + d;
      dy[i] = rs[t] * (dy[i] * P[g + d] - m1 - xh[i] * m2);
    }
  }
}

/** y[r, o] = b[o] + Σ_d W[o, d]·x[r, d] for rows r (W at w, nOut × nIn) */
function affine(x: Float64Array, xo: number, P: FloatArray, w: number, b: number, y: Float64Array, yo: number, rowsN: number, nIn: number, nOut: number, yStride = nOut): void {
  for (let r = 0; r < rowsN; r++) {
    for (let o = 0; o < nOut; o++) {
      let s = P[b + o];
      for (let d = 0; d < nIn; d++) s += P[w + o * nIn + d] * x[xo + r * nIn + d];
      y[yo + r * yStride + o] = s;
    }
  }
}

/** backward of affine: dW += dyᵀx, db += Σ dy, dx (+)= dy·W */
function affineBack(x: Float64Array, xo: number, dy: Float64Array, dyo: number, P: FloatArray, w: number, b: number, G: Float64Array, dx: Float64Array | null, dxo: number, rowsN: number, nIn: number, nOut: number, dyStride = nOut): void {
  for (let r = 0; r < rowsN; r++) {
    for (let o = 0; o < nOut; o++) {
      const g = dy[dyo + r * dyStride + o];
      G[b + o] += g;
      for (let d = 0; d < nIn; d++) {
        G[w + o * nIn + d] += g * x[xo + r * nIn + d];
        if (dx) dx[dxo + r * nIn + d] += g * P[w + o * nIn + d];
      }
    }
  }
}

/** One event's activations (the forward's record the backward reads). */
class EventState {
  readonly o: Record<string, number>;
  readonly x: Float64Array; ea: Float64Array; eg: Float64Array; e0: Float64Array;
  t1: Float64Array; xh1: Float64Array; rs1: Float64Array;
  qkv: Float64Array; p: Float64Array; m1: Float64Array; ctx: Float64Array; a: Float64Array; m2: Float64Array;
  r2: Float64Array; t2: Float64Array; xh2: Float64Array; rs2: Float64Array;
  u: Float64Array; gu: Float64Array; fo: Float64Array; m3: Float64Array; r3: Float64Array; t3: Float64Array; xh3: Float64Array; rs3: Float64Array;
  kv: Float64Array; cq: Float64Array; ckv: Float64Array; cp: Float64Array; m4: Float64Array; cctx: Float64Array; z: Float64Array;
  y = 0;
  constructor(readonly s: TransformerShape) {
    const { features: T, dModel: D, heads: H, ffn: FF, embedHidden: E } = s, T1 = T + 1;
    this.o = transformerOffsets(s);
    const f = (n: number): Float64Array => new Float64Array(n);
    this.x = f(T); this.ea = f(T * E); this.eg = f(T * E); this.e0 = f(T * D);
    this.t1 = f(T * D); this.xh1 = f(T * D); this.rs1 = f(T);
    this.qkv = f(T * 3 * D); this.p = f(H * T * T); this.m1 = f(H * T * T); this.ctx = f(T * D); this.a = f(T * D); this.m2 = f(T * D);
    this.r2 = f(T * D); this.t2 = f(T * D); this.xh2 = f(T * D); this.rs2 = f(T);
    this.u = f(T * FF); this.gu = f(T * FF); this.fo = f(T * D); this.m3 = f(T * D); this.r3 = f(T * D); this.t3 = f(T * D); this.xh3 = f(T * D); this.rs3 = f(T);
    this.kv = f(T1 * D); this.cq = f(D); this.ckv = f(T1 * 2 * D); this.cp = f(H * T1); this.m4 = f(H * T1); this.cctx = f(D); this.z = f(D);
  }
}

/** softmax over keys of scale·q_i·k_j per head: p[h, i, j]; q rows at qs, k rows at ks (stride qStride / kStride) */
function attentionWeights(q: Float64Array, qStride: number, k: Float64Array, kStride: number, koff: number, p: Float64Array, H: number, dh: number, L: number, S: number): void {
  const scale = 1 / Math.sqrt(dh);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < L; i++) {
      const row = (h * L + i) * S;
      let mx = -Infinity;
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let c = 0; c < dh; c++) s += q[i * qStride + h * dh + c] * k[j * kStride + koff + h * dh + c];
        p[row + j] = s * scale;
        if (p[row + j] > mx) mx = p[row + j];
      }
      let sum = 0;
      for (let j = 0; j < S; j++) { p[row + j] = Math.exp(p[row + j] - mx); sum += p[row + j]; }
      for (let j = 0; j < S; j++) p[row + j] /= sum;
    }
  }
}

/** The forward of one event (row `row` of x), recording what the backward needs; returns y. */
function forwardEvent(ev: EventState, P: FloatArray, x: FloatArray, row: number, drop: DropoutDraw | null): number {
  const { features: T, dModel: D, heads: H, ffn: FF, embedHidden: E } = ev.s, T1 = T + 1, dh = D / H, o = ev.o;
  const key = drop ? eventKey(drop.seed, row) : 0;
  for (let f = 0; f < T; f++) {
    const xv = x[row * T + f], w1 = o[`emb.${f}.0.weight`], b1 = w1 + E;
    ev.x[f] = xv;
    for (let j = 0; j < E; j++) {
      const a = P[w1 + j] * xv + P[b1 + j];
      ev.ea[f * E + j] = a;
      ev.eg[f * E + j] = gelu(a);
    }
    affine(ev.eg, f * E, P, o[`emb.${f}.2.weight`], o[`emb.${f}.2.bias`], ev.e0, f * D, 1, E, D);
  }
  layerNorm(ev.e0, ev.t1, ev.xh1, ev.rs1, P, o['n1.weight'], o['n1.bias'], T, D);
  // self-attention: qkv rows [q | k | v], weights p[h, i, j], dropout on the weights
  affine(ev.t1, 0, P, o['mha.in_proj_weight'], o['mha.in_proj_bias'], ev.qkv, 0, T, D, 3 * D);
  attentionWeights(ev.qkv, 3 * D, ev.qkv, 3 * D, D, ev.p, H, dh, T, T);
  let counter = fillMask(ev.m1, drop, key, 0);
  ev.ctx.fill(0);
  for (let h = 0; h < H; h++)
    for (let i = 0; i < T; i++)
      for (let j = 0; j < T; j++) {
        const pm = ev.p[(h * T + i) * T + j] * ev.m1[(h * T + i) * T + j];
        for (let c = 0; c < dh; c++) ev.ctx[i * D + h * dh + c] += pm * ev.qkv[j * 3 * D + 2 * D + h * dh + c];
      }
  affine(ev.ctx, 0, P, o['mha.out_proj.weight'], o['mha.out_proj.bias'], ev.a, 0, T, D, D);
  counter = fillMask(ev.m2, drop, key, counter);
  for (let i = 0; i < T * D; i++) ev.r2[i] = ev.t1[i] + ev.a[i] * ev.m2[i];
  layerNorm(ev.r2, ev.t2, ev.xh2, ev.rs2, P, o['n2.weight'], o['n2.bias'], T, D);
  // position-wise feed-forward net
  affine(ev.t2, 0, P, o['ffn.0.weight'], o['ffn.0.bias'], ev.u, 0, T, D, FF);
  for (let i = 0; i < T * FF; i++) ev.gu[i] = gelu(ev.u[i]);
  affine(ev.gu, 0, P, o['ffn.2.weight'], o['ffn.2.bias'], ev.fo, 0, T, FF, D);
  counter = fillMask(ev.m3, drop, key, counter);
  for (let i = 0; i < T * D; i++) ev.r3[i] = ev.t2[i] + ev.fo[i] * ev.m3[i];
  layerNorm(ev.r3, ev.t3, ev.xh3, ev.rs3, P, o['n3.weight'], o['n3.bias'], T, D);
  // class attention: the class token queries [cls; t3]
  const cls = o.cls, wIn = o['cmha.in_proj_weight'], bIn = o['cmha.in_proj_bias'];
  for (let d = 0; d < D; d++) ev.kv[d] = P[cls + d];
  ev.kv.set(ev.t3, D);
  affine(ev.kv, 0, P, wIn, bIn, ev.cq, 0, 1, D, D);
  affine(ev.kv, 0, P, wIn + D * D, bIn + D, ev.ckv, 0, T1, D, 2 * D);
  attentionWeights(ev.cq, D, ev.ckv, 2 * D, 0, ev.cp, H, dh, 1, T1);
  fillMask(ev.m4, drop, key, counter);
  ev.cctx.fill(0);
  for (let h = 0; h < H; h++)
    for (let j = 0; j < T1; j++) {
      const pm = ev.cp[h * T1 + j] * ev.m4[h * T1 + j];
      for (let c = 0; c < dh; c++) ev.cctx[h * dh + c] += pm * ev.ckv[j * 2 * D + D + h * dh + c];
    }
  affine(ev.cctx, 0, P, o['cmha.out_proj.weight'], o['cmha.out_proj.bias'], ev.z, 0, 1, D, D);
  let logit = P[o['out.bias']];
  for (let d = 0; d < D; d++) {
    ev.z[d] += P[cls + d];
    logit += P[o['out.weight'] + d] * ev.z[d];
  }
  ev.y = logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
  return ev.y;
}

/** attention backward for one head block: from dctx and the weights to dq, dk, dv (dropout mask m) */
function attentionBack(ev: { p: Float64Array; m: Float64Array }, q: Float64Array, qStride: number, kv: Float64Array, kStride: number, kOff: number, vOff: number, dctx: Float64Array, dq: Float64Array, dkv: Float64Array, H: number, dh: number, L: number, S: number, D: number): void {
  const scale = 1 / Math.sqrt(dh), dp = new Float64Array(S);
  for (let h = 0; h < H; h++)
    for (let i = 0; i < L; i++) {
      const row = (h * L + i) * S;
      let dot = 0;
      for (let j = 0; j < S; j++) {
        let g = 0;
        for (let c = 0; c < dh; c++) {
          g += dctx[i * D + h * dh + c] * kv[j * kStride + vOff + h * dh + c];
          dkv[j * kStride + vOff + h * dh + c] += ev.p[row + j] * ev.m[row + j] * dctx[i * D + h * dh + c];
        }
        dp[j] = g * ev.m[row + j];
        dot += dp[j] * ev.p[row + j];
      }
      for (let j = 0; j < S; j++) {
        const ds = ev.p[row + j] * (dp[j] - dot) * scale;
        for (let c = 0; c < dh; c++) {
          dq[i * qStride + h * dh + c] += ds * kv[j * kStride + kOff + h * dh + c];
          dkv[j * kStride + kOff + h * dh + c] += ds * q[i * qStride + h * dh + c];
        }
      }
    }
}

/** Backward of one event from gl = ∂L/∂logit, after its forwardEvent; adds ∂L/∂θ into G. */
function backwardEvent(ev: EventState, P: FloatArray, gl: number, G: Float64Array): void {
  const { features: T, dModel: D, heads: H, ffn: FF, embedHidden: E } = ev.s, T1 = T + 1, dh = D / H, o = ev.o;
  const cls = o.cls, wIn = o['cmha.in_proj_weight'], bIn = o['cmha.in_proj_bias'];
  const dz = new Float64Array(D);
  G[o['out.bias']] += gl;
  for (let d = 0; d < D; d++) {
    G[o['out.weight'] + d] += gl * ev.z[d];
    dz[d] = gl * P[o['out.weight'] + d];
    G[cls + d] += dz[d]; // z = cls + class attention
  }
  const dcctx = new Float64Array(D);
  affineBack(ev.cctx, 0, dz, 0, P, o['cmha.out_proj.weight'], o['cmha.out_proj.bias'], G, dcctx, 0, 1, D, D);
  const dcq = new Float64Array(D), dckv = new Float64Array(T1 * 2 * D);
  attentionBack({ p: ev.cp, m: ev.m4 }, ev.cq, D, ev.ckv, 2 * D, 0, D, dcctx, dcq, dckv, H, dh, 1, T1, D);
  const dkv = new Float64Array(T1 * D);
  affineBack(ev.kv, 0, dcq, 0, P, wIn, bIn, G, dkv, 0, 1, D, D);
  affineBack(ev.kv, 0, dckv, 0, P, wIn + D * D, bIn + D, G, dkv, 0, T1, D, 2 * D);
  for (let d = 0; d < D; d++) G[cls + d] += dkv[d];
  // LN3 → residual and FFN
  const dr = dkv.slice(D); // ∂L/∂t3
  layerNormBack(dr, ev.xh3, ev.rs3, P, o['n3.weight'], o['n3.bias'], G, T, D);
  const dt2 = Float64Array.from(dr), dfo = new Float64Array(T * D);
  for (let i = 0; i < T * D; i++) dfo[i] = dr[i] * ev.m3[i];
  const dgu = new Float64Array(T * FF);
  affineBack(ev.gu, 0, dfo, 0, P, o['ffn.2.weight'], o['ffn.2.bias'], G, dgu, 0, T, FF, D);
  for (let i = 0; i < T * FF; i++) dgu[i] *= geluGrad(ev.u[i]);
  affineBack(ev.t2, 0, dgu, 0, P, o['ffn.0.weight'], o['ffn.0.bias'], G, dt2, 0, T, D, FF);
  // LN2 → residual and self-attention
  layerNormBack(dt2, ev.xh2, ev.rs2, P, o['n2.weight'], o['n2.bias'], G, T, D);
  const dt1 = Float64Array.from(dt2), da = new Float64Array(T * D);
  for (let i = 0; i < T * D; i++) da[i] = dt2[i] * ev.m2[i];
  const dctx = new Float64Array(T * D);
  affineBack(ev.ctx, 0, da, 0, P, o['mha.out_proj.weight'], o['mha.out_proj.bias'], G, dctx, 0, T, D, D);
  const dqkv = new Float64Array(T * 3 * D);
  attentionBack({ p: ev.p, m: ev.m1 }, ev.qkv, 3 * D, ev.qkv, 3 * D, D, 2 * D, dctx, dqkv, dqkv, H, dh, T, T, D);
  affineBack(ev.t1, 0, dqkv, 0, P, o['mha.in_proj_weight'], o['mha.in_proj_bias'], G, dt1, 0, T, D, 3 * D);
  layerNormBack(dt1, ev.xh1, ev.rs1, P, o['n1.weight'], o['n1.bias'], G, T, D);
  // embedding nets
  const deg = new Float64Array(E);
  for (let f = 0; f < T; f++) {
    deg.fill(0);
    const w1 = o[`emb.${f}.0.weight`], b1 = w1 + E;
    affineBack(ev.eg, f * E, dt1, f * D, P, o[`emb.${f}.2.weight`], o[`emb.${f}.2.bias`], G, deg, 0, 1, E, D);
    for (let j = 0; j < E; j++) {
      const g = deg[j] * geluGrad(ev.ea[f * E + j]);
      G[w1 + j] += g * ev.x[f];
      G[b1 + j] += g;
    }
  }
}

const rowOf = (rows: Int32Array | null, i: number): number => (rows ? rows[i] : i);

/** Outputs y of n events (rows of x, [events, features] row-major). */
export function transformerForward(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, out: FloatArray): void {
  const ev = new EventState(s);
  for (let i = 0; i < n; i++) out[i] = forwardEvent(ev, params, x, rowOf(rows, i), drop);
}

/** Adds ∂L/∂θ into grads given dOut = ∂L/∂y per event (the forward is recomputed with the same dropout). */
export function transformerBackward(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, dOut: FloatArray, grads: FloatArray): void {
  const ev = new EventState(s), G = new Float64Array(grads.length);
  for (let i = 0; i < n; i++) {
    const y = forwardEvent(ev, params, x, rowOf(rows, i), drop);
    backwardEvent(ev, params, dOut[i] * y * (1 - y), G);
  }
  for (let i = 0; i < G.length; i++) grads[i] += G[i];
}

/** Forward + weighted BCE (Σ w·ℓ / Σ w, PyTorch's log clamp at −100) + backward; returns the loss. */
export function transformerBce(s: TransformerShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, drop: DropoutDraw | null, target: FloatArray, weight: FloatArray | null, grads: FloatArray, out: FloatArray | null): number {
  const ev = new EventState(s), G = new Float64Array(grads.length);
  let wSum = 0, loss = 0;
  for (let i = 0; i < n; i++) wSum += weight ? weight[rowOf(rows, i)] : 1;
  for (let i = 0; i < n; i++) {
    const r = rowOf(rows, i), t = target[r], w = weight ? weight[r] : 1;
    const y = forwardEvent(ev, params, x, r, drop), q = 1 - y;
    if (out) out[i] = y;
    loss -= w * (t * Math.max(Math.log(y), -100) + (1 - t) * Math.max(Math.log(q), -100));
    // ∂ℓ/∂y = (y − t)/max(y(1−y), 1e-12) (PyTorch's BCE backward), times ∂y/∂logit = y(1−y)
    backwardEvent(ev, params, ((w * (y - t)) / Math.max(y * q, 1e-12) / wSum) * y * q, G);
  }
  for (let i = 0; i < G.length; i++) grads[i] += G[i];
  return loss / wSum;
}
