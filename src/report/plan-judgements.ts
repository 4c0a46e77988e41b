import { slug } from './derive.js';
import type { VegaLiteSpec } from './render.js';
import { correlationSpec, efficiencySpec, overtrainingSpec, punziFomSpec, sculptingSpec } from './specs-checks.js';
import { attributionSpec } from './specs-attributions.js';
import { binnedSpec, labelOf, perMassSpec, rocSpec, zCurveSpec } from './specs-classifier.js';
import type { RunSummary } from '../evaluate/summary.js';

/** A plot of the report: its anchor id, page section, title, one-line caption (what to look for) and spec. */
export interface PlotPlan {
  id: string;
  section: string;
  title: string;
  caption: string;
  spec: VegaLiteSpec;
}

/** The judgement plots of a summary that has a `judgements` section, in page order. */
export function judgementPlots(s: RunSummary): PlotPlan[] {
  const j = s.judgements;
  if (!j || j.methods.length === 0) return [];
  const ms = j.methods;
  const out: PlotPlan[] = [];
  const add = (id: string, section: string, title: string, caption: string, spec: VegaLiteSpec | null): void => {
    if (spec) out.push({ id, section, title, caption, spec });
  };
  add('punzi-fom', 'Sensitivity', 'Punzi FOM vs mass', 'Max Punzi FOM next to σ_min per mass: a method better at σ_min should be higher on the left and lower on the right.', punziFomSpec(s, ms, j.punziA));
  add('efficiency', 'Sensitivity', 'Efficiency vs mass', 'Signal efficiency per mass at the optimal and the common cut: where the dashed line falls far below the solid one, one common cut costs sensitivity.', efficiencySpec(s, ms));
  add('roc', 'Classifier performance', 'ROC', 'ROC of each method on the test split: the curve further to the upper left (larger AUC) separates better overall.', rocSpec(s, ms));
  add('z-threshold', 'Classifier performance', 'Z vs threshold', 'Asimov Z vs threshold, with S the selected signal weights (all hypotheses pooled; for a mass scan of unknown σ, the weights stand for the data set\'s reference cross-section, e.g. σ_ref = 1 fb in the built-in data): look for a high maximum and a wide plateau (large R10 %), i.e. a cut that is easy to place.', zCurveSpec(s, ms));
  add('binned', 'Classifier performance', 'Binned Z', 'Z per equal-signal output bin: the high-output bins should carry most of the combined significance.', binnedSpec(s, ms));
  add('per-mass', 'Classifier performance', 'Per-mass AUC and Z', 'AUC, max Z and binned Z per hypothesis: dips at some masses show where the classifier does not generalise.', perMassSpec(s, ms));
  for (const m of ms) {
    add(`sculpting-${slug(m.method)}`, 'Mass sculpting', `Sculpting ${labelOf(s, m.method)}`, `Background mass shape per output bin (${labelOf(s, m.method)}): curves that differ (large sculpting, DisCo) mean the cut fakes a peak.`, sculptingSpec(s, m));
  }
  for (const m of ms) {
    add(`overtraining-${slug(m.method)}`, 'Overtraining', `Overtraining ${labelOf(s, m.method)}`, `Training vs test output (${labelOf(s, m.method)}): points should follow the lines; a KS p-value below ~0.01 flags overtraining.`, overtrainingSpec(s, m));
  }
  if (j.attributions) add('attributions', 'Inputs', 'Integrated gradients', 'Mean |integrated gradient| per feature (fomlab explain): which inputs move the output away from a typical background event; signed means show the direction for signal and background.', attributionSpec(j.attributions));
  if (j.correlations) add('correlations', 'Inputs', 'Feature correlations', 'Weighted correlations of the inputs by class: strongly correlated features add little information.', correlationSpec(j.correlations));
  return out;
}
