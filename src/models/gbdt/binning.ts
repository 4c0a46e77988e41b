/**
 * Quantile binning of the features (XGBoost's 'hist' method). Two ways to place ≤ maxBin cuts per column:
 * 'sketch' (default): XGBoost 1.7's own weighted quantile sketch of all rows (sketch.ts), so that its trees and
 * fomlab's split on the same values; 'quantile': exact weighted quantiles of ≤ 2^18 evenly spaced rows.
 * bin(x) = number of cuts ≤ x (capped at the last bin), 255 for a missing value (NaN). A column with NaN has ≤ 255
 * value bins (code 255 is its missing slot), one without may have 256 (XGBoost's max_bin 256; a NaN met later goes
 * right, as its splits say). A split "bin ≤ b" is the raw cut "x < cuts[b]".
 * TypeScript twin of gbdt_cuts / gbdt_sketch_cuts / gbdt_bin_column (native/src).
 */
import { gbdtNative } from './native.js';
import { sketchCutsOf } from './sketch.js';

export const MISSING_BIN = 255;
export type CutMethod = 'sketch' | 'quantile';
const QUANTILE_ROWS = 1 << 18;

/** Cuts of one column; weights |w| (negative weights count by their size). */
export function cutsOf(x: Float32Array, w: Float32Array | null, maxBin: number): Float32Array {
  const n = x.length;
  const m = Math.min(n, QUANTILE_ROWS);
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < m; k++) {
    const i = n <= QUANTILE_ROWS ? k : Math.floor((k * n) / QUANTILE_ROWS);
    const v = x[i];
    if (Number.isNaN(v)) continue;
    pairs.push([v, w ? Math.abs(w[i]) : 1]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const vals: number[] = [], wts: number[] = [];
  for (const [v, wt] of pairs) {
    if (vals.length && vals[vals.length - 1] === v) wts[wts.length - 1] += wt;
    else { vals.push(v); wts.push(wt); }
  }
  if (!vals.length) return Float32Array.of(0);
  const cuts: number[] = [];
  if (vals.length <= maxBin) for (let j = 1; j < vals.length; j++) cuts.push(vals[j]);
  else {
    let W = 0;
    for (const v of wts) W += v;
    let below = 0, q = 1;
    for (let j = 0; j < vals.length && q < maxBin; j++) {
      if (j > 0 && below >= (q * W) / maxBin) {
        cuts.push(vals[j]);
        while (q < maxBin && below >= (q * W) / maxBin) q++;
      }
      below += wts[j];
    }
  }
  const top = Math.fround(vals[vals.length - 1]);
  cuts.push(Math.fround(top + Math.fround(Math.abs(top) + Math.fround(1e-5))));
  return Float32Array.from(cuts);
}

/** Row-major n × nf bin codes of the columns with the given cuts. */
export function binColumnsTs(columns: Float32Array[], cuts: Float32Array[], n: number): Uint8Array {
  const nf = columns.length;
  const out = new Uint8Array(n * nf);
  for (let f = 0; f < nf; f++) {
    const c = cuts[f], x = columns[f];
    for (let i = 0; i < n; i++) {
      const v = x[i];
      let b: number;
      if (Number.isNaN(v)) b = MISSING_BIN;
      else {
        let lo = 0, hi = c.length; // upper_bound
        while (lo < hi) { const mid = (lo + hi) >> 1; if (c[mid] <= v) lo = mid + 1; else hi = mid; }
        b = Math.min(lo, c.length - 1);
      }
      out[i * nf + f] = b;
    }
  }
  return out;
}

/** The binned matrix of the columns: native when the addon is built. */
export function binColumns(columns: Float32Array[], cuts: Float32Array[], n: number): Uint8Array {
  if (!gbdtNative) return binColumnsTs(columns, cuts, n);
  const out = new Uint8Array(n * columns.length);
  gbdtNative.gbdtBin(columns, cuts, n, out);
  return out;
}

/** value bins of a column for max_bin: 256 only when it has no missing value (code 255 is otherwise NaN's) */
export function binsFor(column: Float32Array, maxBin: number): number {
  return maxBin > MISSING_BIN && column.some(Number.isNaN) ? MISSING_BIN : maxBin;
}

/** Cuts of each column, by the C++ engine when `engine` is 'native' and the addon is built. */
export function columnCuts(columns: Float32Array[], w: Float32Array | null, maxBin: number, method: CutMethod, engine: 'native' | 'typescript'): Float32Array[] {
  const bins = Int32Array.from(columns, (c) => binsFor(c, maxBin));
  if (engine === 'native' && gbdtNative) return gbdtNative.gbdtCutsColumns(columns, w, bins, method === 'sketch');
  return columns.map((c, j) => (method === 'sketch' ? sketchCutsOf(c, w, bins[j]) : cutsOf(c, w, bins[j])));
}
