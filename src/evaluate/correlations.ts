import { FomlabError } from '../core/errors.js';
import type { Column } from '../physics/ordering.js';

/**
 * Weighted Pearson correlation matrix of named columns:
 * ρ_jk = Σ w (x_j − x̄_j)(x_k − x̄_k) / √(Σ w (x_j − x̄_j)² · Σ w (x_k − x̄_k)²), x̄ = Σ w x / Σ w,
 * negative weights set to 0 (as the ROC), events with a non-finite value in any column left out.
 * A constant column has ρ = 0 with the others (and 1 on the diagonal), never NaN.
 */
export interface CorrelationMatrix {
  names: string[];
  /** rows of ρ, names.length × names.length, symmetric, diagonal 1 */
  matrix: number[][];
  /** events used (finite in every column, weight > 0) */
  events: number;
}

export function correlationMatrix(columns: ReadonlyArray<{ name: string; values: Column }>, weight: Column | null = null, rows?: ArrayLike<number>): CorrelationMatrix {
  const p = columns.length;
  if (p === 0) throw new FomlabError('correlations: no columns');
  const n = columns[0].values.length;
  for (const c of columns) if (c.values.length !== n) throw new FomlabError(`correlations: column '${c.name}' has ${c.values.length} values, '${columns[0].name}' ${n}`);
  if (weight && weight.length !== n) throw new FomlabError(`correlations: ${weight.length} weights for ${n} events`);
  const use: number[] = [];
  const all = rows ?? { length: n };
  for (let k = 0; k < all.length; k++) {
    const i = rows ? rows[k] : k;
    if (weight && !(weight[i] > 0)) continue;
    if (columns.every((c) => Number.isFinite(c.values[i]))) use.push(i);
  }
  // two passes (means, then centred sums) for accuracy
  let W = 0;
  const mean = new Float64Array(p);
  for (const i of use) {
    const w = weight ? weight[i] : 1;
    W += w;
    for (let j = 0; j < p; j++) mean[j] += w * columns[j].values[i];
  }
  for (let j = 0; j < p; j++) mean[j] = W > 0 ? mean[j] / W : 0;
  const cov = new Float64Array(p * p), d = new Float64Array(p);
  for (const i of use) {
    const w = weight ? weight[i] : 1;
    for (let j = 0; j < p; j++) d[j] = columns[j].values[i] - mean[j];
    for (let j = 0; j < p; j++) for (let k = j; k < p; k++) cov[j * p + k] += w * d[j] * d[k];
  }
  const matrix = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => {
    if (j === k) return 1;
    const [a, b] = j < k ? [j, k] : [k, j];
    const den = Math.sqrt(cov[a * p + a] * cov[b * p + b]);
    return den > 0 ? Math.max(-1, Math.min(1, cov[a * p + b] / den)) : 0;
  }));
  return { names: columns.map((c) => c.name), matrix, events: use.length };
}
