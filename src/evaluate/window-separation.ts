/**
 * What a classifier has to work with in each mass window, before any training: the weighted
 * background yield per process (which background dominates) and the weighted AUC of every input
 * feature alone (signal of the window's mass against all background in the window).
 *
 * A feature's AUC is P(signal feature > background feature) with the event weights (ties half),
 * = scikit-learn's `roc_auc_score(label, feature, sample_weight=w)` (rocAuc). 0.5 is no
 * separation; 0.3 separates as well as 0.7 (the direction is reversed). `separation` = |AUC − 0.5|.
 */
import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import { rocAuc } from './roc.js';

export interface WindowSeparation {
  /** hypothesis mass [GeV] */
  mass: number;
  /** window on the scanned variable (low, high) */
  low: number;
  high: number;
  /** signal events of this mass in the window and their weight sum */
  signalEvents: number;
  signalWeight: number;
  /** background weight sum (to the target luminosity) and raw event count per process name */
  background: Record<string, { weight: number; events: number }>;
  /** name of the process with the largest background weight ('' when no background) */
  dominant: string;
  /** weighted AUC per feature, in the order of `features`; NaN when signal or background is empty */
  auc: number[];
  features: string[];
}

export interface WindowSeparationOptions {
  /** process name per category id (category role); default "category N" */
  processNames?: readonly string[];
  /** generated-mass tolerance matching a signal event to a hypothesis (default 1e-6 GeV) */
  genMassTolerance?: number;
}

/**
 * Per hypothesis `masses[h]` with window [low[h], high[h]] on the table's mass role: the background
 * composition and the single-feature AUCs. Needs the roles features, label, mass, weight, genMass
 * and category.
 */
export function windowSeparation(
  events: EventTable, masses: ArrayLike<number>, windows: { low: ArrayLike<number>; high: ArrayLike<number> }, opts: WindowSeparationOptions = {},
): WindowSeparation[] {
  for (const role of ['label', 'mass', 'weight', 'genMass', 'category'] as const) {
    if (!events.hasRole(role)) throw new FomlabError(`${events.source}: the window separation needs the ${role} role`);
  }
  if (windows.low.length !== masses.length || windows.high.length !== masses.length) {
    throw new FomlabError(`window separation: ${masses.length} masses but ${windows.low.length} windows`);
  }
  const features = events.roles.features;
  const cols = features.map((f) => events.column(f));
  const label = events.labels(), mass = events.mass(), weight = events.weights();
  const gen = events.column(events.roles.genMass as string), category = events.column(events.roles.category as string);
  const tol = opts.genMassTolerance ?? 1e-6;
  const name = (c: number): string => opts.processNames?.[c] ?? `category ${c}`;
  const out: WindowSeparation[] = [];
  for (let h = 0; h < masses.length; h++) {
    const m = masses[h], low = windows.low[h], high = windows.high[h];
    const rows: number[] = [];
    const background: Record<string, { weight: number; events: number }> = {};
    let signalEvents = 0, signalWeight = 0;
    for (let i = 0; i < events.length; i++) {
      if (!(mass[i] >= low && mass[i] <= high)) continue;
      if (label[i] >= 0.5) {
        if (!(Math.abs(gen[i] - m) <= tol)) continue;
        signalEvents++;
        signalWeight += weight[i];
      } else {
        const b = (background[name(category[i])] ??= { weight: 0, events: 0 });
        b.weight += weight[i];
        b.events++;
      }
      rows.push(i);
    }
    let dominant = '', most = 0;
    for (const [p, b] of Object.entries(background)) if (b.weight > most) [dominant, most] = [p, b.weight];
    const bgEvents = rows.length - signalEvents;
    const lab = Float64Array.from(rows, (i) => label[i]);
    const w = Float64Array.from(rows, (i) => weight[i]);
    const auc = cols.map((col) => (signalEvents && bgEvents && most > 0 ? rocAuc({ output: Float64Array.from(rows, (i) => col[i]), label: lab, weight: w }) : NaN));
    out.push({ mass: m, low, high, signalEvents, signalWeight, background, dominant, auc, features: [...features] });
  }
  return out;
}

/** The table as fixed-width text: one line per mass, background weights per process, dominant process, AUC per feature. */
export function formatWindowSeparation(rows: WindowSeparation[], processes: readonly string[], featureNames?: readonly string[]): string {
  if (!rows.length) return '';
  const feats = featureNames ?? rows[0].features;
  const head = ['mass', 'S evts', ...processes.map((p) => `B ${p}`), 'dominant', ...feats.map((f) => `AUC ${f}`)];
  const lines = rows.map((r) => [
    r.mass.toFixed(2), String(r.signalEvents), ...processes.map((p) => fmt(r.background[p]?.weight ?? 0)), r.dominant || '-',
    ...r.auc.map((a) => (Number.isFinite(a) ? a.toFixed(3) : '-')),
  ]);
  const width = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  const row = (cells: string[]): string => '| ' + cells.map((c, j) => c.padStart(width[j])).join(' | ') + ' |';
  return [row(head), '|' + width.map((w) => '-'.repeat(w + 1) + ':').join('|') + '|', ...lines.map(row)].join('\n');
}

function fmt(x: number): string {
  return x === 0 ? '0' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
}
