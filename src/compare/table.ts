import type { CellResult } from './cell.js';
import { meanVariance } from '../evaluate/spread.js';

/** mean and spread (sample standard deviation; 0 for one trial) of a list */
export function meanSpread(v: number[]): { mean: number; spread: number } {
  if (v.length === 0) return { mean: NaN, spread: NaN };
  const { mean, variance } = meanVariance(v);
  return { mean, spread: Math.sqrt(variance) };
}

/** One row of Table 1: a method's numbers as mean ± spread over its trials. */
export interface TableRow {
  method: string;
  loss: string;
  trials: number;
  significance: { mean: number; spread: number };
  /** AUC in % */
  auc: { mean: number; spread: number };
  /** background correlation × 10³ */
  correlation: { mean: number; spread: number };
  bestEpoch: { mean: number; spread: number } | null;
}

export function tableRows(methods: string[], cells: CellResult[]): TableRow[] {
  return methods.map((name) => {
    const cs = cells.filter((c) => c.method === name);
    const epochs = cs.map((c) => c.bestEpoch).filter((e): e is number => e !== null);
    return {
      method: name, loss: cs[0]?.loss ?? '', trials: cs.length,
      significance: meanSpread(cs.map((c) => c.significance)),
      auc: meanSpread(cs.map((c) => 100 * c.auc)),
      correlation: meanSpread(cs.map((c) => 1000 * c.correlation)),
      bestEpoch: epochs.length ? meanSpread(epochs) : null,
    };
  });
}

const fixed = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : '');
const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Table 1 as CSV: one line per method, means and spreads in their own columns (full precision). */
export function tableCsv(rows: TableRow[]): string {
  const head = 'method,loss,trials,significance,significance_spread,auc_percent,auc_spread,bkg_correlation_1e-3,bkg_correlation_spread,best_epoch,best_epoch_spread';
  const lines = rows.map((r) => [
    csvField(r.method), csvField(r.loss), String(r.trials), String(r.significance.mean), String(r.significance.spread), String(r.auc.mean), String(r.auc.spread),
    String(r.correlation.mean), String(r.correlation.spread), r.bestEpoch ? String(r.bestEpoch.mean) : '', r.bestEpoch ? String(r.bestEpoch.spread) : '',
  ].join(','));
  return `${[head, ...lines].join('\n')}\n`;
}

/** Table 1 as text for the terminal and docs (markdown). */
export function tableMarkdown(rows: TableRow[]): string {
  const pm = (x: { mean: number; spread: number } | null, d: number): string => (x ? `${fixed(x.mean, d)} ± ${fixed(x.spread, d)}` : '—');
  const lines = ['| method | loss | significance | AUC (%) | bkg. correlation (×10⁻³) | best epoch |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.method} | ${r.loss} | ${pm(r.significance, 3)} | ${pm(r.auc, 2)} | ${pm(r.correlation, 2)} | ${pm(r.bestEpoch, 1)} |`);
  return lines.join('\n');
}
