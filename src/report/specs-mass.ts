import { methodLabel, ratios, referenceMethod, sortedMasses, spansDecades } from './derive.js';
import { PLOT_CONFIG } from './render.js';
import type { VegaLiteSpec } from './render.js';
import type { MethodResult, RunSummary } from '../evaluate/summary.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Legend order and colours: reference first in a neutral blue, the rest in warm colours. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Axis title of the hypothesis mass, e.g. "m_Z′ [GeV]". */
export function massTitle(s: RunSummary): string {
  return `${s.meta.massSymbol ?? 'm_Z′'} [GeV]`;
}

/** Tick values 1-2-5 per decade (only powers of ten beyond 3 decades) covering [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const steps = b - a > 3 ? [1] : b - a > 1 ? [1, 3] : [1, 2, 5];
  for (let e = a; e <= b; e++) for (const m of steps) {
    const v = Number((m * 10 ** e).toPrecision(3));
    if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
  }
  return out;
}

/**
 * A y scale and axis: log (with readable ticks) when the values are all positive and span a decade
 * or more; linear otherwise (a loss such as mean ln σ_min can cross zero: a log axis would drop it).
 */
export function yScale(values: number[], title: string): { scale: Record<string, unknown>; axis: Record<string, unknown> } {
  const finite = values.filter((v) => Number.isFinite(v));
  const pos = finite.filter((v) => v > 0);
  if (pos.length < finite.length || !spansDecades(pos, 1)) return { scale: { zero: false }, axis: { title } };
  const lo = Math.min(...pos) / 1.3, hi = Math.max(...pos) * 1.3;
  const values_ = logTicks(lo, hi);
  return { scale: { type: 'log', domain: [lo, hi], nice: false }, axis: { title, values: values_, format: '~g' } };
}

function colourScale(s: RunSummary): Record<string, unknown> {
  const labels = s.methods.map(methodLabel);
  return { domain: labels, range: labels.map((_, i) => PALETTE[i % PALETTE.length]) };
}

const METHOD_LEGEND = { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2.5 };
const HYP_SET = { domain: ['trained', 'held out'], range: ['circle', 'square'] };
/** Legend of the marker kind: filled for trained masses, open for held out (as in the plot). */
const HYP_LEGEND = {
  symbolStrokeWidth: 1.5,
  encoding: { symbols: { stroke: { value: '#333' }, fill: { condition: { test: "datum.value === 'held out'", value: 'white' }, value: '#333' }, fillOpacity: { value: 1 } } },
};

/** Point layers: filled markers at trained masses, open (white-filled) at held-out ones. */
function markers(x: object, y: object, colour: Record<string, unknown>, tooltip: object[]): object[] {
  const layer = (set: string, filled: boolean): object => ({
    transform: [{ filter: `datum.set === '${set}'` }],
    mark: { type: 'point', filled, ...(filled ? {} : { fill: 'white' }), size: 45, strokeWidth: 1.6, opacity: 1 },
    encoding: { x, y, color: colour, shape: { field: 'set', type: 'nominal', title: 'hypothesis', scale: HYP_SET, legend: HYP_LEGEND }, tooltip },
  });
  return [layer('trained', true), layer('held out', false)];
}

/** Mass axis over the data with 3 % margins (no padding ticks at 0). */
function massX(s: RunSummary): Record<string, unknown> {
  const ms = s.masses.map((m) => m.mass);
  const lo = Math.min(...ms), hi = Math.max(...ms), pad = Math.max((hi - lo) * 0.03, 0.01 * Math.abs(hi) || 0.1);
  return { field: 'mass', type: 'quantitative', title: massTitle(s), scale: { domain: [lo - pad, hi + pad], nice: false, zero: false } };
}

/**
 * The figure the headline plot shows: σ_min (default), or the search's figure (`meta.figure`)
 * with its label, unit and direction, read from the per-mass figure fields.
 */
function headline(s: RunSummary): { label: string; title: string; better: 'lower' | 'higher'; of: (r: MethodResult) => { mean: number; se: number; common: number; best: number } } {
  const f = s.meta.figure;
  if (!f || f.name === 'sigmaMin') {
    return { label: 'σ_min', title: 'σ_min [fb]', better: 'lower', of: (r) => ({ mean: r.sigmaMinMean, se: r.sigmaMinSe, common: r.sigmaMinCommon, best: r.sigmaMinBest }) };
  }
  const v = (x: number | null | undefined): number => (typeof x === 'number' ? x : NaN);
  return {
    label: f.label, title: f.unit ? `${f.label} [${f.unit}]` : f.label, better: f.better,
    of: (r) => ({ mean: v(r.figureMean), se: v(r.figureSe), common: v(r.figureCommon), best: v(r.figureBest) }),
  };
}

