// Shared helpers for the kernel tests (not a test file itself).
import { Rng } from '../../src/core/rng.js';
import type { FloatArray } from '../../src/core/kernels/index.js';

export function randArray(rng: Rng, len: number, f64 = false, scale = 1): FloatArray {
  const a = f64 ? new Float64Array(len) : new Float32Array(len);
  for (let i = 0; i < len; i++) a[i] = scale * rng.range(-1, 1);
  return a;
}
/** max |a−b| / (1 + |b|) */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(d <= m)) m = d;
  }
  return m;
}
