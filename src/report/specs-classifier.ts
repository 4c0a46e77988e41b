import { methodLabel, sortedMasses } from './derive.js';
import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import { massTitle } from './specs-mass.js';
import type { MethodJudgements, RunSummary } from '../evaluate/summary.js';

/** Classifier judgements drawn per method in one plot each: ROC, Z vs threshold, per-mass AUC / Z, binned Z. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Colour by method label, in the summary's method order (the σ_min plot's colours). */
export function methodColour(s: RunSummary): Record<string, unknown> {
  const labels = s.methods.map(methodLabel);
  return { field: 'method', type: 'nominal', title: 'method', scale: { domain: labels, range: labels.map((_, i) => COLOURS[i % COLOURS.length]) } };
}

export function labelOf(s: RunSummary, method: string): string {
  const m = s.methods.find((x) => x.name === method);
  return m ? methodLabel(m) : method;
}

/** The hypothesis-mass x axis (labels that would overlap are dropped). */
export function massAxis(s: RunSummary): Record<string, unknown> {
  return { field: 'mass', type: 'quantitative', title: massTitle(s), scale: { zero: false }, axis: { labelOverlap: 'greedy', tickCount: 10 } };
}

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '–');

/** ROC (signal efficiency vs background efficiency) per method, with the diagonal; AUC in the legend. */
export function rocSpec(s: RunSummary, js: MethodJudgements[]): VegaLiteSpec {
  const rows = js.flatMap((j) => j.roc.fpr.map((f, k) => ({ method: labelOf(s, j.method), fpr: f, tpr: j.roc.tpr[k] })));
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 360, height: 320,
    title: { text: 'ROC curve (test split, events in any window)', subtitle: js.map((j) => `${labelOf(s, j.method)}: weighted AUC ${fmt(j.roc.auc, 4)}`).join('; ') },
    layer: [
      { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 3] }, encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } } },
      {
        data: { values: rows }, mark: { type: 'line', strokeWidth: 1.8, interpolate: 'step-after' },
        encoding: { x: { field: 'fpr', type: 'quantitative', title: 'background efficiency (false-positive rate)', scale: { domain: [0, 1] } }, y: { field: 'tpr', type: 'quantitative', title: 'signal efficiency (true-positive rate)', scale: { domain: [0, 1] } }, color: methodColour(s), order: { field: 'fpr' } },
      },
    ],
  };
}

/** Asimov Z vs threshold per method, with max Z and the working points marked (VLQ thesis §6.4). */
export function zCurveSpec(s: RunSummary, js: MethodJudgements[]): VegaLiteSpec {
  const rows = js.flatMap((j) => j.zCurve.thresholds.map((t, k) => ({ method: labelOf(s, j.method), t, z: j.zCurve.z[k] })));
  const wps = js.flatMap((j) => j.zCurve.workingPoints.map((w) => ({ method: labelOf(s, j.method), t: w.threshold, z: w.z, S: w.S, B: w.B })));
  const maxima = js.filter((j) => j.zCurve.thresholdAtMax !== null).map((j) => ({ method: labelOf(s, j.method), t: j.zCurve.thresholdAtMax, z: j.zCurve.maxZ }));
  const x = { field: 't', type: 'quantitative', title: 'threshold on the output', scale: { domain: [0, 1] } };
  const y = { field: 'z', type: 'quantitative', title: 'Asimov Z' };
  const n = js[0]?.zCurve;
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 460, height: 320,
    title: {
      text: 'Significance vs threshold (higher and wider is better)',
      subtitle: [
        ...js.map((j) => `${labelOf(s, j.method)}: max Z ${fmt(j.zCurve.maxZ)} at ${fmt(j.zCurve.thresholdAtMax ?? NaN)}, area ${fmt(j.zCurve.area)}, R10 % ${fmt(j.zCurve.r10, 2)}; Z at ${j.zCurve.workingPoints.map((w) => `${w.threshold}: ${fmt(w.z)}`).join(', ')}`),
        `points: working points; triangles: max Z; Z = 0 where N_S < ${n?.minSignalEvents ?? 10} or N_B < ${n?.minBackgroundEvents ?? 10} events`,
      ],
    },
    layer: [
      { data: { values: rows }, mark: { type: 'line', strokeWidth: 1.6 }, encoding: { x, y, color: methodColour(s) } },
      { data: { values: wps }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color: methodColour(s), tooltip: [{ field: 'method' }, { field: 't', title: 'threshold' }, { field: 'z', format: '.4g' }, { field: 'S', format: '.4g' }, { field: 'B', format: '.4g' }] } },
      { data: { values: maxima }, mark: { type: 'point', shape: 'triangle-up', filled: true, size: 90 }, encoding: { x, y, color: methodColour(s) } },
    ],
  };
}

