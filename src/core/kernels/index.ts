/**
 * Compute kernels: `kernels` is the C++ addon when built and loadable (FOMLAB_KERNELS=typescript forces the
 * TypeScript twin), `tsKernels` always the TypeScript twin. The addon handles Float32Array only; a call with any
 * Float64Array argument (the finite-difference tests) is routed to the twin.
 *
 * Fast path for training a plain MLP: keep its parameters in one flat Float32Array (PyTorch order, see MlpShape) and
 * call mlpBce (or mlpForward → loss gradient → mlpBackward) then sgdStep/adamStep once per batch.
 */
import { ACTIVATIONS, type Activation, type FloatArray, type Kernels, type MlpShape } from './types.js';
import * as ts from './ts.js';
import * as tsMlp from './ts-mlp.js';
import * as tsTransformer from './ts-transformer.js';
import { transformerDims } from './transformer-layout.js';
import { nativeBinding, type NativeBinding } from './native.js';

export type { Activation, AdamOptions, DropoutDraw, FloatArray, Kernels, MlpLayerSlot, MlpShape, SgdOptions } from './types.js';
export { ACTIVATIONS, mlpLayout, mlpParamCount } from './types.js';
export { transformerLayout, transformerParamCount, type TransformerShape, type TransformerSlot } from './transformer-layout.js';

export const tsKernels: Kernels = {
  name: 'typescript',
  gemm: ts.gemm, denseForward: ts.denseForward, denseBackward: ts.denseBackward, activate: ts.activate,
  activateBackward: ts.activateBackward, segmentSum: ts.segmentSum, csrSum: ts.csrSum, csrSumBackward: ts.csrSumBackward,
  mlpForward: tsMlp.mlpForward, mlpBackward: tsMlp.mlpBackward, mlpBce: tsMlp.mlpBce, gatherRows: tsMlp.gatherRows, sgdStep: tsMlp.sgdStep, adamStep: tsMlp.adamStep,
  transformerForward: tsTransformer.transformerForward, transformerBackward: tsTransformer.transformerBackward, transformerBce: tsTransformer.transformerBce,
};

const code = (act: Activation): number => {
  const c = ACTIVATIONS.indexOf(act);
  if (c < 0) throw new Error(`unknown activation '${String(act)}'`);
  return c;
};

const f32 = (a: FloatArray | null | undefined): a is Float32Array | null | undefined => !(a instanceof Float64Array);

// the Int32Array forms the addon takes, cached by content (callers may build a fresh MlpShape per call)
const shapes = new Map<string, { sizes: Int32Array; acts: Int32Array }>();
function shapeOf(net: MlpShape): { sizes: Int32Array; acts: Int32Array } {
  const key = `${net.sizes.join(',')}|${net.acts.join(',')}`;
  let s = shapes.get(key);
  if (!s) {
    if (net.acts.length !== net.sizes.length - 1) throw new Error('MlpShape: one activation per layer expected');
    s = { sizes: Int32Array.from(net.sizes), acts: Int32Array.from(net.acts, code) };
    if (shapes.size > 256) shapes.clear();
    shapes.set(key, s);
  }
  return s;
}

