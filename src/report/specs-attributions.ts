import type { AttributionSummary } from '../evaluate/judgement-summary.js';
import { PLOT_CONFIG, type VegaLiteSpec } from './render.js';
import { SCHEMA } from './specs-classifier.js';

/**
 * Integrated gradients per feature (fomlab explain): bars of the mean |IG| over the explained
 * events, largest first, with the signed means of signal and background events beside them.
 */
export function attributionSpec(a: AttributionSummary): VegaLiteSpec {
  const order = [...a.features].sort((x, y) => y.meanAbs - x.meanAbs).map((f) => f.feature);
  const rows = a.features.flatMap((f) => [
    { feature: f.feature, what: 'mean |IG| (all events)', value: f.meanAbs },
    { feature: f.feature, what: 'mean IG (signal)', value: f.meanSignal },
    { feature: f.feature, what: 'mean IG (background)', value: f.meanBackground },
  ]);
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 420, height: Math.max(120, 22 * a.features.length * 3), data: { values: rows },
    title: {
      text: `Integrated gradients (${a.method}, net ${a.net})`,
      subtitle: `${a.events} test events, ${a.steps} steps, ${a.baselinesPerEvent} background baseline(s) per event drawn ∝ σ; completeness gap ${a.completenessGap.toExponential(1)}`,
    },
    mark: 'bar',
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: order, title: null },
      yOffset: { field: 'what', type: 'nominal', sort: ['mean |IG| (all events)', 'mean IG (signal)', 'mean IG (background)'] },
      x: { field: 'value', type: 'quantitative', title: 'attribution to the output (probability units)' },
      color: { field: 'what', type: 'nominal', title: null, scale: { domain: ['mean |IG| (all events)', 'mean IG (signal)', 'mean IG (background)'], range: ['#333333', '#d62728', '#1f77b4'] } },
    },
  };
}
