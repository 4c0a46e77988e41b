/**
 * Compute kernels: `kernels` is the C++ addon when built and loadable (FOMLAB_KERNELS=typescript forces the
 * TypeScript twin), `tsKernels` always the TypeScript twin. The addon handles Float32Array only; a call with any
 * Float64Array argument (the finite-difference tests) is routed to the twin.
 */
import type { Activation, FloatArray, Kernels } from './types.js';
import { tsKernels } from './ts.js';
import { nativeBinding, type NativeBinding } from './native.js';

export type { Activation, FloatArray, Kernels } from './types.js';
export { tsKernels } from './ts.js';

/** activation codes shared with native/src (order matters) */
export const ACTIVATIONS: readonly Activation[] = ['identity', 'tanh', 'sigmoid', 'relu', 'leaky_relu', 'gelu', 'mish'];
const code = (act: Activation): number => {
  const c = ACTIVATIONS.indexOf(act);
  if (c < 0) throw new Error(`unknown activation '${String(act)}'`);
  return c;
};

const f32 = (a: FloatArray | null | undefined): a is Float32Array | null | undefined => !(a instanceof Float64Array);

function nativeKernels(nb: NativeBinding): Kernels {
  return {
    name: 'native',
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      if (f32(a) && f32(b) && f32(c)) nb.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      else tsKernels.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
    denseForward(x, w, b, y, n, nIn, nOut, act) {
      if (f32(x) && f32(w) && f32(b) && f32(y)) nb.denseForward(x, w, b, y, n, nIn, nOut, code(act));
      else tsKernels.denseForward(x, w, b, y, n, nIn, nOut, act);
    },
    denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, bias) {
      if (bias === undefined && (act === 'gelu' || act === 'mish')) {
        throw new Error(`denseBackward(${act}) needs the forward's bias (or null) as its last argument`);
      }
      if (f32(x) && f32(w) && f32(y) && f32(dy) && f32(dx) && f32(dw) && f32(db) && f32(bias)) {
        nb.denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, code(act), bias ?? null);
      } else tsKernels.denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, bias);
    },
    activate(act, x, y) {
      if (f32(x) && f32(y)) nb.activate(code(act), x, y);
      else tsKernels.activate(act, x, y);
    },
    activateBackward(act, x, y, dy, dx) {
      if (f32(x) && f32(y) && f32(dy) && f32(dx)) nb.activateBackward(code(act), x, y, dy, dx);
      else tsKernels.activateBackward(act, x, y, dy, dx);
    },
    segmentSum(values, seg, out) {
      if (f32(values) && f32(out)) nb.segmentSum(values, seg, out);
      else tsKernels.segmentSum(values, seg, out);
    },
    csrSum(offsets, events, coef, values, out) {
      if (f32(coef) && f32(values) && f32(out)) nb.csrSum(offsets, events, coef, values, out);
      else tsKernels.csrSum(offsets, events, coef, values, out);
    },
    csrSumBackward(offsets, events, coef, dOut, dValues) {
      if (f32(coef) && f32(dOut) && f32(dValues)) nb.csrSumBackward(offsets, events, coef, dOut, dValues);
      else tsKernels.csrSumBackward(offsets, events, coef, dOut, dValues);
    },
  };
}

export const nativeKernelsOrNull: Kernels | null = nativeBinding ? nativeKernels(nativeBinding) : null;
export const kernels: Kernels = nativeKernelsOrNull ?? tsKernels;
