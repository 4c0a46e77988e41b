import { binnedSignificance } from '../evaluate/binned.js';
import { rocAuc } from '../evaluate/roc.js';
import { massSculpting } from '../evaluate/sculpting.js';

/** The test split's events as Table 1 reads them (weights: luminosity / split fraction). */
export interface TestEvents {
  labels: Float32Array;
  weights: Float32Array;
  mass: Float32Array;
}

export interface TableNumbers {
  /** expected significance: 8 equal-signal output bins, 5–95 % signal mass window each, Asimov Z in quadrature */
  significance: number;
  /** weighted ROC AUC of the events in the narrow window, negative weights set to 0 */
  auc: number;
  /** background correlation: mean over mass bins of the std of the normalised background mass histograms across the output bins */
  correlation: number;
  /** the normalised background mass histogram of each output bin (figs. 4–5) and the mass bin edges */
  histograms: number[][];
  massEdges: number[];
}

/**
 * The numbers of one row of the H→Zγ study's Table 1 (arXiv:2401.00428 §5) from the test scores:
 * expected significance (evaluate/binned.ts), AUC in the narrow window (evaluate/roc.ts) and the
 * background correlation (evaluate/sculpting.ts, `bins` equal-signal output bins, `massBins`
 * mass bins over `massRange`).
 */
export function tableNumbers(scores: Float32Array, ev: TestEvents, o: { bins: number; massBins: number; narrow: readonly [number, number]; massRange: [number, number] }): TableNumbers {
  const weight = Float32Array.from(ev.weights, (w) => (w > 0 ? w : 0));
  const all = { output: scores, label: ev.labels, weight, mass: ev.mass };
  const significance = binnedSignificance(all, { bins: o.bins }).z;
  const rows: number[] = [];
  for (let i = 0; i < scores.length; i++) if (ev.mass[i] >= o.narrow[0] && ev.mass[i] < o.narrow[1]) rows.push(i);
  const pick = (a: Float32Array): Float32Array => Float32Array.from(rows, (i) => a[i]);
  const auc = rocAuc({ output: pick(scores), label: pick(ev.labels), weight: pick(weight) });
  const sc = massSculpting(all, { outputBins: o.bins, massBins: o.massBins, massRange: o.massRange });
  return { significance, auc, correlation: sc.meanStd, histograms: sc.histograms.map((h) => Array.from(h)), massEdges: Array.from(sc.massEdges) };
}
