// The data recipe of ../shared/anchors/xgb_bench.py in JavaScript (same formula, fomlab's own generator from dist/):
// x ~ N(0, 1)^f, logit = x0 − 0.5·x1² + 0.8·x2·x3, y ~ Bernoulli(sigmoid(logit)). Plain JS so that the memory line's
// child process runs on compiled dist/ without the TypeScript loader (~50 MB of RSS).
import { Rng } from '../dist/core/rng.js';

/** @param {number} n @param {number} f @param {number} seed */
export function xgbBenchData(n, f, seed) {
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
