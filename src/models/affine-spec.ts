/**
 * An affine-conditioned parameterised net (Anzalone, Diotalevi, Bonacorsi 2022, arXiv:2202.00424,
 * "affine-conditioning layer") as plain data, its scoring, and its scoring at many mass hypotheses.
 *
 * Inputs: the features, then the mass hypothesis m as the LAST column (scaled like the features).
 * Each hidden layer l:  h_l = act(W_l·h_{l−1} + b_l) ⊙ a_l(m) + c_l(m),  with a_l(m) = A_l·m + α_l
 * and c_l(m) = C_l·m + γ_l learned linear functions of m (h_0 = the features without m); the output
 * is sigmoid(w·h_L + b).
 *
 * Many hypotheses at once: a_1 and c_1 are linear in m, so the second layer's pre-activation is
 *   z_2(m) = W_2·(h̃_1 ⊙ (A_1 m + α_1) + C_1 m + γ_1) + b_2 = m·u + v,
 *   u = W_2·(h̃_1 ⊙ A_1) + W_2·C_1,   v = W_2·(h̃_1 ⊙ α_1) + W_2·γ_1 + b_2   (h̃_1 = act(W_1 h_0 + b_1)),
 * two vectors per event computed once; each hypothesis then costs O(width) for the second layer
 * instead of O(width²) (layers after the second are computed per hypothesis).
 */
import { FomlabError } from '../core/errors.js';
import type { Activation } from '../core/kernels/types.js';
import { erf } from './spec.js';
import { kernels } from '../core/kernels/index.js';

export interface AffineLayerSpec {
  /** nOut × nIn, row-major (PyTorch nn.Linear.weight) */
  weight: Float32Array;
  bias: Float32Array;
  nIn: number;
  nOut: number;
  /** a(m) = scaleWeight·m + scaleBias, nOut each */
  scaleWeight: Float32Array;
  scaleBias: Float32Array;
  /** c(m) = shiftWeight·m + shiftBias, nOut each */
  shiftWeight: Float32Array;
  shiftBias: Float32Array;
}

export interface AffineSpec {
  /** feature names, then the mass input's name (last) */
  inputNames: string[];
  activation: Activation;
  hidden: AffineLayerSpec[];
  /** the output layer: 1 × last width */
  outputWeight: Float32Array;
  outputBias: number;
  /** scaling x' = (x − shift)·scale per input (mass column included) */
  inputShift?: Float32Array;
  inputScale?: Float32Array;
}

export function act(a: Activation, z: number): number {
  switch (a) {
    case 'relu': return z > 0 ? z : 0;
    case 'tanh': return Math.tanh(z);
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
    case 'leaky_relu': return z > 0 ? z : 0.01 * z;
    case 'identity': return z;
    case 'gelu': return 0.5 * z * (1 + erf(z / Math.SQRT2));
    case 'mish': return z * Math.tanh(Math.log1p(Math.exp(z)));
  }
}

export function checkAffineSpec(s: AffineSpec, source = 'model'): void {
  const fail = (m: string): never => { throw new FomlabError(`${source}: ${m}`); };
  if (s.hidden.length === 0) fail('an affine pNN needs at least one hidden layer');
  if (s.inputNames.length !== s.hidden[0].nIn + 1) fail(`inputNames has ${s.inputNames.length} names, expected the ${s.hidden[0].nIn} features and the mass input`);
  s.hidden.forEach((l, i) => {
    if (i > 0 && l.nIn !== s.hidden[i - 1].nOut) fail(`hidden[${i}].nIn is ${l.nIn}, hidden[${i - 1}].nOut is ${s.hidden[i - 1].nOut}`);
    if (l.weight.length !== l.nIn * l.nOut || l.bias.length !== l.nOut) fail(`hidden[${i}]: weight or bias of wrong size`);
    for (const k of ['scaleWeight', 'scaleBias', 'shiftWeight', 'shiftBias'] as const) if (l[k].length !== l.nOut) fail(`hidden[${i}].${k} has ${l[k].length} values, expected ${l.nOut}`);
  });
  if (s.outputWeight.length !== s.hidden[s.hidden.length - 1].nOut) fail('outputWeight has the wrong size');
  for (const k of ['inputShift', 'inputScale'] as const) if (s[k] && s[k]!.length !== s.inputNames.length) fail(`${k} has ${s[k]!.length} values, expected ${s.inputNames.length}`);
}

