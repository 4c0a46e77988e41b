/**
 * The feature importances of a boosted-tree model for the run summary and its report: XGBoost's get_score 'weight',
 * 'total_gain', 'total_cover' (forest.ts importances) and the mean |TreeSHAP| attribution (shap.ts) over at most
 * `maxEvents` events of the given (scaled) feature matrix — the first rows, so the same events every run.
 */
import type { FeatureImportance } from '../../evaluate/summary.js';
import { forestFromJson, importances } from './forest.js';
import { meanAbsShap, treeShap } from './shap.js';

export function forestImportance(method: string, modelJson: Record<string, unknown>, features: string[], x: Float32Array, n: number, maxEvents = 1000): FeatureImportance {
  const f = forestFromJson(modelJson, `the ${method} model`);
  const nf = features.length, m = Math.min(n, maxEvents);
  const columns = Array.from({ length: nf }, (_, j) => Float32Array.from({ length: m }, (_, i) => x[i * nf + j]));
  const imp = importances(f);
  const withCovers = f.trees.every((t) => t.cover);
  const shap = withCovers && m > 0 ? meanAbsShap(treeShap(f, columns, m), m) : new Float64Array(nf);
  return { method, features, frequency: [...imp.frequency], gain: [...imp.gain], cover: [...imp.cover], meanAbsShap: [...shap], shapEvents: withCovers ? m : 0 };
}
