/**
 * TypeScript twins of the fused MLP kernels and optimiser steps: layer by layer over blocks of events with the
 * dense twins, forward recomputed in the backward like the native kernel (memory independent of n). Parameters and
 * gradients go through float64 copies so the dense loops see one array type (mixed types made V8 ~2× slower).
 */
import type { AdamOptions, FloatArray, MlpShape, SgdOptions } from './types.js';
import { denseBackward, denseForward } from './ts.js';

const BLOCK = 4096;

function offsets(net: MlpShape): { w: number[]; b: number[] } {
  const w: number[] = [], b: number[] = [];
  let off = 0;
  for (let l = 0; l + 1 < net.sizes.length; l++) {
    w.push(off); off += net.sizes[l] * net.sizes[l + 1];
    b.push(off); off += net.sizes[l + 1];
  }
  return { w, b };
}

/** forward of one block of nb events starting at batch position s; returns activations h[0..L] (h[0] = inputs) */
function forwardBlock(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, s: number, nb: number): Float64Array[] {
  const { w, b } = offsets(net);
  const nIn = net.sizes[0];
  const h0 = new Float64Array(nb * nIn);
  for (let i = 0; i < nb; i++) {
    const r = rows ? rows[s + i] : s + i;
    for (let q = 0; q < nIn; q++) h0[i * nIn + q] = x[r * nIn + q];
  }
  const hs = [h0];
  for (let l = 0; l < net.acts.length; l++) {
    const ni = net.sizes[l], no = net.sizes[l + 1];
    const y = new Float64Array(nb * no);
    denseForward(hs[l], params.subarray(w[l], w[l] + ni * no), params.subarray(b[l], b[l] + no), y, nb, ni, no, net.acts[l]);
    hs.push(y);
  }
  return hs;
}

function backwardBlock(net: MlpShape, params: FloatArray, hs: Float64Array[], dOut: Float64Array, nb: number, grads: FloatArray): void {
  const { w, b } = offsets(net);
  let dy = dOut;
  for (let l = net.acts.length - 1; l >= 0; l--) {
    const ni = net.sizes[l], no = net.sizes[l + 1];
    const dx = l > 0 ? new Float64Array(nb * ni) : null;
    const W = params.subarray(w[l], w[l] + ni * no), bias = params.subarray(b[l], b[l] + no);
    denseBackward(hs[l], W, hs[l + 1], dy, dx, grads.subarray(w[l], w[l] + ni * no), grads.subarray(b[l], b[l] + no), nb, ni, no, net.acts[l], bias);
    if (dx) dy = dx;
  }
}

export function mlpForward(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, out: FloatArray): void {
  params = Float64Array.from(params);
  const nOut = net.sizes[net.sizes.length - 1];
  for (let s = 0; s < n; s += BLOCK) {
    const nb = Math.min(BLOCK, n - s);
    out.set(forwardBlock(net, params, x, rows, s, nb)[net.acts.length], s * nOut);
  }
}

export function mlpBackward(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, dOut: FloatArray, grads: FloatArray): void {
  const nOut = net.sizes[net.sizes.length - 1], p64 = Float64Array.from(params), g64 = new Float64Array(grads.length);
  for (let s = 0; s < n; s += BLOCK) {
    const nb = Math.min(BLOCK, n - s);
    const hs = forwardBlock(net, p64, x, rows, s, nb);
    backwardBlock(net, p64, hs, Float64Array.from(dOut.subarray(s * nOut, (s + nb) * nOut)), nb, g64);
  }
  for (let i = 0; i < g64.length; i++) grads[i] += g64[i];
}

export function mlpBce(net: MlpShape, params: FloatArray, x: FloatArray, rows: Int32Array | null, n: number, target: FloatArray, weight: FloatArray | null, grads: FloatArray, out: FloatArray | null): number {
  if (net.sizes[net.sizes.length - 1] !== 1) throw new Error('mlpBce needs one output');
  const p64 = Float64Array.from(params), g64 = new Float64Array(grads.length);
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += weight ? weight[rows ? rows[i] : i] : 1;
  let loss = 0;
  for (let s = 0; s < n; s += BLOCK) {
    const nb = Math.min(BLOCK, n - s);
    const hs = forwardBlock(net, p64, x, rows, s, nb);
    const p = hs[net.acts.length], d = new Float64Array(nb);
    for (let i = 0; i < nb; i++) {
      const r = rows ? rows[s + i] : s + i, t = target[r], w = weight ? weight[r] : 1, pi = p[i], q = 1 - pi;
      loss -= w * (t * Math.max(Math.log(pi), -100) + (1 - t) * Math.max(Math.log(q), -100));
      d[i] = (w * (pi - t)) / Math.max(pi * q, 1e-12) / wSum;
    }
    if (out) out.set(p, s);
    backwardBlock(net, p64, hs, d, nb, g64);
  }
  for (let i = 0; i < g64.length; i++) grads[i] += g64[i];
  return loss / wSum;
}

export function gatherRows(src: FloatArray, rowLen: number, rows: Int32Array, out: FloatArray): void {
  if (rowLen === 1) { for (let i = 0; i < rows.length; i++) out[i] = src[rows[i]]; return; }
  for (let i = 0, d = 0; i < rows.length; i++) {
    const s = rows[i] * rowLen;
    for (let j = 0; j < rowLen; j++) out[d++] = src[s + j];
  }
}

export function sgdStep(params: FloatArray, grads: FloatArray, velocity: FloatArray | null, opt: SgdOptions): void {
  const mom = opt.momentum ?? 0, damp = opt.dampening ?? 0, wd = opt.weightDecay ?? 0, lr = opt.lr;
  for (let i = 0; i < params.length; i++) {
    let d = grads[i] + wd * params[i];
    if (velocity && mom !== 0) {
      const v = opt.firstStep ? d : mom * velocity[i] + (1 - damp) * d;
      velocity[i] = v;
      d = opt.nesterov ? d + mom * v : v;
    }
    params[i] -= lr * d;
  }
}

export function adamStep(params: FloatArray, grads: FloatArray, m: FloatArray, v: FloatArray, step: number, opt: AdamOptions): void {
  const b1 = opt.beta1 ?? 0.9, b2 = opt.beta2 ?? 0.999, eps = opt.eps ?? 1e-8, wd = opt.weightDecay ?? 0, lr = opt.lr;
  const bc1 = 1 - Math.pow(b1, step), sbc2 = Math.sqrt(1 - Math.pow(b2, step));
  const decay = opt.decoupled ? 1 - lr * wd : 1, l2 = opt.decoupled ? 0 : wd;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i] + l2 * params[i];
    const mi = b1 * m[i] + (1 - b1) * g, vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi; v[i] = vi;
    params[i] = params[i] * decay - (lr / bc1) * mi / (Math.sqrt(vi) / sbc2 + eps);
  }
}
