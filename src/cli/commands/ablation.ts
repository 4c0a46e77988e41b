import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FomlabError, writeFileAtomically } from '../../api/core.js';
import { parseConfig } from '../../api/config.js';
import { defaultSimulationConfig, formatResolutionTable, simulateToFile } from '../../api/simulate.js';
import { trainRun } from '../../api/train.js';
import { formatMeanSe, headlineOf, type Headline, type RunSummary } from '../../api/evaluate.js';
import { ablationRows, FULL_SCALE, QUICK_SCALE, rowConfig, type AblationRow, type AblationScale } from '../ablation-rows.js';
import { parseOptions } from '../args.js';
import type { Command } from '../main.js';

/**
 * `fomlab ablation`: the paper's protocol, then the demo's settings one difference at a time
 * (src/cli/ablation-rows.ts), each row an ensemble trained and judged like `fomlab train`; the
 * table (mean ± s.e. over nets, test split) goes to OUT/ablation.md and the terminal. A row whose
 * OUT/rows/<k>-<name>/summary.json exists is read, not trained again (a stopped ablation continues).
 */
export const command: Command = {
  usage: [
    'fomlab ablation [--out DIR] [--nets N] [--epochs B,P] [--quick] [--rows NAME,…]',
    '  --out DIR     where the data, the rows\' runs and ablation.md go (default runs/ablation)',
    '  --nets N      nets per row (default 8)',
    '  --epochs B,P  BCE and Punzi epochs per row (default 30,60)',
    '  --quick       a tiny version (2 nets, 4 + 4 epochs, 600/300 signal events per mass): seconds per row',
    '  --rows A,B    only these rows (names: protocol, batched, checkpoint, scaling, split, sample, form, optimiser, sharpness, aggregate)',
  ].join('\n'),
  async run(args) {
    const { values } = parseOptions('ablation', args, { out: { type: 'string' }, nets: { type: 'string' }, quick: { type: 'boolean' }, rows: { type: 'string' }, epochs: { type: 'string' } }, { min: 0, max: 0, names: 'no positional arguments' });
    const out = resolve(values.out ?? join('runs', 'ablation'));
    const base = values.quick ? QUICK_SCALE : FULL_SCALE;
    const nets = values.nets === undefined ? base.nets : Number(values.nets);
    if (!Number.isInteger(nets) || nets < 1) throw new FomlabError(`--nets: expected a whole number ≥ 1, got '${values.nets}'`);
    const epochs = values.epochs === undefined ? [base.bceEpochs, base.punziEpochs] : values.epochs.split(',').map(Number);
    if (epochs.length !== 2 || !epochs.every((e) => Number.isInteger(e) && e >= 1)) throw new FomlabError(`--epochs: expected two whole numbers ≥ 1 (BCE,Punzi), e.g. 30,60, got '${values.epochs}'`);
    const scale: AblationScale = { ...base, nets, bceEpochs: epochs[0], punziEpochs: epochs[1] };
    const all = ablationRows();
    const wanted = values.rows?.split(',').map((r) => r.trim()).filter(Boolean);
    for (const w of wanted ?? []) if (!all.some((r) => r.name === w)) throw new FomlabError(`--rows: no row '${w}' (rows: ${all.map((r) => r.name).join(', ')})`);
    const rows = all.filter((r) => !wanted || wanted.includes(r.name));
    mkdirSync(out, { recursive: true });
    const data = {
      paper: await simulated(out, scale.paperEvents),
      demo: rows.some((r) => r.settings.events === 'demo') ? await simulated(out, scale.demoEvents) : null,
    };
    const results: Array<{ row: AblationRow; headline: Headline; seconds: number }> = [];
    for (const row of rows) {
      const k = all.indexOf(row);
      const runDir = join(out, 'rows', `${k}-${row.name}`);
      const files = row.settings.events === 'paper' ? data.paper : data.demo!;
      const t0 = Date.now();
      const summary = existsSync(join(runDir, 'summary.json'))
        ? (JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary)
        : await trainRow(row, scale, files, runDir);
      const headline = headlineOf(summary);
      if (!headline) throw new FomlabError(`${runDir}/summary.json: no per-net results (written by an older fomlab: delete the folder to train the row again)`);
      results.push({ row, headline, seconds: summary.meta.durations.train ?? (Date.now() - t0) / 1000 });
      console.error(`row ${k} ${row.name}: ${line(headline)}`);
    }
    const table = ablationTable(results, scale, `fomlab ablation${values.quick ? ' --quick' : ''}${values.nets ? ` --nets ${nets}` : ''}${values.epochs ? ` --epochs ${epochs.join(',')}` : ''}${values.rows ? ` --rows ${values.rows}` : ''}`);
    writeFileAtomically(join(out, 'ablation.md'), table);
    console.log(table);
    return 0;
  },
};

