import { FomlabError } from '../core/errors.js';
import type { EventTable } from './table.js';

/**
 * Feature scaling fitted on the training split and saved with the model:
 *   minmax:   x' = (x − min) / (max − min)      (scikit-learn MinMaxScaler, range [0, 1])
 *   standard: x' = (x − mean) / std             (StandardScaler, population std)
 *   none:     x' = x
 * A constant feature gets scale 1 (as scikit-learn), so it maps to 0 instead of NaN.
 */
export const SCALING_KINDS = ['none', 'minmax', 'standard'] as const;
export type ScalingKind = (typeof SCALING_KINDS)[number];

/** Plain-data form, stored beside the model weights. */
export interface FeatureScalerJSON {
  kind: ScalingKind;
  features: string[];
  /** subtracted from each feature */
  offset: number[];
  /** then divided by */
  scale: number[];
}

export class FeatureScaler {
  private constructor(
    readonly kind: ScalingKind,
    readonly features: string[],
    readonly offset: Float64Array,
    readonly scale: Float64Array,
  ) {}

  /** Fits on a row-major matrix (rows × features.length), e.g. `train.featureMatrix()`. */
  static fit(kind: ScalingKind, matrix: ArrayLike<number>, features: string[]): FeatureScaler {
    const nf = features.length;
    if (nf === 0 || matrix.length % nf !== 0) throw new FomlabError(`scaling: matrix of ${matrix.length} values is not rows × ${nf} features`);
    const rows = matrix.length / nf;
    const offset = new Float64Array(nf);
    const scale = new Float64Array(nf).fill(1);
    if (kind !== 'none') {
      if (rows === 0) throw new FomlabError('scaling: cannot fit on an empty training split');
      for (let j = 0; j < nf; j++) {
        if (kind === 'minmax') {
          let lo = Infinity;
          let hi = -Infinity;
          for (let i = 0; i < rows; i++) {
            const x = matrix[i * nf + j];
            if (x < lo) lo = x;
            if (x > hi) hi = x;
          }
          offset[j] = lo;
          scale[j] = hi > lo ? hi - lo : 1;
        } else {
          let sum = 0;
          for (let i = 0; i < rows; i++) sum += matrix[i * nf + j];
          const mean = sum / rows;
          let ss = 0;
          for (let i = 0; i < rows; i++) {
            const d = matrix[i * nf + j] - mean;
            ss += d * d;
          }
          const std = Math.sqrt(ss / rows);
          offset[j] = mean;
          scale[j] = std > 0 ? std : 1;
        }
        if (!Number.isFinite(offset[j]) || !Number.isFinite(scale[j]))
          throw new FomlabError(`scaling: feature '${features[j]}' has NaN or infinite values in the training split`);
      }
    }
    return new FeatureScaler(kind, [...features], offset, scale);
  }

  /** Fits on the features of a table (normally the training split only). */
  static fitTable(kind: ScalingKind, train: EventTable): FeatureScaler {
    return FeatureScaler.fit(kind, train.featureMatrix(), train.roles.features);
  }

  /** Scaled copy of a row-major matrix with the fitted features as columns. */
  transform(matrix: Float32Array): Float32Array {
    return this.apply(matrix, false);
  }

  /** Back to the original units. */
  inverseTransform(matrix: Float32Array): Float32Array {
    return this.apply(matrix, true);
  }

  private apply(matrix: Float32Array, inverse: boolean): Float32Array {
    const nf = this.features.length;
    if (matrix.length % nf !== 0) throw new FomlabError(`scaling: matrix of ${matrix.length} values is not rows × ${nf} features (${this.features.join(', ')})`);
    const out = new Float32Array(matrix.length);
    for (let i = 0; i < matrix.length; i += nf)
      for (let j = 0; j < nf; j++) out[i + j] = inverse ? matrix[i + j] * this.scale[j] + this.offset[j] : (matrix[i + j] - this.offset[j]) / this.scale[j];
    return out;
  }

  toJSON(): FeatureScalerJSON {
    return { kind: this.kind, features: [...this.features], offset: [...this.offset], scale: [...this.scale] };
  }

  /** From saved plain data; malformed data (a damaged model file) is a FomlabError. */
  static fromJSON(json: unknown, source = 'scaler'): FeatureScaler {
    const j = json as Partial<FeatureScalerJSON> | null;
    const nums = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (
      !j ||
      typeof j !== 'object' ||
      !SCALING_KINDS.includes(j.kind as ScalingKind) ||
      !Array.isArray(j.features) ||
      !j.features.every((f) => typeof f === 'string') ||
      !nums(j.offset) ||
      !nums(j.scale) ||
      j.offset.length !== j.features.length ||
      j.scale.length !== j.features.length ||
      j.scale.some((s) => s === 0)
    )
      throw new FomlabError(`${source}: not a saved feature scaler (expected {kind, features, offset, scale} with one number per feature)`);
    return new FeatureScaler(j.kind as ScalingKind, [...j.features], Float64Array.from(j.offset), Float64Array.from(j.scale));
  }
}
