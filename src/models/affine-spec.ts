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
 * `features`: n × (inputs − 1), raw. The first layer and the second layer's two matrix products
 * run once per event (see the file comment); the per-hypothesis work is O(width) for a two-layer net.
 */
export function scoreAffineAtMasses(s: AffineSpec, features: Float32Array, n: number, masses: readonly number[]): Float32Array[] {
  const nf = s.hidden[0].nIn, nIn = nf + 1;
  const mShift = s.inputShift ? s.inputShift[nf] : 0, mScale = s.inputScale ? s.inputScale[nf] : 1;
  const ms = masses.map((m) => (m - mShift) * mScale);
  const out = masses.map(() => new Float32Array(n));
  const L1 = s.hidden[0], L2 = s.hidden[1];
  const row = new Float32Array(nIn), f = new Float64Array(nf), h1 = new Float64Array(L1.nOut), bufs = buffers(s);
  // per network: W_2·C_1 and W_2·γ_1 + b_2 (the conditioning's shift through layer 2)
  const w2c = new Float64Array(L2 ? L2.nOut : 0), w2g = new Float64Array(L2 ? L2.nOut : 0);
  if (L2) {
    dense({ ...L2, bias: null }, Float64Array.from(L1.shiftWeight), w2c);
    dense(L2, Float64Array.from(L1.shiftBias), w2g);
  }
  const ha = new Float64Array(L1.nOut), hg = new Float64Array(L1.nOut), u = new Float64Array(w2c.length), v = new Float64Array(w2c.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nf; j++) row[j] = features[i * nf + j];
    scaledRow(s, row, 0, f);
    dense(L1, f, h1);
    for (let o = 0; o < L1.nOut; o++) h1[o] = act(s.activation, h1[o]);
    if (!L2) {
      for (let k = 0; k < ms.length; k++) {
        const m = ms[k];
        for (let o = 0; o < L1.nOut; o++) ha[o] = h1[o] * (L1.scaleWeight[o] * m + L1.scaleBias[o]) + L1.shiftWeight[o] * m + L1.shiftBias[o];
        out[k][i] = rest(s, 1, ha, m, bufs);
      }
      continue;
    }
    for (let o = 0; o < L1.nOut; o++) { ha[o] = h1[o] * L1.scaleWeight[o]; hg[o] = h1[o] * L1.scaleBias[o]; }
    dense({ ...L2, bias: null }, ha, u);
    dense({ ...L2, bias: null }, hg, v);
    const h2 = bufs[1];
    for (let k = 0; k < ms.length; k++) {
      const m = ms[k];
      for (let o = 0; o < L2.nOut; o++) {
        const z = m * (u[o] + w2c[o]) + v[o] + w2g[o];
        h2[o] = act(s.activation, z) * (L2.scaleWeight[o] * m + L2.scaleBias[o]) + L2.shiftWeight[o] * m + L2.shiftBias[o];
      }
      out[k][i] = rest(s, 2, h2, m, bufs);
    }
  }
  return out;
}
