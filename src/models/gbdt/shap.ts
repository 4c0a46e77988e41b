/**
 * Exact TreeSHAP, path-dependent (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for
 * tree ensembles", Algorithm 2): per event, the Shapley values φ_j of the raw score (margin) of each tree under
 * the conditional expectation E[f(x) | x_S] estimated with the training cover (Σh) of the nodes — a node whose
 * feature is not in S sends the event to both children, weighted by their covers. φ sums over features and
 * trees to margin − bias, with bias = base margin + Σ_trees E[f] (the cover-weighted mean leaf value), as
 * XGBoost's predict(pred_contribs=True): its last column is the bias. Ported from XGBoost's RegTree::TreeShap
 * (same path bookkeeping: EXTEND, UNWIND, and the sum of an unwound path; float64 here).
 */
import { FomlabError } from '../../core/errors.js';
import type { Forest, RawTree } from './forest.js';

/** one element of the unique path of features met from the root: Algorithm 2's m (d, z, o, w) */
interface Path { feature: Int32Array; zero: Float64Array; one: Float64Array; weight: Float64Array }

function extend(p: Path, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature; p.zero[at + depth] = zero; p.one[at + depth] = one; p.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[at + i + 1] += (one * p.weight[at + i] * (i + 1)) / (depth + 1);
    p.weight[at + i] = (zero * p.weight[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(p: Path, at: number, depth: number, k: number): void {
  const one = p.one[at + k], zero = p.zero[at + k];
  let next = p.weight[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[at + i];
      p.weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (p.weight[at + i] * zero * (depth - i)) / (depth + 1);
    } else p.weight[at + i] = (p.weight[at + i] * (depth + 1)) / (zero * (depth - i));
  }
  for (let i = k; i < depth; i++) { p.feature[at + i] = p.feature[at + i + 1]; p.zero[at + i] = p.zero[at + i + 1]; p.one[at + i] = p.one[at + i + 1]; }
}

/** Σ of the path weights with element k unwound (Algorithm 2's UNWIND then sum, without changing the path) */
function unwoundSum(p: Path, at: number, depth: number, k: number): number {
  const one = p.one[at + k], zero = p.zero[at + k];
  let next = p.weight[at + depth], total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = p.weight[at + i] - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) total += p.weight[at + i] / zero / ((depth - i) / (depth + 1));
  }
  return total;
}

function depthOf(t: RawTree, k = 0): number {
  return t.feature[k] < 0 ? 0 : 1 + Math.max(depthOf(t, t.left[k]), depthOf(t, t.right[k]));
}

/** E[f] of each node's subtree: the cover-weighted mean of its leaves (XGBoost's FillNodeMeanValues). */
export function nodeMeans(t: RawTree): Float64Array {
  const cover = t.cover as Float64Array, mean = new Float64Array(t.feature.length);
  for (let k = t.feature.length - 1; k >= 0; k--) // children come after their parent (checkTree)
    mean[k] = t.feature[k] < 0 ? t.value[k] : (mean[t.left[k]] * cover[t.left[k]] + mean[t.right[k]] * cover[t.right[k]]) / cover[k];
  return mean;
}

function checkCovers(f: Forest): void {
  f.trees.forEach((t, k) => {
    if (!t.cover) throw new FomlabError(`TreeSHAP: tree ${k} has no node covers (Σh); it needs a model saved with them (fomlab ≥ this version, or XGBoost JSON)`);
    t.feature.forEach((j, i) => { if (j >= 0 && !((t.cover as Float64Array)[i] > 0)) throw new FomlabError(`TreeSHAP: tree ${k} node ${i} has cover ${(t.cover as Float64Array)[i]}; covers must be > 0`); });
  });
}

export interface Attributions {
  /** n × nf, row-major: φ_j of event i at [i·nf + j] */
  phi: Float64Array;
  /** the margin before any feature is known: base margin + Σ_trees E[f] (the same for every event) */
  bias: number;
  nFeatures: number;
}

/** TreeSHAP attributions of n events (feature columns in the forest's input order) to the raw score. */
export function treeShap(f: Forest, columns: Float32Array[], n: number): Attributions {
  checkCovers(f);
  const nf = f.inputNames.length;
  if (columns.length !== nf) throw new FomlabError(`TreeSHAP: ${columns.length} columns but the model reads ${nf}`);
  const phi = new Float64Array(n * nf);
  let bias = f.baseMargin;
  const x = new Float64Array(nf);
  for (const t of f.trees) {
    bias += nodeMeans(t)[0];
    const maxd = depthOf(t) + 2, size = (maxd * (maxd + 1)) / 2;
    const p: Path = { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
    const cover = t.cover as Float64Array;
    let row = 0;
    // Algorithm 2's RECURSE: `at` is where the parent's path starts in the shared buffer
    const recurse = (k: number, at: number, depth: number, zero: number, one: number, feature: number): void => {
      const here = at + depth + 1;
      for (let i = 0; i <= depth; i++) { p.feature[here + i] = p.feature[at + i]; p.zero[here + i] = p.zero[at + i]; p.one[here + i] = p.one[at + i]; p.weight[here + i] = p.weight[at + i]; }
      extend(p, here, depth, zero, one, feature);
      const j = t.feature[k];
      if (j < 0) {
        for (let i = 1; i <= depth; i++)
          phi[row * nf + p.feature[here + i]] += unwoundSum(p, here, depth, i) * (p.one[here + i] - p.zero[here + i]) * t.value[k];
        return;
      }
      const v = x[j];
      const hot = Number.isNaN(v) ? (t.defaultLeft[k] ? t.left[k] : t.right[k]) : v < t.threshold[k] ? t.left[k] : t.right[k];
      const cold = hot === t.left[k] ? t.right[k] : t.left[k];
      let inZero = 1, inOne = 1, d = depth;
      let seen = 0;
      while (seen <= d && p.feature[here + seen] !== j) seen++;
      if (seen !== d + 1) { // the feature was split on above: undo that element and redo it here
        inZero = p.zero[here + seen]; inOne = p.one[here + seen];
        unwind(p, here, d, seen);
        d--;
      }
      recurse(hot, here, d + 1, (cover[hot] / cover[k]) * inZero, inOne, j);
      recurse(cold, here, d + 1, (cover[cold] / cover[k]) * inZero, 0, j);
    };
    for (row = 0; row < n; row++) {
      for (let j = 0; j < nf; j++) x[j] = columns[j][row];
      recurse(0, 0, 0, 1, 1, -1);
    }
  }
  return { phi, bias, nFeatures: nf };
}

/** Mean |φ_j| over the events, per feature: the SHAP importance. */
export function meanAbsShap(a: Attributions, n: number): Float64Array {
  const out = new Float64Array(a.nFeatures);
  for (let i = 0; i < n; i++) for (let j = 0; j < a.nFeatures; j++) out[j] += Math.abs(a.phi[i * a.nFeatures + j]);
  return out.map((s) => s / Math.max(n, 1));
}