/** Dense layer into `out` (float64): out = W·x + b. */
function dense(l: { weight: Float32Array; bias: Float32Array | null; nIn: number; nOut: number }, x: Float64Array, out: Float64Array): void {
  for (let o = 0; o < l.nOut; o++) {
    let s = l.bias ? l.bias[o] : 0;
    const row = o * l.nIn;
    for (let k = 0; k < l.nIn; k++) s += l.weight[row + k] * x[k];
    out[o] = s;
  }
}

/** Scaled inputs of event i: features into f, returns the scaled mass. */
function scaledRow(s: AffineSpec, x: Float32Array, i: number, f: Float64Array): number {
  const nIn = s.inputNames.length;
  const sc = (j: number, v: number): number => (v - (s.inputShift ? s.inputShift[j] : 0)) * (s.inputScale ? s.inputScale[j] : 1);
  for (let j = 0; j < nIn - 1; j++) f[j] = sc(j, x[i * nIn + j]);
  return sc(nIn - 1, x[i * nIn + nIn - 1]);
}

/** Layers from `from` on, starting with h (the output of layer from−1, conditioned), at scaled mass m; returns the probability. */
function rest(s: AffineSpec, from: number, h: Float64Array, m: number, bufs: Float64Array[]): number {
  let cur = h;
  for (let l = from; l < s.hidden.length; l++) {
    const L = s.hidden[l], z = bufs[l];
    dense(L, cur, z);
    for (let o = 0; o < L.nOut; o++) z[o] = act(s.activation, z[o]) * (L.scaleWeight[o] * m + L.scaleBias[o]) + L.shiftWeight[o] * m + L.shiftBias[o];
    cur = z;
  }
  let y = s.outputBias;
  for (let o = 0; o < cur.length; o++) y += s.outputWeight[o] * cur[o];
  return 1 / (1 + Math.exp(-y));
}

const buffers = (s: AffineSpec): Float64Array[] => s.hidden.map((l) => new Float64Array(l.nOut));

/** Scores of n events, x row-major n × (features + mass), raw (unscaled) inputs. */
export function forwardAffine(s: AffineSpec, x: Float32Array, n: number): Float32Array {
  const f = new Float64Array(s.hidden[0].nIn), bufs = buffers(s), out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = scaledRow(s, x, i, f);
    out[i] = rest(s, 0, f, m, bufs);
  }
  return out;
}

/**
 * Scores of n events at each of the raw masses: out[k][i] = score of event i at hypothesis masses[k].
 * `features`: n × (inputs − 1), raw. Per chunk of events the first layer and the second layer's
 * two products U = (h̃_1 ⊙ A_1)·W_2ᵀ, V = (h̃_1 ⊙ α_1)·W_2ᵀ run once (dense kernels); each hypothesis
 * then costs O(width) per event for the second layer (see the file comment), later layers in full.
 */
