/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017, "Axiomatic attribution for deep networks"):
 * the attribution of feature i for input x against a baseline x′ is (eq. 1)
 *
 *   IG_i(x; x′) = (x_i − x′_i) · ∫₀¹ ∂f(x′ + α(x − x′))/∂x_i dα,
 *
 * approximated on m steps (eq. 3, the Riemann sum; here by default the trapezoid rule on the
 * m + 1 points α_k = k/m, whose error falls as 1/m²). Completeness (their Proposition 1):
 * Σ_i IG_i(x; x′) = f(x) − f(x′), up to the quadrature error.
 *
 * Baselines as the VLQ thesis §5.5.2: drawn from the background, each process in proportion to
 * its cross-section (an event drawn with probability ∝ its weight σ_i·L/N_i), and averaged:
 * IG(x) = (1/K) Σ_k IG(x; x′_k), so Σ_i IG_i(x) = f(x) − (1/K) Σ_k f(x′_k).
 *
 * Any differentiable model: `f` maps a [rows, features] tensor to outputs [rows] or [rows, 1]
 * with autograd down to its input (the model in eval mode; see models/registry.ts TrainableModel).
 */
import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { noGrad, Tensor } from '../core/tensor.js';

export type QuadratureRule = 'trapezoid' | 'riemann';

export interface IntegratedGradientsOptions {
  /** m, the number of steps along the path (default 64) */
  steps?: number;
  /** trapezoid (default) or riemann (eq. 3: right Riemann sum, α_k = k/m, k = 1…m) */
  rule?: QuadratureRule;
  /** events per autograd pass (each expands to baselines × (steps + 1) rows; default 256) */
  chunk?: number;
}

export interface Attributions {
  n: number;
  nFeatures: number;
  /** IG per event and feature, n × nFeatures row-major (averaged over the event's baselines) */
  values: Float64Array;
  /** f(x) per event */
  output: Float64Array;
  /** the mean f(x′) over each event's baselines */
  baselineOutput: Float64Array;
}

/** Quadrature weights of the m + 1 points α_k = k/m (k = 0…m). */
export function pathWeights(m: number, rule: QuadratureRule): Float64Array {
  if (!(Number.isInteger(m) && m >= 1)) throw new FomlabError(`integrated gradients: steps must be a whole number ≥ 1, got ${m}`);
  const w = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) w[k] = rule === 'riemann' ? (k === 0 ? 0 : 1 / m) : k === 0 || k === m ? 1 / (2 * m) : 1 / m;
  return w;
}

/**
 * IG of n events x (n × nFeatures) against baselines: event e uses the K rows baselines[e·K … e·K + K)
 * of `baselines` (n·K × nFeatures; see drawBaselines).
 */
export function integratedGradients(f: (x: Tensor) => Tensor, x: Float32Array, nFeatures: number, baselines: Float32Array, perEvent: number, o: IntegratedGradientsOptions = {}): Attributions {
  const n = x.length / nFeatures, K = perEvent;
  if (!Number.isInteger(n)) throw new FomlabError(`integrated gradients: ${x.length} values are not rows of ${nFeatures} features`);
  if (baselines.length !== n * K * nFeatures) throw new FomlabError(`integrated gradients: expected ${n}·${K} baselines of ${nFeatures} features, got ${baselines.length / nFeatures}`);
  const m = o.steps ?? 64, w = pathWeights(m, o.rule ?? 'trapezoid'), P = m + 1;
  const chunk = Math.max(1, o.chunk ?? 256);
  const values = new Float64Array(n * nFeatures), output = new Float64Array(n), baselineOutput = new Float64Array(n);
  for (let e0 = 0; e0 < n; e0 += chunk) {
    const ne = Math.min(chunk, n - e0), rows = ne * K * P;
    // the path points: row ((e·K + k)·P + s) = x′_{e,k} + α_s (x_e − x′_{e,k})
    const pts = new Float32Array(rows * nFeatures), seed = new Float32Array(rows);
    for (let e = 0; e < ne; e++) {
      for (let k = 0; k < K; k++) {
        const b = ((e0 + e) * K + k) * nFeatures, xe = (e0 + e) * nFeatures;
        for (let s = 0; s < P; s++) {
          const r = (e * K + k) * P + s, a = s / m;
          seed[r] = w[s];
          for (let i = 0; i < nFeatures; i++) pts[r * nFeatures + i] = baselines[b + i] + a * (x[xe + i] - baselines[b + i]);
        }
      }
    }
    const input = new Tensor(pts, [rows, nFeatures], true);
    const out = f(input);
    if (out.size !== rows) throw new FomlabError(`integrated gradients: the model gave ${out.size} outputs for ${rows} rows (one per row expected)`);
    out.backward(seed); // input.grad[r, i] = w_s · ∂f/∂x_i at point r
    const g = input.grad!;
    for (let e = 0; e < ne; e++) {
      const ev = e0 + e, xe = ev * nFeatures;
      for (let k = 0; k < K; k++) {
        const b = (ev * K + k) * nFeatures, r0 = (e * K + k) * P;
        for (let i = 0; i < nFeatures; i++) {
          let s = 0;
          for (let p = 0; p < P; p++) s += g[(r0 + p) * nFeatures + i];
          values[xe + i] += ((x[xe + i] - baselines[b + i]) * s) / K;
        }
        baselineOutput[ev] += out.data[r0] / K;
      }
      output[ev] = out.data[(e * K) * P + m];
    }
  }
  return { n, nFeatures, values, output, baselineOutput };
}

