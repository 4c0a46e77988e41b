/**
 * Mean and sample variance (n − 1 in the denominator; 0 for fewer than two values) of a list, the one
 * spread behind the ensemble bands, the headline's standard errors, the grid's fold spread and the
 * comparison's trial spread. The mean of an empty list is NaN.
 */
export function meanVariance(v: readonly number[]): { mean: number; variance: number } {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance };
}