export function scoreAffineAtMasses(s: AffineSpec, features: Float32Array, n: number, masses: readonly number[], chunk = 4096): Float32Array[] {
  const nf = s.hidden[0].nIn;
  const shift = (j: number): number => (s.inputShift ? s.inputShift[j] : 0), scale = (j: number): number => (s.inputScale ? s.inputScale[j] : 1);
  const ms = masses.map((m) => (m - shift(nf)) * scale(nf));
  const out = masses.map(() => new Float32Array(n));
  const L1 = s.hidden[0], L2 = s.hidden[1];
  const w1 = L1.nOut, w2 = L2 ? L2.nOut : 0;
  // per network: W_2·C_1 and W_2·γ_1 + b_2 (the first conditioning's shift carried through layer 2)
  const w2c = new Float64Array(w2), w2g = new Float64Array(w2);
  if (L2) {
    dense({ ...L2, bias: null }, Float64Array.from(L1.shiftWeight), w2c);
    dense(L2, Float64Array.from(L1.shiftBias), w2g);
  }
  const x = new Float32Array(chunk * nf), h1 = new Float32Array(chunk * w1), ha = new Float32Array(chunk * w1), hg = new Float32Array(chunk * w1);
  const U = new Float32Array(chunk * w2), Vv = new Float32Array(chunk * w2);
  const bufs = buffers(s), row = new Float64Array(Math.max(w1, w2));
  // two hidden layers: y(m) = σ(y0(m) + Σ_o k_o(m)·act(m·U_o + V_o + zc_o(m))), with per hypothesis
  // zc = m·W_2C_1 + W_2γ_1 + b_2, k = w_out ⊙ a_2(m), y0 = b_out + w_out·c_2(m)
  const per = s.hidden.length === 2 ? {
    ms,
    zc: ms.map((m) => Float64Array.from(w2c, (v, o) => m * v + w2g[o])),
    k: ms.map((m) => Float64Array.from({ length: w2 }, (_, o) => s.outputWeight[o] * (L2.scaleWeight[o] * m + L2.scaleBias[o]))),
    y0: ms.map((m) => { let y = s.outputBias; for (let o = 0; o < w2; o++) y += s.outputWeight[o] * (L2.shiftWeight[o] * m + L2.shiftBias[o]); return y; }),
  } : null;
  for (let start = 0; start < n; start += chunk) {
    const c = Math.min(chunk, n - start);
    for (let i = 0; i < c; i++) for (let j = 0; j < nf; j++) x[i * nf + j] = (features[(start + i) * nf + j] - shift(j)) * scale(j);
    kernels.denseForward(x, L1.weight, L1.bias, h1, c, nf, w1, s.activation);
    if (!L2) {
      for (let k = 0; k < ms.length; k++) {
        const m = ms[k];
        for (let i = 0; i < c; i++) {
          const h = row.subarray(0, w1);
          for (let o = 0; o < w1; o++) h[o] = h1[i * w1 + o] * (L1.scaleWeight[o] * m + L1.scaleBias[o]) + L1.shiftWeight[o] * m + L1.shiftBias[o];
          out[k][start + i] = rest(s, 1, h, m, bufs);
        }
      }
      continue;
    }
    for (let i = 0; i < c; i++) for (let o = 0; o < w1; o++) { ha[i * w1 + o] = h1[i * w1 + o] * L1.scaleWeight[o]; hg[i * w1 + o] = h1[i * w1 + o] * L1.scaleBias[o]; }
    kernels.denseForward(ha, L2.weight, null, U, c, w1, w2, 'identity');
    kernels.denseForward(hg, L2.weight, null, Vv, c, w1, w2, 'identity');
    const h2 = bufs[1];
    if (s.hidden.length === 2) {
      lastLayerAtMasses(s, per!, U, Vv, c, start, out);
      continue;
    }
    for (let k = 0; k < ms.length; k++) {
      const m = ms[k];
      for (let i = 0; i < c; i++) {
        for (let o = 0; o < w2; o++) {
          const z = m * (U[i * w2 + o] + w2c[o]) + Vv[i * w2 + o] + w2g[o];
          h2[o] = act(s.activation, z) * (L2.scaleWeight[o] * m + L2.scaleBias[o]) + L2.shiftWeight[o] * m + L2.shiftBias[o];
        }
        out[k][start + i] = rest(s, 2, h2, m, bufs);
      }
    }
  }
  return out;
}

/** The two-layer net's per-hypothesis work over one chunk (events outer, hypotheses inner: U, V rows stay in cache). */
function lastLayerAtMasses(s: AffineSpec, per: { ms: number[]; zc: Float64Array[]; k: Float64Array[]; y0: number[] }, U: Float32Array, V: Float32Array, c: number, start: number, out: Float32Array[]): void {
  const w = s.hidden[1].nOut, relu = s.activation === 'relu';
  for (let i = 0; i < c; i++) {
    const base = i * w;
    for (let h = 0; h < per.ms.length; h++) {
      const m = per.ms[h], zc = per.zc[h], k = per.k[h];
      let y = per.y0[h];
      if (relu) {
        for (let o = 0; o < w; o++) {
          const z = m * U[base + o] + V[base + o] + zc[o];
          if (z > 0) y += k[o] * z;
        }
      } else for (let o = 0; o < w; o++) y += k[o] * act(s.activation, m * U[base + o] + V[base + o] + zc[o]);
      out[h][start + i] = 1 / (1 + Math.exp(-y));
    }
  }
}