/** Per hypothesis: AUC, max Z over the threshold and binned Z vs mass, one panel each. */
export function perMassSpec(s: RunSummary, js: MethodJudgements[]): VegaLiteSpec {
  const held = new Map(sortedMasses(s).map((m) => [m.mass, m.heldOut]));
  const rows = js.flatMap((j) => j.perMass.map((p) => ({ method: labelOf(s, j.method), mass: p.mass, set: held.get(p.mass) ? 'held out' : 'trained', auc: p.auc, maxZ: p.maxZ, binnedZ: p.binnedZ })));
  const x = massAxis(s);
  const panel = (field: string, title: string): Record<string, unknown> => ({
    width: 300, height: 220, title: { text: title, fontSize: 12 },
    transform: [{ filter: `isValid(datum.${field})` }],
    layer: [
      { mark: { type: 'line', strokeWidth: 1.3 }, encoding: { x, y: { field, type: 'quantitative', title, scale: { zero: false } }, color: methodColour(s) } },
      { mark: { type: 'point', size: 25 }, encoding: { x, y: { field, type: 'quantitative' }, color: methodColour(s), shape: { field: 'set', type: 'nominal', title: 'hypothesis', scale: { domain: ['trained', 'held out'], range: ['circle', 'square'] } } } },
    ],
  });
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, data: { values: rows },
    title: { text: 'Per hypothesis: AUC, max Z and binned Z vs mass', subtitle: 'signal of each hypothesis and background inside its window (test split); squares: held-out masses' },
    hconcat: [panel('auc', 'weighted AUC'), panel('maxZ', 'max Asimov Z over the threshold'), panel('binnedZ', 'binned Asimov Z (8 bins)')],
  };
}

/** Binned significance: Z_i per equal-signal output bin, per method (bars), total in the subtitle. */
export function binnedSpec(s: RunSummary, js: MethodJudgements[]): VegaLiteSpec | null {
  const with_ = js.filter((j) => j.binned);
  if (with_.length === 0) return null;
  const rows = with_.flatMap((j) => j.binned!.bins.map((b, k) => ({ method: labelOf(s, j.method), bin: k + 1, z: b.z, S: b.S, B: b.B, used: b.used ? 'yes' : 'no (too few events)', mass: `${fmt(b.massLow ?? NaN, 4)}–${fmt(b.massHigh ?? NaN, 4)}` })));
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 460, height: 260, data: { values: rows },
    title: {
      text: 'Binned significance: Z per output bin of equal signal',
      subtitle: [`${with_.map((j) => `${labelOf(s, j.method)}: Z = √ΣZ_i² = ${fmt(j.binned!.z)}`).join('; ')}`, 'events of all hypothesis windows pooled; each bin: Asimov Z in the mass window holding 5–95 % of its signal; 0 where N_S or N_B < 10'],
    },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'bin', type: 'ordinal', title: 'output bin (1 = lowest output)' }, xOffset: { field: 'method' },
      y: { field: 'z', type: 'quantitative', title: 'Asimov Z_i' }, color: methodColour(s),
      tooltip: [{ field: 'method' }, { field: 'bin' }, { field: 'z', format: '.4g' }, { field: 'S', format: '.4g' }, { field: 'B', format: '.4g' }, { field: 'mass', title: 'mass window' }, { field: 'used' }],
    },
  };
}
