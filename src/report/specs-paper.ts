import { methodLabel, referenceMethod, sortedMasses } from './derive.js';
import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import { massTitle, yScale } from './specs-mass.js';
import type { RunSummary } from '../evaluate/summary.js';

/**
 * Figures of the Punzi-loss paper (Abudinén et al., EPJC 82 (2022) 121) that the other specs do
 * not already draw: fig. 7, one common cut on each fine-tuned net's output against the reference's
 * best cut per mass; fig. 2, the training loss of the fine-tuned variants (e.g. unbatched and
 * batched Punzi-nets) on one plot.
 */
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/**
 * Fig. 7: σ_min vs mass of every non-reference method at its one common cut (ensemble mean), and
 * of the reference (BCE) at its own cut per mass chosen on validation (mean; the per-mass optimal
 * cut on test where the summary has no validation cut). Null with a single method.
 */
export function commonCutSpec(s: RunSummary): VegaLiteSpec | null {
  const ref = referenceMethod(s);
  const refInfo = s.methods.find((m) => m.name === ref);
  const others = s.methods.filter((m) => m.name !== ref);
  if (!refInfo || others.length === 0) return null;
  const rows: Array<{ mass: number; curve: string; value: number }> = [];
  for (const mp of sortedMasses(s)) {
    const r = mp.results[ref];
    const own = typeof r.sigmaMinValidationCut === 'number' ? r.sigmaMinValidationCut : r.sigmaMinMean;
    rows.push({ mass: mp.mass, curve: `${methodLabel(refInfo)}: best cut per mass`, value: own });
    for (const m of others) rows.push({ mass: mp.mass, curve: `${methodLabel(m)}: one common cut (${m.commonCut.toPrecision(3)})`, value: mp.results[m.name].sigmaMinCommon });
  }
  const curves = [...new Set(rows.map((r) => r.curve))];
  const y = yScale(rows.map((r) => r.value), 'σ_min [fb]');
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 560, height: 320, data: { values: rows.filter((r) => Number.isFinite(r.value)) },
    title: {
      text: `One common cut against ${methodLabel(refInfo)}'s best cut per mass (paper fig. 7)`,
      subtitle: 'ensemble means on the test split; every cut chosen on the validation split; common cut: least mean σ_min(cut)/σ_min(own cut) over the trained masses',
    },
    mark: { type: 'line', strokeWidth: 1.6, point: { size: 18 } },
    encoding: {
      x: { field: 'mass', type: 'quantitative', title: massTitle(s), scale: { zero: false, nice: false } },
      y: { field: 'value', type: 'quantitative', ...y },
      color: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves, range: curves.map((_, i) => PALETTE[i % PALETTE.length]) }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 } },
      tooltip: [{ field: 'curve' }, { field: 'mass', format: '.4g' }, { field: 'value', format: '.4g', title: 'σ_min [fb]' }],
    },
  };
}

/**
 * Fig. 2: the training loss per epoch of every method's last stage with the same loss as another
 * method's (e.g. the unbatched and batched Punzi-nets), on one plot. Null when no two methods share it.
 */
export function variantLossSpec(s: RunSummary): VegaLiteSpec | null {
  const last = s.methods.map((m) => s.history.filter((h) => h.method === m.name).pop()).filter((h) => h !== undefined);
  const byLoss = new Map<string, typeof last>();
  for (const h of last) byLoss.set(h.loss ?? h.stage, [...(byLoss.get(h.loss ?? h.stage) ?? []), h]);
  const shared = [...byLoss.entries()].find(([, hs]) => hs.length > 1);
  if (!shared) return null;
  const [loss, hs] = shared;
  const label = (name: string): string => methodLabel(s.methods.find((m) => m.name === name)!);
  const rows = hs.flatMap((h) => h.epochs.flatMap((e) => [
    { epoch: e.epoch, curve: `${label(h.method)}, training`, value: e.trainLoss },
    ...(e.validLoss !== null ? [{ epoch: e.epoch, curve: `${label(h.method)}, validation`, value: e.validLoss }] : []),
  ]));
  const curves = [...new Set(rows.map((r) => r.curve))];
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 560, height: 300, data: { values: rows },
    title: { text: `Loss per epoch of the variants (paper fig. 2): ${hs.map((h) => label(h.method)).join(', ')}`, subtitle: `one net each (the best on validation); ${loss}` },
    mark: { type: 'line', strokeWidth: 1.4, clip: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false, nice: false } },
      y: { field: 'value', type: 'quantitative', ...yScale(rows.map((r) => r.value), loss) },
      color: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves, range: curves.map((_, i) => PALETTE[(i >> 1) % PALETTE.length]) }, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 } },
      strokeDash: { field: 'curve', type: 'nominal', title: null, scale: { domain: curves, range: curves.map((c) => (c.endsWith('validation') ? [5, 3] : [1, 0])) } },
    },
  };
}
