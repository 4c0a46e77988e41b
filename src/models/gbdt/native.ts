/** The boosted-tree functions of the C++ addon (native/src/gbdt_napi.cc), or null without the addon. */
import { nativeBinding } from '../../core/kernels/native.js';

/** One tree as the growers return it: nodes in creation order, a leaf has feature −1, splits on bin ≤ `bin`. */
export interface BinnedTree {
  feature: Int32Array;
  bin: Int32Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  /** η · leaf weight on leaves, 0 on splits */
  value: Float32Array;
  /** split gain (0 on leaves) and Σh of the node */
  gain: Float64Array;
  cover: Float64Array;
}

export interface GbdtNative {
  /** sketch: XGBoost 1.7's weighted quantile sketch (gbdt_sketch.cc), else exact quantiles of ≤ 2^18 rows */
  gbdtCuts(column: Float32Array, weights: Float32Array | null, maxBin: number, sketch: boolean): Float32Array;
  /** gbdtCuts of every column (maxBins per column), the columns shared out over the threads */
  gbdtCutsColumns(columns: Float32Array[], weights: Float32Array | null, maxBins: Int32Array, sketch: boolean): Float32Array[];
  gbdtBin(columns: Float32Array[], cuts: Float32Array[], n: number, out: Uint8Array): void;
  /** margin (if given): margin[i] += the new tree's value of row i, for every row (as gbdtAddBinned, in the same pass) */
  gbdtGrow(bins: Uint8Array, n: number, nf: number, nBins: Int32Array, grad: Float32Array, hess: Float32Array, rows: Int32Array | null, features: Uint8Array | null, params: Float64Array, margin?: Float32Array | null): BinnedTree;
  gbdtAddBinned(bins: Uint8Array, n: number, nf: number, tree: BinnedTree, margin: Float32Array): void;
  gbdtLogistic(margin: Float32Array, target: Float32Array, weight: Float32Array | null, posScale: number, grad: Float32Array, hess: Float32Array): void;
  gbdtPredict(columns: Float32Array[], n: number, feature: Int32Array, threshold: Float32Array, left: Int32Array, right: Int32Array, defaultLeft: Uint8Array, value: Float32Array, roots: Int32Array, base: number, out: Float32Array): void;
}

const b = nativeBinding as unknown as Partial<GbdtNative> | null;
export const gbdtNative: GbdtNative | null = b && typeof b.gbdtGrow === 'function' ? (b as GbdtNative) : null;
