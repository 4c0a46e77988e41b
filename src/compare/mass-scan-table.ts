import type { RunSummary } from '../evaluate/summary.js';
import { heldOutOverNeighbours } from './strategies-metrics.js';
import { PLOT_CONFIG, type VegaLiteSpec } from '../report/render.js';

/** One method at one mass on the test split: the figure at a cut of 0.5, at its region's cut and at the mass's own cut (all chosen on validation). */
export interface MassCompareRow {
  method: string;
  mass: number;
  /** true: the mass was held out of training */
  heldOut: boolean;
  region: number;
  fixed: number | null;
  regional: number | null;
  /** the mass's own cut chosen on validation (figureValidationCut of the run's last method) */
  ownCut: number | null;
}

/**
 * The rows of every method's run (its regionCuts and, for the own cut, its last method's per-mass
 * results); `heldOut` lists the hypothesis masses held out of training (a mass the judge left out
 * has no entry in summary.masses).
 */
export function massCompareRows(runs: Array<{ method: string; summary: RunSummary }>, heldOut: readonly number[]): MassCompareRow[] {
  return runs.flatMap(({ method, summary }) => {
    const rc = summary.regionCuts;
    if (!rc) throw new Error(`mass-compare: the run of '${method}' has no regionCuts`);
    const last = summary.methods.at(-1)?.name ?? '';
    return rc.masses.map((m) => {
      const point = summary.masses.find((p) => Math.abs(p.mass - m.mass) < 1e-9);
      return { method, mass: m.mass, heldOut: heldOut.some((h) => Math.abs(h - m.mass) < 1e-9), region: m.region, fixed: m.fixed, regional: m.regional, ownCut: point?.results[last]?.figureValidationCut ?? null };
    });
  }).sort((a, b) => a.mass - b.mass);
}

/** Geometric mean of the positive finite values (null when none); a missing value counts as absent. */
export function geometricMean(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x) && x > 0);
  return v.length ? Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length) : null;
}

export interface MethodDigest {
  method: string;
  /** geometric means over [trained, held-out] masses at the cut of 0.5, the region cuts, the own cuts */
  fixed: [number | null, number | null];
  regional: [number | null, number | null];
  ownCut: [number | null, number | null];
  /**
   * the generalisation test: per held-out mass the figure over the geometric mean of its two trained
   * neighbours' (m ± step), geometric mean over the held-out masses (1: as good as the trained
   * masses around it), at the cut of 0.5, the region cuts, the own cuts
   */
  heldOutVsNeighbours: [number | null, number | null, number | null];
  /** masses where the region cut beats the cut at 0.5, and masses compared */
  regionBetter: number;
  compared: number;
  regionCuts: Array<number | null>;
}

export function methodDigests(rows: MassCompareRow[], runs: Array<{ method: string; summary: RunSummary }>): MethodDigest[] {
  return runs.map(({ method, summary }) => {
    const mine = rows.filter((r) => r.method === method);
    const gm = (k: 'fixed' | 'regional' | 'ownCut'): [number | null, number | null] => [geometricMean(mine.filter((r) => !r.heldOut).map((r) => r[k])), geometricMean(mine.filter((r) => r.heldOut).map((r) => r[k]))];
    const both = mine.filter((r) => r.fixed !== null && r.regional !== null);
    const ratio = (k: 'fixed' | 'regional' | 'ownCut'): number | null => heldOutOverNeighbours(mine.map((r) => r[k]), mine.map((r) => r.heldOut));
    return { method, fixed: gm('fixed'), regional: gm('regional'), ownCut: gm('ownCut'), heldOutVsNeighbours: [ratio('fixed'), ratio('regional'), ratio('ownCut')], regionBetter: both.filter((r) => r.regional! > r.fixed!).length, compared: both.length, regionCuts: summary.regionCuts?.regionCuts ?? [] };
  });
}

const f4 = (x: number | null): string => (x === null ? '—' : x.toPrecision(4));

/** The digest per method, then the figure per mass (columns: each method at 0.5 / region cut). */
export function massCompareMarkdown(rows: MassCompareRow[], runs: Array<{ method: string; summary: RunSummary }>): string {
  const label = runs[0]?.summary.regionCuts?.label ?? 'figure';
  const edges = runs[0]?.summary.regionCuts?.edges ?? [];
  const d = methodDigests(rows, runs);
  const out = [
    `Geometric mean of ${label} on the test split over the trained | held-out masses; region edges ${edges.join(', ')} GeV; cuts chosen on validation.`, '',
    '| method | cut 0.5 | region cuts | own cut per mass | held-out / trained neighbours (0.5, region, own cut) | region cut better at | region cuts (low → high) |', '|---|---|---|---|---|---|---|',
    ...d.map((x) => `| ${x.method} | ${f4(x.fixed[0])} \\| ${f4(x.fixed[1])} | ${f4(x.regional[0])} \\| ${f4(x.regional[1])} | ${f4(x.ownCut[0])} \\| ${f4(x.ownCut[1])} | ${x.heldOutVsNeighbours.map((v) => (v === null ? '—' : v.toFixed(3))).join(', ')} | ${x.regionBetter} of ${x.compared} masses | ${x.regionCuts.map((c) => (c === null ? '—' : c.toFixed(3))).join(', ')} |`),
    '', `${label} per mass (test split; * held out of training), cut 0.5 / region cut:`, '',
    `| mass (GeV) | ${runs.map((r) => r.method).join(' | ')} |`, `|---|${runs.map(() => '---|').join('')}`,
  ];
  const masses = [...new Set(rows.map((r) => r.mass))];
  for (const m of masses) {
    const at = rows.filter((r) => r.mass === m);
    out.push(`| ${m.toFixed(2)}${at[0].heldOut ? '*' : ''} | ${runs.map((r) => { const x = at.find((y) => y.method === r.method); return x ? `${f4(x.fixed)} / ${f4(x.regional)}` : '—'; }).join(' | ')} |`);
  }
  return out.join('\n');
}

/** The slides' plot: the figure against the mass, one colour per method, solid = region cuts, dashed = cut 0.5; held-out masses as open points. */
export function fomVsMassSpec(rows: MassCompareRow[], label: string): VegaLiteSpec {
  const values = rows.flatMap((r) => [
    ...(r.fixed !== null ? [{ method: r.method, mass: r.mass, y: r.fixed, cut: 'cut 0.5', held: r.heldOut ? 'held out' : 'trained' }] : []),
    ...(r.regional !== null ? [{ method: r.method, mass: r.mass, y: r.regional, cut: 'region cut', held: r.heldOut ? 'held out' : 'trained' }] : []),
  ]);
  const enc = {
    x: { field: 'mass', type: 'quantitative', title: 'Z′ mass (GeV)' },
    y: { field: 'y', type: 'quantitative', title: `${label} (test split)` },
    color: { field: 'method', type: 'nominal', title: 'method' },
    strokeDash: { field: 'cut', type: 'nominal', title: 'cut', scale: { domain: ['region cut', 'cut 0.5'], range: [[1, 0], [5, 3]] } },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: PLOT_CONFIG, width: 480, height: 300,
    title: { text: `${label} against the Z′ mass`, subtitle: 'solid: one cut per region; dashed: cut at 0.5; open points: masses held out of training' },
    data: { values },
    layer: [
      { mark: { type: 'line' }, encoding: enc },
      { mark: { type: 'point', filled: false }, transform: [{ filter: "datum.held === 'held out'" }], encoding: { x: enc.x, y: enc.y, color: enc.color } },
    ],
  };
}