/** the simulator's default Z' sample with `perMass` signal events per mass, and its σ(M²) table (made once per folder) */
async function simulated(out: string, perMass: number): Promise<{ events: string; resolution: string }> {
  const events = join(out, `events-${perMass}.parquet`), resolution = join(out, `resolution-${perMass}.txt`);
  if (existsSync(events) && existsSync(resolution)) return { events, resolution };
  const sim = { ...defaultSimulationConfig(), muonFourVectors: false, signalPerMass: perMass };
  const r = await simulateToFile(sim, events, { resolution: true });
  writeFileAtomically(resolution, formatResolutionTable(r.resolution ?? []));
  console.error(`simulated ${r.events} events (${perMass} signal events per mass, simulator seed ${sim.seed})`);
  return { events, resolution };
}

async function trainRow(row: AblationRow, scale: AblationScale, files: { events: string; resolution: string }, runDir: string): Promise<RunSummary> {
  const text = JSON.stringify(rowConfig(row, scale, files), null, 1);
  const cfg = parseConfig(text, join(runDir, 'config.yaml'), { baseDir: runDir });
  mkdirSync(runDir, { recursive: true });
  const r = await trainRun(cfg, { runDir, configName: `ablation-${row.name}`, log: () => undefined });
  writeFileAtomically(join(runDir, 'config.yaml'), text);
  return r.summary;
}

function line(h: Headline): string {
  return `σ_min ratio Punzi/BCE below ${h.below} GeV ${formatMeanSe(h.lowMassRatio, 3)}, improved at ${formatMeanSe(h.improved, 1)} of ${h.masses.length} masses, held-out/trained ${formatMeanSe(h.heldOutVsTrained, 3)}, common cut ${formatMeanSe(h.commonCut.all, 0, true)} (without B = 0: ${formatMeanSe(h.commonCut.withoutZeroB, 0, true)})`;
}

/** The markdown table of the rows (mean ± s.e. over nets, test split). */
export function ablationTable(results: Array<{ row: AblationRow; headline: Headline; seconds: number }>, s: AblationScale, commandLine: string): string {
  const head = [
    `Made by \`${commandLine}\` (from the repository root). Scale: ${s.nets} nets per row (seeds: training.seed ${s.seed}, net k's seed derived from it; split seed ${s.seed}; simulator seed 1), `
    + `${s.bceEpochs} BCE + ${s.punziEpochs} Punzi epochs, ${s.paperEvents} signal events per mass for the paper's sample and ${s.demoEvents} for the demo's `
    + '(the paper: 25 nets, 200 + 2000 epochs, 20,000 and 10,000 events). Each row keeps the changes above it. Figures on the test split; cuts, checkpoints and plateau steps chosen on validation. Mean ± standard error over nets, paired by net (net k of BCE and Punzi share pre-training).',
    '',
    '| # | row: change against the row above | σ_min Punzi/BCE, geometric mean < 4 GeV | masses improved (of all) | held-out / trained ratio | common cut vs own per-mass cuts: all masses | same, without masses where B = 0 | Punzi common cut vs BCE per-mass cuts (paper fig. 7) | train s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const body = results.map(({ row, headline: h, seconds }, i) => `| ${i} | **${row.name}**: ${row.change} | ${formatMeanSe(h.lowMassRatio, 3)} | ${formatMeanSe(h.improved, 1)} of ${h.masses.length} | ${formatMeanSe(h.heldOutVsTrained, 3)} | ${formatMeanSe(h.commonCut.all, 0, true)} | ${formatMeanSe(h.commonCut.withoutZeroB, 0, true)} (${h.commonCut.zeroBMasses.toFixed(1)} masses with B = 0) | ${formatMeanSe(h.commonCutVsReference.all, 0, true)} | ${seconds.toFixed(0)} |`);
  return [...head, ...body, ''].join('\n');
}
