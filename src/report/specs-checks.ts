import { sortedMasses } from './derive.js';
import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import { SCHEMA, labelOf, massAxis, methodColour } from './specs-classifier.js';
import { yScale } from './specs-mass.js';
import type { FeatureCorrelations, MethodJudgements, RunSummary } from '../evaluate/summary.js';

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '–');
const edgeText = (v: number | null, inf: string): string => (v === null ? inf : fmt(v, 3));

/** Background mass distribution per output bin (equal signal per bin), with the sculpting metric and DisCo. */
export function sculptingSpec(s: RunSummary, j: MethodJudgements): VegaLiteSpec | null {
  const sc = j.sculpting;
  if (!sc) return null;
  const e = sc.outputEdges;
  const rows = sc.histograms.flatMap((h, b) => {
    const bin = `${b + 1}: output ${edgeText(e[b], '0')}–${edgeText(e[b + 1], '1')}`;
    const pts = h.map((v, k) => ({ bin, mass: sc.massEdges[k], y: v }));
    pts.push({ bin, mass: sc.massEdges[h.length], y: h[h.length - 1] });
    return pts;
  });
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 520, height: 280, data: { values: rows },
    title: {
      text: `Background mass shape per output bin: ${labelOf(s, j.method)}`,
      subtitle: [`sculpting (mean spread across bins) ${fmt(sc.meanStd)}; DisCo(mass, output) ${fmt(sc.disco)} (${sc.discoEvents} events); 0 = independent`, 'each curve has unit sum; bins of equal signal, 1 = lowest output'],
    },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.4 },
    encoding: {
      x: { field: 'mass', type: 'quantitative', title: `background ${sc.massTitle}`, scale: { zero: false, nice: false } },
      y: { field: 'y', type: 'quantitative', title: 'fraction of background per mass bin' },
      color: { field: 'bin', type: 'nominal', title: 'output bin', scale: { scheme: 'viridis' } },
    },
  };
}

/** Train vs test output distributions per class (TMVA-style): train as points, test as lines; KS p in the title. */
export function overtrainingSpec(s: RunSummary, j: MethodJudgements): VegaLiteSpec | null {
  const o = j.overtraining;
  if (!o) return null;
  const rows = (['signal', 'background'] as const).flatMap((cls) => (['train', 'test'] as const).flatMap((split) =>
    o[cls][split].map((v, k) => ({ sample: `${cls} (${split})`, cls, split, x: (o.edges[k] + o.edges[k + 1]) / 2, y: v }))));
  const x = { field: 'x', type: 'quantitative', title: 'network output before the last sigmoid (logit)', scale: { zero: false, nice: false } };
  const y = { field: 'y', type: 'quantitative', title: 'fraction per bin' };
  const colour = { field: 'cls', type: 'nominal', title: 'class', scale: { domain: ['signal', 'background'], range: ['#d62728', '#1f77b4'] } };
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 520, height: 280, data: { values: rows },
    title: {
      text: `Overtraining check: ${labelOf(s, j.method)}, training vs test split`,
      subtitle: [`${o.test}: signal D = ${fmt(o.signal.ks)}, p = ${fmt(o.signal.pValue)}; background D = ${fmt(o.background.ks)}, p = ${fmt(o.background.pValue)}`, 'lines: test split; points: training split; a p-value below ~0.01 signals overtraining'],
    },
    layer: [
      { transform: [{ filter: "datum.split === 'test'" }], mark: { type: 'line', interpolate: 'step', strokeWidth: 1.4 }, encoding: { x, y, color: colour } },
      { transform: [{ filter: "datum.split === 'train'" }], mark: { type: 'point', filled: true, size: 18 }, encoding: { x, y, color: colour } },
    ],
  };
}

