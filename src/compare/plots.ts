import { PLOT_CONFIG, type VegaLiteSpec } from '../report/render.js';
import type { CellResult } from './cell.js';

/**
 * Figs. 4–5 of the H→Zγ study: the normalised background mass histogram in each of the
 * equal-signal output bins (one line per bin; lines that differ = the output sculpts the mass).
 */
export function massPerBinSpec(c: CellResult, massTitle: string): VegaLiteSpec {
  const values = c.histograms.flatMap((h, b) => h.map((y, k) => ({ bin: `${b + 1}`, m: (c.massEdges[k] + c.massEdges[k + 1]) / 2, y })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: PLOT_CONFIG, width: 360, height: 220,
    title: { text: `${c.method}: background mass per output bin`, subtitle: `trial ${c.seed}; correlation ${(1000 * c.correlation).toFixed(2)}×10⁻³` },
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'm', type: 'quantitative', title: massTitle, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'fraction of background' },
      color: { field: 'bin', type: 'ordinal', title: 'output bin', scale: { scheme: 'viridis' } },
    },
  };
}

/** Fig. 7: validation loss and expected significance against the epoch, the chosen epoch marked. */
export function lossSignificanceSpec(c: CellResult): VegaLiteSpec {
  const loss = c.history.map((e) => ({ epoch: e.epoch, v: e.validLoss }));
  const z = c.history.filter((e) => e.significance !== undefined).map((e) => ({ epoch: e.epoch, v: e.significance! }));
  const layer = (values: unknown[], colour: string, title: string, point: boolean): VegaLiteSpec => ({
    data: { values }, mark: { type: 'line', color: colour, point },
    encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epoch' }, y: { field: 'v', type: 'quantitative', title, scale: { zero: false }, axis: { titleColor: colour } } },
  });
  const best = c.bestEpoch !== null ? [{ data: { values: [{ epoch: c.bestEpoch }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'epoch', type: 'quantitative' } } }] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: PLOT_CONFIG, width: 360, height: 220,
    title: { text: `${c.method}: loss and significance per epoch`, subtitle: `trial ${c.seed}; chosen epoch ${c.bestEpoch ?? '—'} (dashed)` },
    layer: [layer(loss, '#1f77b4', 'validation loss', false), layer(z, '#d62728', 'expected significance (validation)', true), ...best],
    resolve: { scale: { y: 'independent' } },
  };
}