function nativeKernels(nb: NativeBinding): Kernels {
  return {
    name: 'native',
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      if (f32(a) && f32(b) && f32(c)) nb.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      else ts.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    },
    denseForward(x, w, b, y, n, nIn, nOut, act) {
      if (f32(x) && f32(w) && f32(b) && f32(y)) nb.denseForward(x, w, b, y, n, nIn, nOut, code(act));
      else ts.denseForward(x, w, b, y, n, nIn, nOut, act);
    },
    denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, bias) {
      if (bias === undefined && (act === 'gelu' || act === 'mish')) {
        throw new Error(`denseBackward(${act}) needs the forward's bias (or null) as its last argument`);
      }
      if (f32(x) && f32(w) && f32(y) && f32(dy) && f32(dx) && f32(dw) && f32(db) && f32(bias)) {
        nb.denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, code(act), bias ?? null);
      } else ts.denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, bias);
    },
    activate(act, x, y) {
      if (f32(x) && f32(y)) nb.activate(code(act), x, y);
      else ts.activate(act, x, y);
    },
    activateBackward(act, x, y, dy, dx) {
      if (f32(x) && f32(y) && f32(dy) && f32(dx)) nb.activateBackward(code(act), x, y, dy, dx);
      else ts.activateBackward(act, x, y, dy, dx);
    },
    segmentSum(values, seg, out) {
      if (f32(values) && f32(out)) nb.segmentSum(values, seg, out);
      else ts.segmentSum(values, seg, out);
    },
    csrSum(offsets, events, coef, values, out) {
      if (f32(coef) && f32(values) && f32(out)) nb.csrSum(offsets, events, coef, values, out);
      else ts.csrSum(offsets, events, coef, values, out);
    },
    csrSumBackward(offsets, events, coef, dOut, dValues) {
      if (f32(coef) && f32(dOut) && f32(dValues)) nb.csrSumBackward(offsets, events, coef, dOut, dValues);
      else ts.csrSumBackward(offsets, events, coef, dOut, dValues);
    },
    mlpForward(net, params, x, rows, n, out) {
      const s = shapeOf(net);
      if (f32(params) && f32(x) && f32(out)) nb.mlpForward(s.sizes, s.acts, params, x, rows, n, out);
      else tsMlp.mlpForward(net, params, x, rows, n, out);
    },
    mlpBackward(net, params, x, rows, n, dOut, grads) {
      const s = shapeOf(net);
      if (f32(params) && f32(x) && f32(dOut) && f32(grads)) nb.mlpBackward(s.sizes, s.acts, params, x, rows, n, dOut, grads);
      else tsMlp.mlpBackward(net, params, x, rows, n, dOut, grads);
    },
    mlpBce(net, params, x, rows, n, target, weight, grads, out) {
      const s = shapeOf(net);
      if (f32(params) && f32(x) && f32(target) && f32(weight) && f32(grads) && f32(out)) {
        return nb.mlpBce(s.sizes, s.acts, params, x, rows, n, target, weight, grads, out);
      }
      return tsMlp.mlpBce(net, params, x, rows, n, target, weight, grads, out);
    },
    gatherRows(src, rowLen, rows, out) {
      if (f32(src) && f32(out)) nb.gatherRows(src, rowLen, rows, out);
      else tsMlp.gatherRows(src, rowLen, rows, out);
    },
    sgdStep(params, grads, velocity, o) {
      if (f32(params) && f32(grads) && f32(velocity)) {
        nb.sgdStep(params, grads, velocity, o.lr, o.momentum ?? 0, o.dampening ?? 0, o.weightDecay ?? 0, o.nesterov ?? false, o.firstStep ?? false);
      } else tsMlp.sgdStep(params, grads, velocity, o);
    },
    adamStep(params, grads, m, v, step, o) {
      if (f32(params) && f32(grads) && f32(m) && f32(v)) {
        nb.adamStep(params, grads, m, v, step, o.lr, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.eps ?? 1e-8, o.weightDecay ?? 0, o.decoupled ?? false);
      } else tsMlp.adamStep(params, grads, m, v, step, o);
    },
    transformerForward(s, params, x, rows, n, drop, out) {
      if (f32(params) && f32(x) && f32(out)) nb.transformerRun(transformerDims(s), params, x, rows, n, drop?.p ?? 0, drop?.seed ?? 0, 0, out, null, null, null, null);
      else tsTransformer.transformerForward(s, params, x, rows, n, drop, out);
    },
    transformerBackward(s, params, x, rows, n, drop, dOut, grads) {
      if (f32(params) && f32(x) && f32(dOut) && f32(grads)) nb.transformerRun(transformerDims(s), params, x, rows, n, drop?.p ?? 0, drop?.seed ?? 0, 1, null, dOut, null, null, grads);
      else tsTransformer.transformerBackward(s, params, x, rows, n, drop, dOut, grads);
    },
    transformerBce(s, params, x, rows, n, drop, target, weight, grads, out) {
      if (f32(params) && f32(x) && f32(target) && f32(weight) && f32(grads) && f32(out)) {
        return nb.transformerRun(transformerDims(s), params, x, rows, n, drop?.p ?? 0, drop?.seed ?? 0, 2, out, null, target, weight, grads);
      }
      return tsTransformer.transformerBce(s, params, x, rows, n, drop, target, weight, grads, out);
    },
  };
}

export const nativeKernelsOrNull: Kernels | null = nativeBinding ? nativeKernels(nativeBinding) : null;
export const kernels: Kernels = nativeKernelsOrNull ?? tsKernels;

/**
 * Keep the native kernels on their calling thread (true) or let them use the addon's pool (false,
 * the default). For callers that are parallel themselves: an ensemble with one worker per core
 * would otherwise run two threads per core. Kernels split work into the same parts either way,
 * so the numbers do not change. (Process-wide: the pool is shared by all worker threads.)
 */
export function keepKernelsSerial(serial: boolean): void {
  nativeBinding?.setSerial(serial);
}
