import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import { SCHEMA } from './specs-classifier.js';
import type { FeatureImportance } from '../evaluate/summary.js';

/**
 * A boosted-tree model's feature importances as four bar panels: splits per feature (XGBoost 'weight'), total gain,
 * total cover (Σh), and mean |TreeSHAP| attribution to the raw score; features in the order of mean |SHAP|.
 */
export function importanceSpec(imp: FeatureImportance, label: string): VegaLiteSpec {
  const order = imp.features.map((_, j) => j).sort((a, b) => imp.meanAbsShap[b] - imp.meanAbsShap[a] || imp.gain[b] - imp.gain[a]);
  const rows = order.flatMap((j) => [
    { feature: imp.features[j], what: 'splits (frequency)', value: imp.frequency[j] },
    { feature: imp.features[j], what: 'total gain', value: imp.gain[j] },
    { feature: imp.features[j], what: 'total cover (Σh)', value: imp.cover[j] },
    ...(imp.shapEvents > 0 ? [{ feature: imp.features[j], what: `mean |SHAP| (${imp.shapEvents} test events)`, value: imp.meanAbsShap[j] }] : []),
  ]);
  return {
    $schema: SCHEMA, config: PLOT_CONFIG,
    title: { text: `Feature importance: ${label}`, subtitle: 'gain, cover and splits as XGBoost get_score; SHAP: path-dependent TreeSHAP on the raw score' },
    data: { values: rows },
    facet: { field: 'what', type: 'nominal', title: null, sort: null }, columns: 2,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 260, height: Math.max(60, 16 * imp.features.length),
      mark: { type: 'bar', color: '#1f77b4' },
      encoding: {
        y: { field: 'feature', type: 'nominal', title: null, sort: order.map((j) => imp.features[j]) },
        x: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 4, labelOverlap: true } },
        tooltip: [{ field: 'feature' }, { field: 'value', format: '.4g' }],
      },
    },
  };
}
