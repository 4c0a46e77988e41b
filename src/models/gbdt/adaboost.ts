/**
 * TMVA's BDT baseline: discrete AdaBoost of small classification trees (Freund & Schapire 1997; TMVA Users Guide,
 * §8.13). TMVA option → fomlab key: NTrees → n_estimators (850), MaxDepth → max_depth (3), MinNodeSize=2.5% →
 * min_node_fraction (0.025), nCuts → n_cuts (20), AdaBoostBeta → ada_beta (0.5), SeparationType=GiniIndex,
 * BoostType=AdaBoost, UseYesNoLeaf=True (fixed here).
 * Each tree: nodes split at one of n_cuts equidistant values between the node's minimum and maximum of a feature,
 * on the largest decrease of the Gini index W·p(1 − p) (p = signal purity of the boosted weights W), while both
 * children hold ≥ min_node_fraction of the training events and depth < max_depth; a leaf answers h = +1 if its
 * purity > ½ else −1. With the weighted misclassification rate err of the tree,
 *   α = β·ln((1 − err)/err),   misclassified events' weights × e^α, then all renormalised to the same Σw.
 * The classifier is F(x) = Σ_t α_t h_t(x); TMVA reports F/Σα ∈ [−1, 1]. The trees are stored as an ordinary forest
 * with leaf values 2α_t·h_t, so the model's probability sigmoid(2F) is the AdaBoost estimate of P(signal | x)
 * (Friedman, Hastie & Tibshirani 2000, eq. 10, for β = ½). Missing values follow the side with more weight.
 */
import { FomlabError } from '../../core/errors.js';
import type { Forest, RawTree } from './forest.js';
import type { BoostData } from './boost.js';

export interface AdaBoostOptions {
  n_estimators: number;
  max_depth: number;
  min_node_fraction: number;
  n_cuts: number;
  ada_beta: number;
}

export const ADABOOST_DEFAULTS: AdaBoostOptions = { n_estimators: 850, max_depth: 3, min_node_fraction: 0.025, n_cuts: 20, ada_beta: 0.5 };

export interface AdaBoostResult {
  forest: Forest;
  /** per tree: its weighted misclassification rate and α */
  errors: number[];
  alphas: number[];
}

const gini = (s: number, b: number): number => (s + b > 0 ? (s * b) / (s + b) : 0); // W·p(1 − p)

interface Grown { tree: RawTree; response: Int8Array }

