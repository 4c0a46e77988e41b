/**
 * The TypeScript twin of every kernel: the reference the native addon is tested against, the float64 path of the
 * finite-difference tests, and the fallback where no compiler exists. Plain loops, one per activation, so V8 keeps
 * them monomorphic and unswitched.
 */
import type { Activation, FloatArray } from './types.js';
import { actDerivative, actDerivativeFromY, actScalar, derivativeFromOutput } from './activations.js';

let scratch = new Float64Array(0);
function scratchOf(len: number): Float64Array {
  if (scratch.length < len) scratch = new Float64Array(Math.max(len, scratch.length * 2));
  return scratch;
}

export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void {
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let i = 0; i < mn; i++) c[i] *= beta;
  if (alpha === 0 || k === 0) return;
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = alpha * a[i * k + p], bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[i * n + j] += alpha * s;
      }
    }
  } else if (transA && !transB) {
    for (let p = 0; p < k; p++) {
      const ap = p * m, bp = p * n;
      for (let i = 0; i < m; i++) {
        const api = alpha * a[ap + i], ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i] * b[bj + p];
        c[i * n + j] += alpha * s;
      }
    }
  }
}

export function activate(act: Activation, x: FloatArray, y: FloatArray): void {
  const len = x.length;
  switch (act) {
    case 'identity': if (x !== y) y.set(x); return;
    case 'tanh': for (let i = 0; i < len; i++) y[i] = Math.tanh(x[i]); return;
    case 'sigmoid': for (let i = 0; i < len; i++) y[i] = 1 / (1 + Math.exp(-x[i])); return;
    case 'relu': for (let i = 0; i < len; i++) { const v = x[i]; y[i] = v > 0 ? v : 0; } return;
    case 'leaky_relu': for (let i = 0; i < len; i++) { const v = x[i]; y[i] = v > 0 ? v : 0.01 * v; } return;
    default: for (let i = 0; i < len; i++) y[i] = actScalar(act, x[i]);
  }
}

export function activateBackward(act: Activation, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void {
  const len = x.length;
  switch (act) {
    case 'identity': for (let i = 0; i < len; i++) dx[i] += dy[i]; return;
    case 'tanh': for (let i = 0; i < len; i++) { const v = y[i]; dx[i] += dy[i] * (1 - v * v); } return;
    case 'sigmoid': for (let i = 0; i < len; i++) { const v = y[i]; dx[i] += dy[i] * v * (1 - v); } return;
    default: for (let i = 0; i < len; i++) dx[i] += dy[i] * actDerivative(act, x[i], y[i]);
  }
}

export function denseForward(x: FloatArray, w: FloatArray, b: FloatArray | null, y: FloatArray, n: number, nIn: number, nOut: number, act: Activation): void {
  for (let i = 0; i < n; i++) {
    const xi = i * nIn, yi = i * nOut;
    for (let o = 0; o < nOut; o++) {
      const wo = o * nIn;
      let s = b ? b[o] : 0;
      for (let q = 0; q < nIn; q++) s += x[xi + q] * w[wo + q];
      y[yi + o] = s;
    }
  }
  if (act !== 'identity') activate(act, y.subarray(0, n * nOut), y.subarray(0, n * nOut));
}

export function denseBackward(x: FloatArray, w: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray | null, dw: FloatArray | null, db: FloatArray | null, n: number, nIn: number, nOut: number, act: Activation, bias?: FloatArray | null): void {
  const len = n * nOut;
  const dz = scratchOf(len);
  if (derivativeFromOutput(act)) {
    if (act === 'identity') for (let i = 0; i < len; i++) dz[i] = dy[i];
    else if (act === 'tanh') for (let i = 0; i < len; i++) { const v = y[i]; dz[i] = dy[i] * (1 - v * v); }
    else if (act === 'sigmoid') for (let i = 0; i < len; i++) { const v = y[i]; dz[i] = dy[i] * v * (1 - v); }
    else for (let i = 0; i < len; i++) dz[i] = dy[i] * actDerivativeFromY(act, y[i]);
  } else {
    if (bias === undefined) throw new Error(`denseBackward(${act}) needs the forward's bias (or null) as its last argument`);
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < nOut; o++) {
        let s = bias ? bias[o] : 0;
        for (let q = 0; q < nIn; q++) s += x[i * nIn + q] * w[o * nIn + q];
        dz[i * nOut + o] = dy[i * nOut + o] * actDerivative(act, s, y[i * nOut + o]);
      }
    }
  }
  for (let i = 0; i < n && (dw || db); i++) {
    const xi = i * nIn, zi = i * nOut;
    for (let o = 0; o < nOut; o++) {
      const g = dz[zi + o], wo = o * nIn;
      if (db) db[o] += g;
      if (dw) for (let q = 0; q < nIn; q++) dw[wo + q] += g * x[xi + q];
    }
  }
  if (dx) {
    dx.fill(0, 0, n * nIn);
    for (let i = 0; i < n; i++) {
      const xi = i * nIn, zi = i * nOut;
      for (let o = 0; o < nOut; o++) {
        const g = dz[zi + o], wo = o * nIn;
        for (let q = 0; q < nIn; q++) dx[xi + q] += g * w[wo + q];
      }
    }
  }
}

export function segmentSum(values: FloatArray, seg: Int32Array, out: FloatArray): void {
  for (let i = 0; i < values.length; i++) out[seg[i]] += values[i];
}

export function csrSum(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, values: FloatArray, out: FloatArray): void {
  for (let h = 0; h + 1 < offsets.length; h++) {
    let s = 0;
    const end = offsets[h + 1];
    if (coef) for (let j = offsets[h]; j < end; j++) s += values[events[j]] * coef[j];
    else for (let j = offsets[h]; j < end; j++) s += values[events[j]];
    out[h] = s;
  }
}

export function csrSumBackward(offsets: Int32Array, events: Int32Array, coef: FloatArray | null, dOut: FloatArray, dValues: FloatArray): void {
  for (let h = 0; h + 1 < offsets.length; h++) {
    const g = dOut[h], end = offsets[h + 1];
    if (coef) for (let j = offsets[h]; j < end; j++) dValues[events[j]] += g * coef[j];
    else for (let j = offsets[h]; j < end; j++) dValues[events[j]] += g;
  }
}