/** The figure (σ_min by default) vs mass per method: mean line, mean ± s.e. band, common-cut dashed, open markers held out. */
export function sigmaMinSpec(s: RunSummary): VegaLiteSpec {
  const fig = headline(s);
  const rows = [];
  for (const mp of sortedMasses(s)) for (const m of s.methods) {
    const r = fig.of(mp.results[m.name]);
    rows.push({
      mass: mp.mass, method: methodLabel(m), set: mp.heldOut ? 'held out' : 'trained',
      mean: r.mean, lo: Math.max(r.mean - r.se, r.mean * 0.1), hi: r.mean + r.se,
      common: r.common, best: r.best,
    });
  }
  const y = yScale(rows.flatMap((r) => [r.lo, r.hi, r.common]), fig.title);
  const x = massX(s);
  const colour = { field: 'method', type: 'nominal', title: 'method', scale: colourScale(s), legend: METHOD_LEGEND };
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 560, height: 340, data: { values: rows },
    title: {
      text: fig.label === 'σ_min' ? 'Sensitivity σ_min vs hypothesis mass (lower is better)' : `${fig.label} vs hypothesis mass (${fig.better} is better)`,
      subtitle: 'line and band: ensemble mean ± standard error at the per-mass optimal cut; dashed: one common cut; open markers: held-out masses',
    },
    layer: [
      { mark: { type: 'area', opacity: 0.22 }, encoding: { x, y: { field: 'lo', type: 'quantitative', ...y }, y2: { field: 'hi' }, color: colour } },
      { mark: { type: 'line', strokeWidth: 1.8 }, encoding: { x, y: { field: 'mean', type: 'quantitative', ...y }, color: colour } },
      { mark: { type: 'line', strokeWidth: 1.2, strokeDash: [5, 4], opacity: 0.85 }, encoding: { x, y: { field: 'common', type: 'quantitative', ...y }, color: colour } },
      ...markers(x, { field: 'mean', type: 'quantitative', ...y }, colour, [{ field: 'method' }, { field: 'mass', format: '.4g' }, { field: 'mean', format: '.4g', title: `${fig.label} mean` }, { field: 'best', format: '.4g', title: `${fig.label} best` }]),
    ],
    resolve: { scale: { color: 'shared' } },
  };
}

/** figure(method)/figure(reference) per mass from the figure fields, s.e. from the two relative s.e. in quadrature. */
function figureRatios(s: RunSummary, fig: ReturnType<typeof headline>): ReturnType<typeof ratios> {
  const ref = referenceMethod(s);
  const out: ReturnType<typeof ratios> = [];
  for (const mp of sortedMasses(s)) {
    const b = fig.of(mp.results[ref]);
    for (const m of s.methods) {
      if (m.name === ref) continue;
      const a = fig.of(mp.results[m.name]);
      const ratio = b.mean > 0 ? a.mean / b.mean : NaN;
      const rel = Math.hypot(a.mean > 0 ? a.se / a.mean : 0, b.mean > 0 ? b.se / b.mean : 0);
      if (Number.isFinite(ratio)) out.push({ mass: mp.mass, heldOut: mp.heldOut, method: m.name, ratio, se: Math.abs(ratio) * rel });
    }
  }
  return out;
}

/** figure(method)/figure(reference) (σ_min by default) vs mass with s.e. error bars and a line at 1. */
export function ratioSpec(s: RunSummary): VegaLiteSpec | null {
  const ref = referenceMethod(s);
  const refInfo = s.methods.find((m) => m.name === ref)!;
  const labelOf = new Map(s.methods.map((m) => [m.name, methodLabel(m)]));
  const fig = headline(s);
  const rows = (fig.label === 'σ_min' ? ratios(s) : figureRatios(s, fig)).map((r) => ({
    mass: r.mass, method: labelOf.get(r.method)!, set: r.heldOut ? 'held out' : 'trained', ratio: r.ratio, lo: r.ratio - r.se, hi: r.ratio + r.se,
  }));
  if (rows.length === 0) return null;
  const others = s.methods.filter((m) => m.name !== ref);
  const num = others.length === 1 ? methodLabel(others[0]) : 'method';
  const title = `${fig.label}(${num}) / ${fig.label}(${methodLabel(refInfo)})`;
  const x = massX(s);
  const colour = { field: 'method', type: 'nominal', title: 'method', scale: colourScale(s), legend: others.length > 1 ? METHOD_LEGEND : null };
  const lo = Math.min(1, ...rows.map((r) => r.lo)), hi = Math.max(1, ...rows.map((r) => r.hi));
  const pad = Math.max((hi - lo) * 0.08, 0.02);
  const y = { scale: { domain: [lo - pad, hi + pad], nice: false, zero: false }, axis: { title } };
  return {
    $schema: SCHEMA, config: PLOT_CONFIG, width: 560, height: 260,
    title: { text: `Ratio of ${fig.label} to ${methodLabel(refInfo)} (${fig.better === 'lower' ? 'below' : 'above'} 1: better than ${methodLabel(refInfo)})`, subtitle: 'ensemble means; error bars from the standard errors; open markers: held-out masses' },
    layer: [
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#444', strokeDash: [4, 3] }, encoding: { y: { field: 'one', type: 'quantitative', ...y } } },
      {
        data: { values: rows },
        layer: [
          { mark: { type: 'line', strokeWidth: 1, opacity: 0.6 }, encoding: { x, y: { field: 'ratio', type: 'quantitative', ...y }, color: colour } },
          { mark: { type: 'rule', strokeWidth: 1.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', ...y }, y2: { field: 'hi' }, color: colour } },
          ...markers(x, { field: 'ratio', type: 'quantitative', ...y }, colour, [{ field: 'method' }, { field: 'mass', format: '.4g' }, { field: 'ratio', format: '.3f' }]),
        ],
      },
    ],
  };
}
