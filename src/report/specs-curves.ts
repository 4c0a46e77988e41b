import { logit, methodLabel } from './derive.js';
import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import { massTitle, yScale } from './specs-mass.js';
import type { OutputDistribution, RunSummary, StageHistory } from '../evaluate/summary.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function label(s: RunSummary, method: string): string {
  const m = s.methods.find((x) => x.name === method);
  return m ? methodLabel(m) : method;
}

/** Loss (train and validation), validation σ_min and learning rate vs epoch for one stage. */
export function trainingSpec(s: RunSummary, h: StageHistory): VegaLiteSpec {
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false, nice: false } };
  const loss = [];
  for (const e of h.epochs) {
    loss.push({ epoch: e.epoch, sample: 'training', value: e.trainLoss });
    if (e.validLoss !== null) loss.push({ epoch: e.epoch, sample: 'validation', value: e.validLoss });
  }
  const fom = h.epochs.filter((e) => e.validFom !== null).map((e) => ({ epoch: e.epoch, value: e.validFom as number }));
  const lr = h.epochs.map((e) => ({ epoch: e.epoch, value: e.lr }));
  const best = h.bestEpoch !== undefined ? [{ epoch: h.bestEpoch }] : [];
  const bestRule = { data: { values: best }, mark: { type: 'rule', color: '#2ca02c', strokeDash: [3, 3] }, encoding: { x } };
  const panel = (values: object[], title: string, y: ReturnType<typeof yScale>, extra: Record<string, unknown> = {}, interpolate = 'linear'): Record<string, unknown> => ({
    width: 260, height: 190, title: { text: title, fontSize: 12 },
    layer: [{ data: { values }, mark: { type: 'line', strokeWidth: 1.3, interpolate, clip: true }, encoding: { x, y: { field: 'value', type: 'quantitative', ...y }, ...extra } }, ...(best.length ? [bestRule] : [])],
  });
  const lossTitle = h.loss ?? 'loss';
  const panels: Record<string, unknown>[] = [
    panel(loss, 'Loss', yScale(loss.map((r) => r.value), lossTitle), {
      color: { field: 'sample', type: 'nominal', title: null, scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#ff7f0e'] }, legend: { orient: 'top-right' } },
    }),
  ];
  if (fom.length) panels.push(panel(fom, 'Validation figure of merit', yScale(fom.map((r) => r.value), 'geometric mean σ_min [fb]')));
  const lrPos = lr.map((r) => r.value).filter((v) => v > 0);
  const lrAxis = lrPos.length > 1 && Math.max(...lrPos) / Math.min(...lrPos) > 1.5
    ? { scale: { type: 'log' }, axis: { title: 'learning rate', format: '.0e' } }
    : { scale: { zero: false }, axis: { title: 'learning rate', format: '.2e' } };
  panels.push(panel(lr, 'Learning rate', lrAxis, {}, 'step-after'));
  const who = h.net !== undefined ? `, net ${h.net}` : '';
  return {
    $schema: SCHEMA, config: PLOT_CONFIG,
    title: { text: `Training: ${label(s, h.method)}, stage '${h.stage}'${who}`, subtitle: best.length ? `green dashed line: checkpointed epoch ${h.bestEpoch}` : '' },
    hconcat: panels,
    resolve: { scale: { color: 'independent' } },
  };
}

/** Bin contents divided by (sum × bin width): 1/N dN/d(logit); all-zero histograms stay zero. */
function density(counts: number[], edges: number[]): number[] {
  let sum = 0;
  for (const c of counts) sum += c;
  return counts.map((c, i) => (sum > 0 ? c / (sum * (edges[i + 1] - edges[i])) : 0));
}

/** Step-curve points at the bin edges (the last value repeated at the upper edge). */
function steps(values: number[], edges: number[]): Array<{ x: number; y: number }> {
  const pts = values.map((y, i) => ({ x: edges[i], y }));
  pts.push({ x: edges[edges.length - 1], y: values[values.length - 1] });
  return pts;
}

/**
 * Output distribution before the last sigmoid (as Figs. 5–6 of the Punzi-loss paper): background
 * filled grey, signal per hypothesis as faint lines coloured by mass, the optimal cut per mass as
 * vertical lines in the same colours (dashed for held-out masses). Each histogram has unit area.
 */
export function outputSpec(s: RunSummary, d: OutputDistribution): VegaLiteSpec {
  const bg = steps(density(d.background, d.edges), d.edges);
  const sig = d.signal.flatMap((h) => steps(density(h.counts, d.edges), d.edges).map((p) => ({ ...p, mass: h.mass })));
  const lo = d.edges[0], hi = d.edges[d.edges.length - 1];
  const cuts = s.masses.map((mp) => ({ mass: mp.mass, set: mp.heldOut ? 'held out' : 'trained', cut: logit(mp.results[d.method].cut), cutScore: mp.results[d.method].cut }))
    .filter((c) => c.cut >= lo && c.cut <= hi);
  const masses = [...s.masses.map((m) => m.mass), ...d.signal.map((h) => h.mass)];
  const massScale = { type: 'linear', scheme: { name: 'viridis', extent: [0, 0.85] }, domain: [Math.min(...masses), Math.max(...masses)], clamp: true };
  const x = { field: 'x', type: 'quantitative', title: 'network output before the last sigmoid (logit)', scale: { domain: [lo, hi], nice: false, zero: false } };
  const y = { field: 'y', type: 'quantitative', title: '1/N dN/d(logit)' };
  const who = d.net !== undefined ? `, net ${d.net}` : '';
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 600, height: 320,
    title: {
      text: `Output distribution: ${label(s, d.method)}${who}`,
      subtitle: 'grey: background; lines: signal per hypothesis; vertical lines: optimal cut per mass (dashed: held out); colour = mass; unit area each',
    },
    layer: [
      { data: { values: bg }, mark: { type: 'area', interpolate: 'step-after', color: '#999', opacity: 0.45, line: { color: '#555', strokeWidth: 1 } }, encoding: { x, y } },
      { data: { values: sig }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1, opacity: Math.min(0.6, Math.max(0.25, 10 / Math.max(1, d.signal.length))) }, encoding: { x, y, detail: { field: 'mass', type: 'nominal' }, color: { field: 'mass', type: 'quantitative', title: massTitle(s), scale: massScale } } },
      {
        data: { values: cuts },
        mark: { type: 'rule', strokeWidth: 1.2, opacity: 0.9 },
        encoding: {
          x: { field: 'cut', type: 'quantitative' },
          color: { field: 'mass', type: 'quantitative', scale: massScale, title: massTitle(s) },
          strokeDash: { field: 'set', type: 'nominal', title: 'optimal cut', scale: { domain: ['trained', 'held out'], range: [[1, 0], [5, 3]] } },
          tooltip: [{ field: 'mass', format: '.4g' }, { field: 'cut', format: '.3f', title: 'cut (logit)' }, { field: 'cutScore', format: '.4f', title: 'cut (output)' }],
        },
      },
    ],
  };
}