/** The seed paper's fig. 3 next to σ_min: max Punzi FOM vs mass (left) and σ_min of the best net (right). */
export function punziFomSpec(s: RunSummary, js: MethodJudgements[], a: number | null): VegaLiteSpec {
  const results = new Map(sortedMasses(s).map((m) => [m.mass, m]));
  const rows = js.flatMap((j) => j.perMass.map((p) => ({ method: labelOf(s, j.method), mass: p.mass, fom: p.punziFom, sigma: results.get(p.mass)?.results[j.method]?.sigmaMinBest ?? null })))
    .filter((r) => r.sigma === null || r.sigma < 1e29);
  const x = massAxis(s);
  const panel = (field: string, title: string, y: Record<string, unknown>): Record<string, unknown> => ({
    width: 380, height: 260, title: { text: title, fontSize: 12 }, transform: [{ filter: `isValid(datum.${field})` }],
    layer: [{ mark: { type: 'line', strokeWidth: 1.5, point: { size: 20 } }, encoding: { x, y: { field, type: 'quantitative', ...y }, color: methodColour(s) } }],
  });
  const den = a === null ? 'a/2' : fmt(a / 2);
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, data: { values: rows },
    title: { text: 'Punzi figure of merit and σ_min vs mass (the seed paper\'s fig. 3)', subtitle: `left: max over the cut of ε/(${den} + √B), higher is better; right: σ_min of the best net at its optimal cut, lower is better` },
    hconcat: [
      panel('fom', `max ε/(${den} + √B)`, { title: `Punzi FOM ε/(${den} + √B)`, scale: { zero: true } }),
      panel('sigma', 'σ_min [fb]', yScale(rows.map((r) => r.sigma ?? NaN), 'σ_min [fb]')),
    ],
  };
}

/** Signal efficiency vs mass: at each mass's optimal cut (best net) and at the method's common cut. */
export function efficiencySpec(s: RunSummary, js: MethodJudgements[]): VegaLiteSpec {
  const results = new Map(sortedMasses(s).map((m) => [m.mass, m]));
  const rows = js.flatMap((j) => j.perMass.flatMap((p) => {
    const r = results.get(p.mass)?.results[j.method];
    return [{ method: labelOf(s, j.method), mass: p.mass, cut: 'common cut', eff: p.efficiencyCommon }, ...(r ? [{ method: labelOf(s, j.method), mass: p.mass, cut: 'optimal cut per mass', eff: r.efficiency }] : [])];
  }));
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 520, height: 280, data: { values: rows },
    title: { text: 'Signal efficiency vs mass', subtitle: 'ε = selected signal in the window / generated; solid: optimal cut per mass (σ_min), dashed: the method\'s one common cut' },
    mark: { type: 'line', strokeWidth: 1.5, point: { size: 18 } },
    encoding: {
      x: massAxis(s),
      y: { field: 'eff', type: 'quantitative', title: 'signal efficiency ε', scale: { domain: [0, 1] } },
      color: { ...methodColour(s), legend: { symbolType: 'stroke' } },
      strokeDash: { field: 'cut', type: 'nominal', title: 'cut', scale: { domain: ['optimal cut per mass', 'common cut'], range: [[1, 0], [5, 3]] }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2, encoding: { symbols: { stroke: { value: '#333' } } } } },
    },
  };
}

/** Weighted Pearson correlations of the input features, signal and background side by side. */
export function correlationSpec(c: FeatureCorrelations): VegaLiteSpec | null {
  const panels = (['signal', 'background'] as const).filter((k) => c[k]).map((k) => {
    const rows = c[k]!.flatMap((r, i) => r.map((v, j) => ({ a: c.features[i], b: c.features[j], rho: v, text: v.toFixed(2) })));
    const size = Math.min(420, Math.max(160, 34 * c.features.length));
    const enc = { x: { field: 'b', type: 'nominal', sort: c.features, title: null }, y: { field: 'a', type: 'nominal', sort: c.features, title: null } };
    return {
      width: size, height: size, title: { text: k, fontSize: 12 }, data: { values: rows },
      layer: [
        { mark: 'rect', encoding: { ...enc, color: { field: 'rho', type: 'quantitative', title: 'ρ', scale: { scheme: 'redblue', domain: [-1, 1], reverse: true } } } },
        ...(c.features.length <= 16 ? [{ mark: { type: 'text', fontSize: 9 }, encoding: { ...enc, text: { field: 'text' } } }] : []),
      ],
    };
  });
  if (panels.length === 0) return null;
  return {
    $schema: SCHEMA, config: { ...PLOT_CONFIG, axis: { ...PLOT_CONFIG.axis, grid: false } },
    title: { text: 'Feature correlations (weighted Pearson ρ, test split)', subtitle: 'red: positive, blue: negative; large |ρ| between inputs means redundant features' },
    hconcat: panels, resolve: { scale: { color: 'shared' } },
  };
}
