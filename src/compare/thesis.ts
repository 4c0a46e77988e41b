import { windowRows } from '../evaluate/judgements.js';
import { zCurve } from '../evaluate/zcurve.js';
import type { WindowIncidence } from '../physics/windows.js';
import { escapeHtml } from '../report/html.js';
import type { CellResult } from './cell.js';
import { meanSpread } from './table.js';

/**
 * The VLQ thesis' Z-vs-threshold numbers (its table 6.2) of one cell: the Asimov Z of the weighted
 * signal S(t) and background B(t) with output ≥ t (evaluate/zcurve.ts, 101 thresholds on [0, 1], a
 * threshold valid only with ≥ 10 raw signal and ≥ 10 raw background events), on the test events
 * inside any hypothesis' window (signal inside its own), as the run report's Z-vs-threshold curve.
 */
export interface ThesisNumbers {
  maxZ: number;
  /** threshold of the largest Z (null when no threshold keeps 10 signal and 10 background events) */
  thresholdAtMax: number | null;
  /** Z at the working points 0.3, 0.5, 0.8, 0.95 */
  z03: number;
  z05: number;
  z08: number;
  z095: number;
  /** ∫ Z dt over [0, 1] */
  area: number;
  /** R10 %: fraction of the 101 thresholds with Z ≥ 0.9 · max Z */
  r10: number;
}

export const THESIS_WORKING_POINTS = [0.3, 0.5, 0.8, 0.95] as const;

/** The test events inside a window of any hypothesis (signal: its own), ascending rows. */
export function pooledWindowRows(incidence: WindowIncidence): Uint32Array {
  return windowRows(incidence, Array.from({ length: incidence.nHypotheses }, (_, h) => h));
}

/** The thesis numbers of test scores on the rows `rows` (negative weights set to 0, as the report's judging). */
export function thesisNumbers(scores: Float32Array, labels: Float32Array, weights: Float32Array, rows: Uint32Array): ThesisNumbers {
  const pick = (a: Float32Array, clamp: boolean): Float32Array => Float32Array.from(rows, (i) => (clamp && a[i] < 0 ? 0 : a[i]));
  const zc = zCurve({ output: pick(scores, false), label: pick(labels, false), weight: pick(weights, true) }, { thresholds: 101, workingPoints: THESIS_WORKING_POINTS });
  const [z03, z05, z08, z095] = zc.workingPoints.map((w) => w.z);
  return { maxZ: zc.maxZ, thresholdAtMax: Number.isFinite(zc.thresholdAtMax) ? zc.thresholdAtMax : null, z03, z05, z08, z095, area: zc.area, r10: zc.r10 };
}

type Spread = { mean: number; spread: number };

/** One row of the thesis' table 6.2: a method's Z-vs-threshold numbers, mean ± spread over its trials. */
export interface ThesisRow {
  method: string;
  loss: string;
  trials: number;
  maxZ: Spread;
  thresholdAtMax: Spread;
  z03: Spread;
  z05: Spread;
  z08: Spread;
  z095: Spread;
  area: Spread;
  /** R10 % as a fraction (0.13 = 13 % of the thresholds) */
  r10: Spread;
  bestEpoch: Spread | null;
}

const THESIS_COLUMNS = ['maxZ', 'thresholdAtMax', 'z03', 'z05', 'z08', 'z095', 'area', 'r10'] as const;

export function thesisRows(methods: string[], cells: CellResult[]): ThesisRow[] {
  return methods.map((name) => {
    const cs = cells.filter((c) => c.method === name && c.zCurve);
    const epochs = cs.map((c) => c.bestEpoch).filter((e): e is number => e !== null);
    const col = (k: (typeof THESIS_COLUMNS)[number]): Spread => meanSpread(cs.map((c) => c.zCurve![k] ?? NaN).filter(Number.isFinite));
    return {
      method: name, loss: cs[0]?.loss ?? '', trials: cs.length,
      maxZ: col('maxZ'), thresholdAtMax: col('thresholdAtMax'), z03: col('z03'), z05: col('z05'), z08: col('z08'), z095: col('z095'), area: col('area'), r10: col('r10'),
      bestEpoch: epochs.length ? meanSpread(epochs) : null,
    };
  });
}

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const num = (v: number): string => (Number.isFinite(v) ? String(v) : '');

/** The thesis table as CSV: one line per method, each column's mean and spread (full precision). */
export function thesisCsv(rows: ThesisRow[]): string {
  const head = ['method', 'loss', 'trials', ...THESIS_COLUMNS.flatMap((k) => [k, `${k}_spread`]), 'best_epoch', 'best_epoch_spread'].join(',');
  const lines = rows.map((r) => [csvField(r.method), csvField(r.loss), String(r.trials), ...THESIS_COLUMNS.flatMap((k) => [num(r[k].mean), num(r[k].spread)]), r.bestEpoch ? num(r.bestEpoch.mean) : '', r.bestEpoch ? num(r.bestEpoch.spread) : ''].join(','));
  return `${[head, ...lines].join('\n')}\n`;
}

const pm = (x: Spread | null, d: number): string => (x && Number.isFinite(x.mean) ? `${x.mean.toFixed(d)} ± ${x.spread.toFixed(d)}` : '—');
export const THESIS_HEADINGS = ['method', 'loss', 'max Z', 't at max Z', 'Z(0.3)', 'Z(0.5)', 'Z(0.8)', 'Z(0.95)', 'area', 'R10 %', 'best epoch'];

/** The cells of one row as text (mean ± spread), in THESIS_HEADINGS order after method and loss. */
export function thesisCells(r: ThesisRow, digits = 3): string[] {
  return [pm(r.maxZ, digits), pm(r.thresholdAtMax, 2), pm(r.z03, digits), pm(r.z05, digits), pm(r.z08, digits), pm(r.z095, digits), pm(r.area, 4), pm(r.r10, 2), pm(r.bestEpoch, 1)];
}

/** The thesis table as markdown (the terminal and docs). */
export function thesisMarkdown(rows: ThesisRow[]): string {
  const lines = [`| ${THESIS_HEADINGS.join(' | ')} |`, `|${THESIS_HEADINGS.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.method} | ${r.loss} | ${thesisCells(r).join(' | ')} |`);
  return lines.join('\n');
}

/** The thesis table as HTML, with what its columns mean. */
export function thesisHtml(rows: ThesisRow[]): string {
  const body = rows.map((r) => `<tr><td>${escapeHtml(r.method)}</td><td>${escapeHtml(r.loss)}</td>${thesisCells(r).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<p>Columns as the VLQ thesis' table 6.2: Asimov Z(t) of the weighted signal and background with output ≥ t, on the test events inside any hypothesis' window (signal inside its own), on 101 thresholds in [0, 1]; a threshold counts only with ≥ 10 signal and ≥ 10 background events. Z at the working points 0.3, 0.5, 0.8, 0.95; area = ∫ Z dt; R10 % = the fraction of thresholds with Z ≥ 0.9 · max Z (a wide plateau is a cut that is easy to place).</p>
<table><thead><tr>${THESIS_HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table>`;
}
