import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/index.js';
import { writeFileAtomically } from '../core/atomic.js';
import { progressBar } from '../core/progress.js';
import { loadEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import { escapeHtml, isolateSvg } from '../report/html.js';
import { slug } from '../report/derive.js';
import { renderSvg, svgToPng, type VegaLiteSpec } from '../report/render.js';
import { withFileWeights } from '../train/run.js';
import { cellFile, cellKey, finishedCell, runCell, type CellResult, type CellSettings } from './cell.js';
import { planCompare, type CompareMethod, type ComparePlan } from './config.js';
import { lossSignificanceSpec, massPerBinSpec } from './plots.js';
import { tableCsv, tableMarkdown, tableRows, type TableRow } from './table.js';
import { thesisCsv, thesisHtml, thesisMarkdown, thesisRows, type ThesisRow } from './thesis.js';

export interface CompareOptions {
  out: string;
  /** apply compare.quick (fewer events, epochs, trials) */
  quick?: boolean;
  /** events already in memory instead of data.files */
  events?: EventTable;
  log?: (line: string) => void;
  /** write PNGs beside the SVGs (default true) */
  png?: boolean;
  /** train nothing: the table of the cells finished so far (a comparison still running or stopped) */
  tableOnly?: boolean;
  /** a compare.scenarios entry (per-class training fractions), e.g. the thesis' TC2 */
  scenario?: string;
}

export interface CompareResult {
  rows: TableRow[];
  cells: CellResult[];
  /** the thesis layout's rows (compare.layout: thesis) */
  thesis?: ThesisRow[];
  /** cells computed in this run (the others were finished before) */
  computed: number;
  html: string;
  csv: string;
  markdown: string;
}

/** A seeded random subsample of `n` events (in their original order). */
function subsample(t: EventTable, n: number | undefined): EventTable {
  if (n === undefined || n >= t.length) return t;
  const rows = new Rng(20240101).permutation(t.length).subarray(0, n).sort();
  return t.take(rows);
}

/**
 * `fomlab compare CONFIG`: every method of compare.methods plus the Random row, on every trial
 * seed, each (method, trial) cell written to OUT/cells as soon as it is done (atomic; a re-run
 * skips finished cells whose config is unchanged), then Table 1 (OUT/table.csv, OUT/index.html
 * with figs. 4–5 and 7, SVG inline and PNG beside).
 */
export async function runCompare(configPath: string, o: CompareOptions): Promise<CompareResult> {
  const log = o.log ?? ((l: string) => console.error(l));
  const { plan, table, settings, entries, todo } = await compareCells(configPath, o);
  const search = plan.base.search!;
  log(`compare: ${entries.length} methods × ${plan.seeds.length} trials (seeds ${plan.seeds.join(', ')}) on ${table.length} events → ${o.out}`);
  const bar = progressBar('compare', todo.length, 'cells');
  const cells: CellResult[] = [];
  let computed = 0;
  for (const [k, c] of todo.entries()) {
    let cell = finishedCell(cellFile(o.out, c.slug, c.seed), c.key);
    if (!cell && o.tableOnly) continue;
    if (!cell) {
      cell = await computeCell(o.out, c, plan, table, settings, log);
      computed++;
    }
    cells.push(cell);
    bar.update(k + 1);
  }
  bar.stop();
  const missing = todo.length - cells.length;
  if (missing) log(`compare: ${missing} of ${todo.length} cells not finished: the table holds the trials done so far (column trials)`);
  const rows = tableRows(entries.map((e) => e.name), cells);
  const thesis = plan.compare.layout === 'thesis' ? thesisRows(entries.map((e) => e.name), cells) : undefined;
  const csv = join(o.out, 'table.csv');
  writeFileAtomically(csv, thesis ? thesisCsv(thesis) : tableCsv(rows));
  const markdown = thesis ? thesisMarkdown(thesis) : tableMarkdown(rows);
  writeFileAtomically(join(o.out, 'table.md'), `${markdown}\n`);
  const html = join(o.out, 'index.html');
  writeFileAtomically(html, await compareHtml(configPath, plan, rows, cells, settings, o.out, o.png ?? true, search.variable, thesis));
  return { rows, cells, computed, html, csv, markdown, ...(thesis ? { thesis } : {}) };
}

/** One (method, trial) cell of a comparison: `slug@seed` (e.g. `bce-fnn@2`, `random@1`) names it on the command line. */
export interface CellEntry {
  name: string;
  slug: string;
  method: CompareMethod | null;
  seed: number;
  /** cellKey of the cell: what it depends on */
  key: string;
}

export const cellName = (c: { slug: string; seed: number }): string => `${c.slug}@${c.seed}`;

/**
 * The comparison's plan, events (subsampled) and settings, and every (method, trial) cell with
 * its key, in table order (trial by trial; methods as listed, then Random).
 */
export async function compareCells(configPath: string, o: { out: string; quick?: boolean; events?: EventTable; scenario?: string }): Promise<{ plan: ComparePlan; table: EventTable; settings: CellSettings; entries: Array<{ name: string; method: CompareMethod | null }>; todo: CellEntry[] }> {
  const plan: ComparePlan = planCompare(configPath, o.quick ?? false, o.scenario);
  const base = plan.base, search = base.search!;
  const slugs = compareSlugs(configPath, plan);
  const loaded = o.events ?? (await loadEvents(withFileWeights(base.data, search.sensitivity.lumi), { progress: true })).table;
  const table = subsample(loaded, plan.events);
  if (!table.hasRole('mass')) throw new FomlabError(`${configPath}: data.columns.mass: compare needs the mass column`);
  const mass = table.mass();
  let lo = Infinity, hi = -Infinity;
  for (const m of mass) if (Number.isFinite(m)) { lo = Math.min(lo, m); hi = Math.max(hi, m); }
  const settings: CellSettings = {
    bins: plan.compare.bins, massBins: plan.compare.massBins, narrow: plan.compare.narrow, massRange: [Math.floor(lo), Math.ceil(hi)],
    select: { by: 'significance', every: [[50, 5], [null, 10]], bins: plan.compare.bins },
  };
  const entries = [...plan.methods.map((m) => ({ name: m.name, method: m as CompareMethod | null })), { name: 'Random', method: null }];
  const todo = plan.seeds.flatMap((seed) => entries.map((e): CellEntry => ({ ...e, slug: slugs.get(e.name)!, seed, key: cellKey({ config: e.method?.config ?? null, settings }, table.length, seed) })));
  mkdirSync(join(o.out, 'cells'), { recursive: true });
  return { plan, table, settings, entries, todo };
}

/** Each method's file name (and Random's); two methods with one file name are refused. */
export function compareSlugs(configPath: string, plan: ComparePlan): Map<string, string> {
  const slugs = new Map<string, string>();
  for (const name of [...plan.methods.map((m) => m.name), 'Random']) {
    const s = slug(name);
    if ([...slugs.values()].includes(s)) throw new FomlabError(`${configPath}: compare.methods: '${name}' and another method share the file name '${s}'; rename one`);
    slugs.set(name, s);
  }
  return slugs;
}

async function computeCell(out: string, c: CellEntry, plan: ComparePlan, table: EventTable, settings: CellSettings, log: (line: string) => void): Promise<CellResult> {
  const cell = await runCell(out, c.slug, c.method, plan.base, table, c.seed, settings, c.key);
  log(`compare: ${c.name}, trial ${c.seed}: Z ${cell.significance.toFixed(3)}, AUC ${(100 * cell.auc).toFixed(2)} %, correlation ${(1000 * cell.correlation).toFixed(2)}×10⁻³, best epoch ${cell.bestEpoch ?? '—'} (${cell.seconds.toFixed(1)} s, ${cell.cpuSeconds?.toFixed(1) ?? '?'} s CPU)`);
  return cell;
}

/**
 * `fomlab compare CONFIG --cell SLUG@SEED`: computes that one cell into OUT/cells (one job of a
 * comparison run as a sweep); a finished cell with the same key is kept. No table.
 */
export async function runCompareCell(configPath: string, name: string, o: Pick<CompareOptions, 'out' | 'quick' | 'events' | 'log' | 'scenario'>): Promise<CellResult> {
  const { plan, table, settings, todo } = await compareCells(configPath, o);
  const c = todo.find((t) => cellName(t) === name);
  if (!c) throw new FomlabError(`compare: --cell: no cell '${name}'; expected one of ${todo.map(cellName).join(', ')}`);
  return finishedCell(cellFile(o.out, c.slug, c.seed), c.key) ?? (await computeCell(o.out, c, plan, table, settings, o.log ?? ((l: string) => console.error(l))));
}

/** The cells of the first trial, else of the earliest trial each method has. */
function plotCells(cells: CellResult[], first: number): CellResult[] {
  const out = new Map<string, CellResult>();
  for (const c of cells) if (!out.has(c.method) || (c.seed === first && out.get(c.method)!.seed !== first)) out.set(c.method, c);
  return [...out.values()];
}

async function compareHtml(configPath: string, plan: ComparePlan, rows: TableRow[], cells: CellResult[], s: CellSettings, out: string, png: boolean, variable: string, thesis?: ThesisRow[]): Promise<string> {
  const first = plan.seeds[0];
  const pm = (x: { mean: number; spread: number } | null, d: number): string => (x ? `${x.mean.toFixed(d)} ± ${x.spread.toFixed(d)}` : '—');
  const body = rows.map((r) => `<tr><td>${escapeHtml(r.method)}</td><td>${escapeHtml(r.loss)}</td><td>${pm(r.significance, 3)}</td><td>${pm(r.auc, 2)}</td><td>${pm(r.correlation, 2)}</td><td>${pm(r.bestEpoch, 1)}</td></tr>`).join('\n');
  const figures: string[] = [];
  for (const c of plotCells(cells, first)) {
    const specs: Array<[string, VegaLiteSpec]> = [['mass', massPerBinSpec(c, `${variable} (GeV)`)], ...(c.history.length ? [['epochs', lossSignificanceSpec(c)] as [string, VegaLiteSpec]] : [])];
    for (const [what, spec] of specs) {
      const name = `${slug(c.method)}-${what}`;
      const svg = await renderSvg(spec);
      if (png) writeFileAtomically(join(out, `${name}.png`), svgToPng(svg));
      writeFileAtomically(join(out, `${name}.svg`), svg);
      figures.push(`<figure>${isolateSvg(svg, name)}</figure>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>fomlab compare ${escapeHtml(configPath)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}figure{display:inline-block;margin:0.5em}</style></head><body>
<h1>Method comparison (Table 1)</h1>
${thesis ? `<h2>VLQ thesis layout (table 6.2)${plan.scenario ? `, scenario ${escapeHtml(plan.scenario)}` : ''}</h2>\n${thesisHtml(thesis)}\n<h2>Table 1 columns</h2>\n` : ''}<p>${escapeHtml(configPath)}: ${plan.seeds.length} trial${plan.seeds.length > 1 ? 's' : ''} (seeds ${plan.seeds.join(', ')}), train / validation / test in equal thirds; numbers on the test third, mean ± standard deviation over trials.
Expected significance: ${s.bins} equal-signal output bins, 5–95 % signal mass window per bin, Asimov Z combined in quadrature. AUC in ${s.narrow[0]}–${s.narrow[1]} GeV with negative weights at 0.
Background correlation: mean over ${s.massBins} mass bins (${s.massRange[0]}–${s.massRange[1]} GeV) of the standard deviation of the normalised background mass histograms across the ${s.bins} output bins. Best epoch: the checkpoint chosen on validation.</p>
<table><thead><tr><th>method</th><th>loss</th><th>expected significance</th><th>AUC (%)</th><th>bkg. correlation (×10⁻³)</th><th>best epoch</th></tr></thead><tbody>
${body}
</tbody></table>
<h2>Background mass per output bin (figs. 4–5) and loss and significance per epoch (fig. 7), trial ${first}</h2>
${figures.join('\n')}
</body></html>
`;
}
