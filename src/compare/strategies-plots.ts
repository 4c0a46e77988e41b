import { PLOT_CONFIG, type VegaLiteSpec } from '../report/render.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** one colour per strategy (20 distinct ones), in the comparison's order */
const strategyColour = (methods: readonly string[]) => ({ field: 'method', type: 'nominal', title: 'strategy', scale: { domain: [...methods], scheme: 'tableau20' } });

/** The study's ROC panels: signal efficiency against background efficiency (log) in the window of each panel mass, one line per strategy. */
export function rocPanelsSpec(points: Array<{ method: string; mass: number; fpr: number; tpr: number }>, methods: readonly string[]): VegaLiteSpec {
  return {
    $schema: SCHEMA, config: PLOT_CONFIG,
    title: { text: 'ROC per mass (test split, best seed by validation AUC)', subtitle: 'signal of the mass vs background, both in its ±2σ window of the reconstructed mass, weighted' },
    data: { values: points.filter((p) => p.fpr > 0).map((p) => ({ ...p, panel: `m = ${(p.mass / 1000).toFixed(1)} TeV` })) },
    facet: { field: 'panel', type: 'ordinal', title: null, sort: { field: 'mass' } }, columns: 2,
    spec: {
      width: 260, height: 200, mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'fpr', type: 'quantitative', title: 'background efficiency', scale: { type: 'log', domain: [1e-4, 1] } },
        y: { field: 'tpr', type: 'quantitative', title: 'signal efficiency', scale: { domain: [0, 1] } },
        color: strategyColour(methods),
      },
    },
  };
}

/** A per-mass figure (AUC, signal efficiency at fixed rejection, Z) against the mass, one line per strategy; held-out masses as open points. */
export function perMassSpec(rows: Array<{ method: string; mass: number; y: number | null; heldOut: boolean }>, methods: readonly string[], title: string, yTitle: string, subtitle: string): VegaLiteSpec {
  const values = rows.filter((r) => r.y !== null && Number.isFinite(r.y)).map((r) => ({ ...r, mass: r.mass / 1000, held: r.heldOut ? 'held out' : 'trained' }));
  const x = { field: 'mass', type: 'quantitative', title: 'm_T hypothesis (TeV)' }, y = { field: 'y', type: 'quantitative', title: yTitle };
  const color = strategyColour(methods);
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 480, height: 280, title: { text: title, subtitle }, data: { values },
    layer: [
      { mark: { type: 'line', point: false }, encoding: { x, y, color } },
      { mark: { type: 'point', filled: true, size: 18 }, transform: [{ filter: "datum.held === 'trained'" }], encoding: { x, y, color } },
      { mark: { type: 'point', filled: false }, transform: [{ filter: "datum.held === 'held out'" }], encoding: { x, y, color } },
    ],
  };
}

/** Background-shape preservation: passing over all background, normalised spectra, against m_rec — one panel per background efficiency. */
export function backgroundShapeSpec(rows: Array<{ method: string; efficiency: number; m: number; ratio: number }>, methods: readonly string[]): VegaLiteSpec {
  return {
    $schema: SCHEMA, config: PLOT_CONFIG,
    title: { text: 'Background shape after a threshold (test split, best seed)', subtitle: 'normalised m_T^rec spectrum of the passing background over that of all background in the windows; 1 = shape kept' },
    data: { values: rows.map((r) => ({ ...r, m: r.m / 1000, panel: `background efficiency ${(100 * r.efficiency).toPrecision(2)} %` })) },
    facet: { field: 'panel', type: 'ordinal', title: null, sort: { field: 'efficiency', order: 'descending' } }, columns: 3,
    spec: {
      width: 240, height: 180, mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'm', type: 'quantitative', title: 'm_T^rec (TeV)' },
        y: { field: 'ratio', type: 'quantitative', title: 'passing / all (normalised)', scale: { type: 'symlog' } },
        color: strategyColour(methods),
      },
    },
  };
}
