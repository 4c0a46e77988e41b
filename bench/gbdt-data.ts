// The data recipe of ../shared/anchors/xgb_bench.py in TypeScript (same formula, fomlab's own generator):
// x ~ N(0, 1)^f, logit = x0 − 0.5·x1² + 0.8·x2·x3, y ~ Bernoulli(sigmoid(logit)).
import { Rng } from '../src/core/rng.js';

export function xgbBenchData(n: number, f: number, seed: number): { columns: Float32Array[]; target: Float32Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: f }, () => new Float32Array(n));
  const target = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) columns[j][i] = rng.normal();
    const logit = columns[0][i] - 0.5 * columns[1][i] ** 2 + 0.8 * columns[2][i] * columns[3][i];
    target[i] = rng.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { columns, target };
}
