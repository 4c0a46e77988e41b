/**
 * Loads the C++ addon (native/build/Release/fomlab_native.node, built by scripts/build-native.mjs at install).
 * Any failure leaves `nativeBinding` null and prints one warning line; the TypeScript kernels take over.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The raw addon: Float32Array only, activations as their index in ACTIVATIONS. */
export interface NativeBinding {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  denseForward(x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array, n: number, nIn: number, nOut: number, act: number): void;
  denseBackward(x: Float32Array, w: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null, n: number, nIn: number, nOut: number, act: number, bias: Float32Array | null): void;
  activate(act: number, x: Float32Array, y: Float32Array): void;
  activateBackward(act: number, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  segmentSum(values: Float32Array, seg: Int32Array, out: Float32Array): void;
  csrSum(offsets: Int32Array, events: Int32Array, coef: Float32Array | null, values: Float32Array, out: Float32Array): void;
  csrSumBackward(offsets: Int32Array, events: Int32Array, coef: Float32Array | null, dOut: Float32Array, dValues: Float32Array): void;
  mlpForward(sizes: Int32Array, acts: Int32Array, params: Float32Array, x: Float32Array, rows: Int32Array | null, n: number, out: Float32Array): void;
  mlpBackward(sizes: Int32Array, acts: Int32Array, params: Float32Array, x: Float32Array, rows: Int32Array | null, n: number, dOut: Float32Array, grads: Float32Array): void;
  mlpBce(sizes: Int32Array, acts: Int32Array, params: Float32Array, x: Float32Array, rows: Int32Array | null, n: number, target: Float32Array, weight: Float32Array | null, grads: Float32Array, out: Float32Array | null): number;
  gatherRows(src: Float32Array, rowLen: number, rows: Int32Array, out: Float32Array): void;
  sgdStep(params: Float32Array, grads: Float32Array, velocity: Float32Array | null, lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, first: boolean): void;
  adamStep(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, step: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: boolean): void;
  /** weighted DisCo and ∂R/∂x in O(n log n) (native/src/disco.cc; twin: disco.ts): [R, V(x,y), V(x,x), V(y,y)] */
  discoFast(x: Float32Array, y: Float32Array, w: Float32Array | null, grad: Float32Array | null, yOrder: Int32Array | null): Float64Array;
  /**
   * the event classifier transformer (native/src/transformer.cc): dims [features, dModel, heads, ffn, embedHidden];
   * mode 0 forward (out), 1 backward (dOut → grads +=), 2 BCE (target, weight → grads +=, out unless null; returns the loss)
   */
  transformerRun(dims: Int32Array, params: Float32Array, x: Float32Array, rows: Int32Array | null, n: number, p: number, seed: number, mode: number,
    out: Float32Array | null, dOut: Float32Array | null, target: Float32Array | null, weight: Float32Array | null, grads: Float32Array | null): number;
  /** Rng.permutation(n) into out from the xoshiro128** words `state`, which it advances (batching.cc; twin: Rng.permutation) */
  batchOrder(state: Int32Array, n: number, out: Int32Array): void;
  /**
   * the epoch's ascending batches into order (batch labels shuffled with Lemire's draws from `state`, which it advances) and the rows of
   * each follower [src, width, dst, …] (both Float32Array or both Float64Array) laid out in that order (batching.cc; twin: EpochBatches.shuffle)
   */
  batchLayout(state: Int32Array, n: number, size: number, order: Int32Array, follow: Array<Float32Array | Float64Array | number>): void;
  /** batchLayout of the next epoch from a copy of `state` (not advanced) on a thread of its own (serially with the pool serial); the arrays are the job's until batchLayoutJoin */
  batchLayoutStart?(state: Int32Array, n: number, size: number, order: Int32Array, follow: Array<Float32Array | Float64Array | number>): unknown;
  /** waits for a batchLayoutStart job; state = its words after the draws */
  batchLayoutJoin?(job: unknown, state: Int32Array): void;
  /** one Punzi batch's incidence from the event-major table (batching.cc; twin: PunziBatcher.batch): [sigOffsets, sigEvents, sigCoef, bkgOffsets, bkgEvents, bkgCoef, sigCoef32, bkgCoef32] */
  punziBatch(first: Float64Array, moreOffsets: Int32Array, moreCode: Int32Array, moreCoef: Float64Array, nHypotheses: number, rows: Int32Array, scale: number, firstRows?: Float64Array): [Int32Array, Int32Array, Float64Array, Int32Array, Int32Array, Float64Array, Float32Array, Float32Array];
  /** the same written into `into` (the eight arrays, reused) when they are long enough, and `into` returned; else the entry counts [signal, background] */
  punziBatch(first: Float64Array, moreOffsets: Int32Array, moreCode: Int32Array, moreCoef: Float64Array, nHypotheses: number, rows: Int32Array, scale: number, firstRows: Float64Array | undefined,
    into: [Int32Array, Int32Array, Float64Array, Int32Array, Int32Array, Float64Array, Float32Array, Float32Array]): [Int32Array, Int32Array, Float64Array, Int32Array, Int32Array, Float64Array, Float32Array, Float32Array] | [number, number];
  /** true: the addon's thread pool runs each job on its calling thread (same parts, same numbers) */
  setSerial(serial: boolean): void;
  /** running min/max of a float32 column's non-NaN values into mins[j], maxs[j] (the Parquet writer's statistics; twin: parquet.ts foldMinMaxPortable); absent in older builds */
  float32Fold?(values: Float32Array, mins: Float64Array, maxs: Float64Array, j: number): void;
  /**
   * reserves the file's blocks [offset, offset + length) (Linux fallocate, mode 0: the size grows to offset + length;
   * native/src/addon.cc); false, never an exception, where the file system cannot or on any error; absent in older builds
   */
  fileAllocate?(fd: number, offset: number, length: number): boolean;
  /** CRC-32 (IEEE, zlib's) by PCLMULQDQ folding (native/src/crc32.cc); present only where the CPU has PCLMULQDQ */
  crc32?(bytes: Uint8Array): number;
  /** the simulator's event loop (native/src/simulate.cc; driven by src/simulate/native.ts) */
  simulateRun(job: object, state: Int32Array, trials: number, cols: Float32Array[], row: number, capacity: number): [number, number];
  twoPhotonWeightSum(job: object, state: Int32Array, n: number, sqrtS: number): number;
  /** the zprime-mumu channel's event loop (native/src/simulate_mumu.cc; src/simulate/zprime-mumu/native.ts); absent in older builds */
  simulateMumuRun?(job: object, state: Int32Array, trials: number, cols: Float32Array[], overflow: Float32Array, capacity: number, run: Float64Array): [number, number, number, number];
}

const addonPath = fileURLToPath(new URL('../../../native/build/Release/fomlab_native.node', import.meta.url));

function load(): NativeBinding | null {
  if (process.env.FOMLAB_KERNELS === 'typescript') return null;
  if (!existsSync(addonPath)) {
    console.warn('fomlab: native kernels not built (run `node scripts/build-native.mjs`); using the TypeScript kernels (slower)');
    return null;
  }
  try {
    return createRequire(import.meta.url)(addonPath) as NativeBinding;
  } catch (e) {
    console.warn(`fomlab: native kernels not loadable (${(e as Error).message.split('\n')[0]}); using the TypeScript kernels (slower)`);
    return null;
  }
}

export const nativeBinding: NativeBinding | null = load();
