import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import { loadEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import type { RunSummary } from '../evaluate/summary.js';
import { slug } from '../report/derive.js';
import { renderSvg, svgToPng } from '../report/render.js';
import { searchOf, trainRun, withFileWeights } from '../train/run.js';
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
    const key = createHash('sha256').update(JSON.stringify({ config: m.raw, events: events.length })).digest('hex').slice(0, 16);
    const keyFile = join(runDir, 'mass-compare.key');
    const done = existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() === key && existsSync(join(runDir, 'summary.json')) && existsSync(join(runDir, 'test-scores.f32'));
    let seconds = 0;
    if (!done) {
      rmSync(runDir, { recursive: true, force: true });
      const t0 = Date.now();
      log(`mass-compare: training '${m.name}' → ${runDir}`);
      const mine = events.withRoles({ features: m.config.data.columns.features }); // the method's features (drop)
      const r = await trainRun(m.config, { runDir, configName: `${configPath}: ${m.name}`, events: mine, log, saveTestScores: true });
      if (r.interrupted) throw new FomlabError(`mass-compare: '${m.name}' was interrupted; run again to train it`);
      seconds = (Date.now() - t0) / 1000;
      writeFileAtomically(keyFile, `${key}\n`);
    } else log(`mass-compare: '${m.name}' reused from ${runDir}`);
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