/**
 * K baselines per event for n events: background rows of `pool` (nPool × nFeatures) drawn with
 * probability ∝ weight (so each process ∝ its cross-section), with replacement, seeded.
 */
export function drawBaselines(pool: Float32Array, nFeatures: number, weights: ArrayLike<number>, n: number, perEvent: number, seed: number): Float32Array {
  const nPool = pool.length / nFeatures;
  if (weights.length !== nPool) throw new FomlabError(`integrated gradients: ${weights.length} baseline weights for ${nPool} background events`);
  const cdf = new Float64Array(nPool);
  let total = 0;
  for (let j = 0; j < nPool; j++) { total += Math.max(weights[j], 0); cdf[j] = total; }
  if (!(total > 0)) throw new FomlabError('integrated gradients: no background event with a positive weight to draw baselines from');
  const rng = new Rng(seed), out = new Float32Array(n * perEvent * nFeatures);
  for (let r = 0; r < n * perEvent; r++) {
    const u = rng.uniform() * total;
    let lo = 0, hi = nPool - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
    out.set(pool.subarray(lo * nFeatures, (lo + 1) * nFeatures), r * nFeatures);
  }
  return out;
}

/** Per feature: mean |IG| over the events, and mean IG over signal and background events. */
export interface FeatureAttribution {
  feature: string;
  meanAbs: number;
  meanSignal: number;
  meanBackground: number;
}

export function summariseAttributions(a: Attributions, features: readonly string[], labels: ArrayLike<number>): FeatureAttribution[] {
  return features.map((feature, i) => {
    let abs = 0, s = 0, b = 0, ns = 0, nb = 0;
    for (let e = 0; e < a.n; e++) {
      const v = a.values[e * a.nFeatures + i];
      abs += Math.abs(v);
      if (labels[e] >= 0.5) { s += v; ns++; } else { b += v; nb++; }
    }
    return { feature, meanAbs: abs / Math.max(a.n, 1), meanSignal: ns ? s / ns : 0, meanBackground: nb ? b / nb : 0 };
  });
}

/** Largest |Σ_i IG_i − (f(x) − mean f(x′))| over the events (the completeness gap). */
export function completenessGap(a: Attributions): number {
  let worst = 0;
  for (let e = 0; e < a.n; e++) {
    let s = 0;
    for (let i = 0; i < a.nFeatures; i++) s += a.values[e * a.nFeatures + i];
    worst = Math.max(worst, Math.abs(s - (a.output[e] - a.baselineOutput[e])));
  }
  return worst;
}

/** f on a matrix without autograd (for checks). */
export function outputsOf(f: (x: Tensor) => Tensor, x: Float32Array, nFeatures: number): Float32Array {
  return noGrad(() => Float32Array.from(f(new Tensor(x, [x.length / nFeatures, nFeatures])).data));
}