/** One classification tree on the boosted weights w; response[i] = h(x_i) ∈ {−1, +1}. */
export function growClassifier(d: BoostData, w: Float64Array, o: AdaBoostOptions): Grown {
  const n = d.target.length, nf = d.columns.length, minRows = o.min_node_fraction * n;
  const T = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], defaultLeft: [] as number[], value: [] as number[], gain: [] as number[], cover: [] as number[] };
  const response = new Int8Array(n);
  const isSignal = (i: number): boolean => d.target[i] > 0.5;
  const node = (rows: Int32Array, depth: number): number => {
    const id = T.feature.length;
    let s = 0, b = 0;
    for (const i of rows) if (isSignal(i)) s += w[i]; else b += w[i];
    T.feature.push(-1); T.threshold.push(0); T.left.push(-1); T.right.push(-1); T.defaultLeft.push(1); T.value.push(s > b ? 1 : -1); T.gain.push(0); T.cover.push(s + b);
    let best = { gain: 0, feature: -1, cut: 0, defaultLeft: true };
    if (depth < o.max_depth && s > 0 && b > 0) {
      const parent = gini(s, b);
      for (let f = 0; f < nf; f++) {
        const x = d.columns[f];
        let lo = Infinity, hi = -Infinity, ms = 0, mb = 0, mc = 0;
        for (const i of rows) { const v = x[i]; if (Number.isNaN(v)) { if (isSignal(i)) ms += w[i]; else mb += w[i]; mc++; } else { if (v < lo) lo = v; if (v > hi) hi = v; } }
        if (!(hi > lo)) continue;
        // n_cuts equidistant cut values inside (min, max): bin k of the node's range holds lo + (hi − lo)·[k, k+1)/(n_cuts+1)
        const K = o.n_cuts + 1, step = (hi - lo) / K;
        const hs = new Float64Array(K), hb = new Float64Array(K), hc = new Float64Array(K);
        for (const i of rows) {
          const v = x[i];
          if (Number.isNaN(v)) continue;
          const k = Math.min(K - 1, Math.floor((v - lo) / step));
          if (isSignal(i)) hs[k] += w[i]; else hb[k] += w[i];
          hc[k]++;
        }
        let ls = 0, lb = 0, lc = 0;
        for (let k = 0; k + 1 < K; k++) {
          ls += hs[k]; lb += hb[k]; lc += hc[k];
          const missingLeft = ls + lb >= s + b - ms - mb - ls - lb;
          const Ls = ls + (missingLeft ? ms : 0), Lb = lb + (missingLeft ? mb : 0), Lc = lc + (missingLeft ? mc : 0);
          if (Lc < minRows || rows.length - Lc < minRows || Lc === 0 || Lc === rows.length) continue;
          const gain = parent - gini(Ls, Lb) - gini(s - Ls, b - Lb);
          if (gain > best.gain) best = { gain, feature: f, cut: Math.fround(lo + step * (k + 1)), defaultLeft: missingLeft };
        }
      }
    }
    if (best.feature < 0) {
      for (const i of rows) response[i] = s > b ? 1 : -1;
      return id;
    }
    const x = d.columns[best.feature];
    const goesLeft = (i: number): boolean => (Number.isNaN(x[i]) ? best.defaultLeft : x[i] < best.cut);
    const l = rows.filter(goesLeft), r = rows.filter((i) => !goesLeft(i));
    T.feature[id] = best.feature; T.threshold[id] = best.cut; T.defaultLeft[id] = best.defaultLeft ? 1 : 0; T.gain[id] = best.gain; T.value[id] = 0;
    T.left[id] = node(l, depth + 1);
    T.right[id] = node(r, depth + 1);
    return id;
  };
  node(Int32Array.from({ length: n }, (_, i) => i), 0);
  const tree: RawTree = {
    feature: Int32Array.from(T.feature), threshold: Float32Array.from(T.threshold), left: Int32Array.from(T.left), right: Int32Array.from(T.right),
    defaultLeft: Uint8Array.from(T.defaultLeft), value: Float32Array.from(T.value), gain: Float64Array.from(T.gain), cover: Float64Array.from(T.cover),
  };
  return { tree, response };
}

export function adaBoost(d: BoostData, inputNames: string[], o: AdaBoostOptions): AdaBoostResult {
  if (!(o.ada_beta > 0)) throw new FomlabError('model.ada_beta: must be > 0 (TMVA AdaBoostBeta)');
  if (!(Number.isInteger(o.n_cuts) && o.n_cuts >= 1)) throw new FomlabError('model.n_cuts: must be a whole number ≥ 1 (TMVA nCuts)');
  if (!(o.max_depth >= 1)) throw new FomlabError('model.max_depth: must be ≥ 1 for AdaBoost (TMVA MaxDepth)');
  const n = d.target.length;
  const w = Float64Array.from({ length: n }, (_, i) => Math.abs(d.weight ? d.weight[i] : 1));
  let total = 0;
  for (const v of w) total += v;
  if (!(total > 0)) throw new FomlabError('adaboost: the training events have zero total weight');
  const trees: RawTree[] = [], errors: number[] = [], alphas: number[] = [];
  for (let t = 0; t < o.n_estimators; t++) {
    const { tree, response } = growClassifier(d, w, o);
    let wrong = 0, sum = 0;
    for (let i = 0; i < n; i++) { sum += w[i]; if ((response[i] > 0) !== (d.target[i] > 0.5)) wrong += w[i]; }
    const err = wrong / sum;
    if (!(err > 0 && err < 0.5)) { // a perfect or useless tree: TMVA stops boosting here
      if (trees.length === 0 && err === 0) { trees.push(scaled(tree, 1)); errors.push(err); alphas.push(Infinity); }
      break;
    }
    const alpha = o.ada_beta * Math.log((1 - err) / err);
    const boostWeight = Math.exp(alpha);
    let after = 0;
    for (let i = 0; i < n; i++) { if ((response[i] > 0) !== (d.target[i] > 0.5)) w[i] *= boostWeight; after += w[i]; }
    for (let i = 0; i < n; i++) w[i] *= sum / after;
    trees.push(scaled(tree, 2 * alpha));
    errors.push(err); alphas.push(alpha);
  }
  return { forest: { inputNames, baseMargin: 0, trees }, errors, alphas };
}

/** leaf values ±1 times c */
function scaled(t: RawTree, c: number): RawTree {
  return { ...t, value: t.value.map((v, k) => (t.feature[k] < 0 ? Math.fround(v * c) : 0)) };
}
