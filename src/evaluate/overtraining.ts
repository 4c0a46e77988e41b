import { FomlabError } from '../core/errors.js';
import { type Column, argsortDescendingExact } from '../physics/ordering.js';

/**
 * Overtraining check: the classifier output of the training and the test events of one class
 * compared with a weighted two-sample Kolmogorov–Smirnov test. Variant (stated in the report):
 * D = sup_t |F_train(t) − F_test(t)| over the weighted empirical distribution functions
 * (negative weights set to 0), each sample's size replaced by its effective count
 * n_eff = (Σw)²/Σw² (as ROOT's TH1::KolmogorovTest does for weighted histograms, here unbinned),
 * and the p-value from the asymptotic Kolmogorov distribution Q_KS(λ) = 2 Σ_k (−1)^(k−1) e^(−2k²λ²)
 * at λ = (√n + 0.12 + 0.11/√n)·D, n = n₁n₂/(n₁+n₂) (Stephens' correction; Numerical Recipes
 * §14.3). Equal weights give the textbook unweighted test. A small p (≲ 0.01) flags that the net
 * scores its own training events differently: overtraining.
 */
export interface KsResult {
  /** the largest distance between the two weighted distribution functions */
  statistic: number;
  pValue: number;
  /** effective event counts (Σw)²/Σw² of the two samples */
  nA: number;
  nB: number;
}

/** Q_KS(λ) = 2 Σ_{k≥1} (−1)^(k−1) exp(−2k²λ²): the probability that D·√n exceeds λ. */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 0.2) return 1; // the series converges slowly here; Q = 1 to 1e-30
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 ? term : -term;
    if (term < 1e-16 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Weighted two-sample KS test of samples a and b (weights null = all ones). */
export function weightedKs(a: Column, wa: Column | null, b: Column, wb: Column | null): KsResult {
  const A = sortedSample(a, wa, 'first'), B = sortedSample(b, wb, 'second');
  let i = 0, j = 0, fa = 0, fb = 0, d = 0;
  while (i < A.x.length || j < B.x.length) {
    // step both functions past the next value (ties in both samples move together)
    const t = Math.min(i < A.x.length ? A.x[i] : Infinity, j < B.x.length ? B.x[j] : Infinity);
    while (i < A.x.length && A.x[i] === t) fa += A.w[i++];
    while (j < B.x.length && B.x[j] === t) fb += B.w[j++];
    d = Math.max(d, Math.abs(fa / A.sum - fb / B.sum));
  }
  const n = (A.nEff * B.nEff) / (A.nEff + B.nEff), rn = Math.sqrt(n);
  return { statistic: d, pValue: kolmogorovQ((rn + 0.12 + 0.11 / rn) * d), nA: A.nEff, nB: B.nEff };
}

function sortedSample(x: Column, w: Column | null, which: string): { x: Float64Array; w: Float64Array; sum: number; nEff: number } {
  if (w && w.length !== x.length) throw new FomlabError(`KS test: the ${which} sample has ${x.length} values and ${w.length} weights`);
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) throw new FomlabError(`KS test: the ${which} sample has a NaN at event ${i}`);
  const order = argsortDescendingExact(x).reverse(); // ascending
  const xs = new Float64Array(order.length), ws = new Float64Array(order.length);
  let sum = 0, sum2 = 0;
  order.forEach((i, k) => {
    xs[k] = x[i];
    ws[k] = w ? Math.max(0, w[i]) : 1;
    sum += ws[k]; sum2 += ws[k] * ws[k];
  });
  if (!(sum > 0)) throw new FomlabError(`KS test: the ${which} sample has no event with positive weight`);
  return { x: xs, w: ws, sum, nEff: (sum * sum) / sum2 };
}
