import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { loadEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import type { RunSummary } from '../evaluate/summary.js';
import { slug } from '../report/derive.js';
import { renderSvg, svgToPng } from '../report/render.js';
import { searchOf, withFileWeights } from '../train/run.js';
import { trainOrReuse } from './method-run.js';
import { planMassCompare } from './mass-scan-config.js';
import { fomVsMassSpec, massCompareMarkdown, massCompareRows, methodDigests, type MassCompareRow } from './mass-scan-table.js';

export interface MassCompareOptions {
  out: string;
  quick?: boolean;
  /** events already in memory instead of data.files */
  events?: EventTable;
  log?: (line: string) => void;
  /** write a PNG beside the SVG (default true) */
  png?: boolean;
}

export interface MassCompareResult {
  rows: MassCompareRow[];
  markdown: string;
  /** per method: its run folder (RUN/summary.json, test-scores.f32, test-events.*) and its wall seconds (0: reused) */
  runs: Array<{ method: string; runDir: string; seconds: number }>;
}

/**
 * `fomlab mass-compare CONFIG`: trains every method of massCompare.methods with `fomlab train`'s
 * pipeline into OUT/<method> (a finished run of an unchanged method config is reused), each with
 * the test scores saved, then writes OUT/table.md, OUT/comparison.json and OUT/fom-vs-mass.svg
 * (.png): the figure per mass on the test split at a cut of 0.5 and at its region's cut.
 */
export async function runMassCompare(configPath: string, o: MassCompareOptions): Promise<MassCompareResult> {
  const log = o.log ?? ((l: string) => console.error(l));
  const plan = planMassCompare(configPath, o.quick ?? false);
  const lumi = plan.base.search!.sensitivity.lumi;
  const events = o.events ?? (await loadEvents(withFileWeights(plan.base.data, lumi), { progress: true })).table;
  mkdirSync(o.out, { recursive: true });
  const runs: MassCompareResult['runs'] = [];
  const summaries: Array<{ method: string; summary: RunSummary }> = [];
  const seen = new Set<string>();
  for (const m of plan.methods) {
    const s = slug(m.name);
    if (seen.has(s)) throw new FomlabError(`${configPath}: massCompare.methods: '${m.name}' and another method share the folder name '${s}'; rename one`);
    seen.add(s);
    const runDir = join(o.out, s);
    const mine = events.withRoles({ features: m.config.data.columns.features }); // the method's features (drop)
    const r = await trainOrReuse({ runDir, raw: m.raw, config: m.config, events: mine, nEvents: events.length, configName: `${configPath}: ${m.name}`, label: `'${m.name}'`, keyFile: 'mass-compare.key', needs: ['summary.json', 'test-scores.f32'], save: { saveTestScores: true }, log });
    const seconds = r.reused ? 0 : r.seconds;
    runs.push({ method: m.name, runDir, seconds });
    summaries.push({ method: m.name, summary: JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary });
  }
  const heldOut = searchOf(plan.base.search!).hypotheses.filter((h) => !h.train).map((h) => h.mass);
  const rows = massCompareRows(summaries, heldOut);
  const markdown = massCompareMarkdown(rows, summaries);
  writeFileAtomically(join(o.out, 'table.md'), `${markdown}\n`);
  writeFileAtomically(join(o.out, 'comparison.json'), `${JSON.stringify({ config: configPath, quick: o.quick ?? false, runs, digests: methodDigests(rows, summaries), rows }, null, 1)}\n`);
  const svg = await renderSvg(fomVsMassSpec(rows, summaries[0].summary.regionCuts?.label ?? 'figure'));
  writeFileAtomically(join(o.out, 'fom-vs-mass.svg'), svg);
  if (o.png ?? true) writeFileAtomically(join(o.out, 'fom-vs-mass.png'), svgToPng(svg));
  return { rows, markdown, runs };
}
