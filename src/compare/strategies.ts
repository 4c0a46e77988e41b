import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import { loadEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import type { RunSummary } from '../evaluate/summary.js';
import { escapeHtml, isolateSvg } from '../report/html.js';
import { slug } from '../report/derive.js';
import { renderSvg, svgToPng, type VegaLiteSpec } from '../report/render.js';
import { searchOf, withFileWeights, withParameterColumn } from '../train/run.js';
import { readSplitScores, type SavedSplit } from '../train/test-scores.js';
import { trainOrReuse } from './method-run.js';
import { planStrategies } from './strategies-config.js';
import { backgroundShapes, efficiencyAtRejection, rocPoints, windowRoc } from './strategies-metrics.js';
import { backgroundShapeSpec, perMassSpec, rocPanelsSpec } from './strategies-plots.js';
import { strategiesMarkdown, strategyDigest, type StrategyDigest, type StrategySeed } from './strategies-table.js';

export interface StrategiesOptions {
  out: string;
  /** apply strategies.quick (fewer epochs, trees, seeds) */
  quick?: boolean;
  log?: (line: string) => void;
  /** write PNGs beside the SVGs (default true) */
  png?: boolean;
}

export interface StrategiesResult {
  digests: StrategyDigest[];
  /** per strategy, every seed's numbers */
  seeds: Record<string, StrategySeed[]>;
  markdown: string;
  html: string;
}

/** The events a method reads (its files, selection, columns), loaded once per distinct data section. */
function eventCache(): (cfg: FomlabConfig) => Promise<EventTable> {
  const cache = new Map<string, EventTable>();
  return async (cfg) => {
    const data = withParameterColumn(withFileWeights(cfg.data, cfg.search!.sensitivity.lumi), cfg);
    const key = JSON.stringify({ ...data, split: null, trainWeights: null, trainFraction: null });
    if (!cache.has(key)) cache.set(key, (await loadEvents(data, { progress: false })).table);
    return cache.get(key)!;
  };
}

/** One (strategy, seed) run read back: validation AUC per training mass, and per mass on test AUC, ε_S at the rejection and Z. */
function seedNumbers(runDir: string, cfg: FomlabConfig, seed: number, rejection: number, timing: { seconds: number; cpuSeconds: number }): { numbers: StrategySeed; test: SavedSplit; validation: SavedSplit } {
  const hyps = searchOf(cfg.search!).hypotheses;
  const test = readSplitScores(runDir, 'test'), validation = readSplitScores(runDir, 'validation');
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  const method = summary.methods.at(-1)!.name;
  const valAucs = hyps.filter((h) => h.train).map((h) => windowRoc(validation, h.index)?.auc).filter((a): a is number => a !== undefined);
  const masses = hyps.map((h) => {
    const roc = windowRoc(test, h.index);
    const z = summary.masses.find((m) => Math.abs(m.mass - h.mass) < 1e-6)?.results[method]?.figureValidationCut ?? null;
    return { mass: h.mass, heldOut: !h.train, auc: roc?.auc ?? null, efficiency: roc ? efficiencyAtRejection(roc, rejection) : null, z };
  });
  const validationAuc = valAucs.length ? valAucs.reduce((a, b) => a + b, 0) / valAucs.length : NaN;
  return { numbers: { seed, validationAuc, ...timing, masses }, test, validation };
}

/**
 * `fomlab compare CONFIG` with a `strategies:` section: every strategy trained by the train
 * pipeline once per seed into OUT/<strategy>/seed-<s> (a finished run of an unchanged config is
 * reused), the best seed by validation AUC reported on test: OUT/table.md, OUT/strategies.json,
 * OUT/index.html and the plots (ROC panels, AUC, ε_S at fixed rejection and Z against the mass,
 * background shape after thresholds) as SVG and PNG.
 */
export async function runStrategies(configPath: string, o: StrategiesOptions): Promise<StrategiesResult> {
  const log = o.log ?? ((l: string) => console.error(l));
  const plan = planStrategies(configPath, o.quick ?? false);
  const s = plan.section;
  const eventsOf = eventCache();
  mkdirSync(o.out, { recursive: true });
  const seen = new Set<string>();
  const digests: StrategyDigest[] = [], all: Record<string, StrategySeed[]> = {}, best = new Map<string, StrategySeed>();
  const rocs: Array<{ method: string; mass: number; fpr: number; tpr: number }> = [], shapeRows: Array<{ method: string; efficiency: number; m: number; ratio: number }> = [];
  const shapes = new Map<string, Array<{ efficiency: number; distance: number }>>();
  const perMassShapes = new Map<string, Array<{ efficiency: number; distance: number }>>();
  for (const m of plan.methods) {
    const dir = slug(m.name);
    if (seen.has(dir)) throw new FomlabError(`${configPath}: strategies.methods: '${m.name}' and another method share the folder name '${dir}'; rename one`);
    seen.add(dir);
    const runs: Array<ReturnType<typeof seedNumbers>> = [];
    for (const seed of m.seeds) {
      const cfg = m.config(seed);
      const events = await eventsOf(cfg);
      const runDir = join(o.out, dir, `seed-${seed}`);
      const r = await trainOrReuse({
        runDir, raw: { ...m.raw, seed }, config: cfg, events, nEvents: events.length, configName: `${configPath}: ${m.name}`, label: `'${m.name}' seed ${seed}`,
        keyFile: 'compare.key', needs: ['summary.json', 'test-scores.f32', 'validation-scores.f32'], save: { saveScores: true }, log,
      });
      runs.push(seedNumbers(runDir, cfg, seed, s.rejection, r));
    }
    const chosen = runs.reduce((a, b) => (b.numbers.validationAuc > a.numbers.validationAuc ? b : a));
    log(`compare: '${m.name}': validation AUC per seed ${runs.map((r) => `${r.numbers.seed}: ${r.numbers.validationAuc.toFixed(4)}`).join(', ')} → seed ${chosen.numbers.seed}`);
    all[m.name] = runs.map((r) => r.numbers);
    best.set(m.name, chosen.numbers);
    digests.push(strategyDigest(m.name, all[m.name], chosen.numbers));
    const hyps = chosen.test.info.hypotheses.map((h) => h.mass);
    for (const mass of s.panels) {
      const h = hyps.findIndex((x) => Math.abs(x - mass) < 1e-6);
      const roc = h >= 0 ? windowRoc(chosen.test, h) : null;
      if (roc) for (const p of rocPoints(roc)) rocs.push({ method: m.name, mass, ...p });
    }
    const shape = backgroundShapes(chosen.test, s.shape.efficiencies, s.shape.range, s.shape.bins, chosen.validation);
    shapes.set(m.name, shape.shapes.map((x) => ({ efficiency: x.efficiency, distance: x.distance })));
    perMassShapes.set(m.name, shape.perMass.map((x) => ({ efficiency: x.efficiency, distance: x.distance })));
    for (const x of shape.shapes) x.passing.forEach((p, i) => { if (shape.all[i] > 0) shapeRows.push({ method: m.name, efficiency: x.efficiency, m: shape.edges[i], ratio: p / shape.all[i] }); });
  }
  const markdown = strategiesMarkdown({ digests, best, panels: s.panels, rejection: s.rejection, shapes, perMassShapes });
  const names = plan.methods.map((m) => m.name);
  const perMass = (k: 'auc' | 'efficiency' | 'z') => [...best].flatMap(([method, b]) => b.masses.map((p) => ({ method, mass: p.mass, y: p[k], heldOut: p.heldOut })));
  const plots: Array<[string, VegaLiteSpec]> = [
    ['roc-panels', rocPanelsSpec(rocs, names)],
    ['auc-vs-mass', perMassSpec(perMass('auc'), names, 'AUC per mass', 'AUC (test)', 'weighted, in the ±2σ window; open points: held out of training')],
    ['efficiency-vs-mass', perMassSpec(perMass('efficiency'), names, `Signal efficiency at background rejection ${s.rejection}`, 'signal efficiency in the window', 'threshold keeping ' + `${(100 * (1 - s.rejection)).toPrecision(2)} % of the window's background; open points: held out`)],
    ['z-vs-mass', perMassSpec(perMass('z'), names, 'Asimov Z per mass at the working point', 'Asimov Z (test)', 'cut chosen on validation per mass, judged on test; open points: held out')],
    ['background-shape', backgroundShapeSpec(shapeRows, names)],
  ];
  const figures: string[] = [];
  for (const [name, spec] of plots) {
    const svg = await renderSvg(spec);
    writeFileAtomically(join(o.out, `${name}.svg`), svg);
    if (o.png ?? true) writeFileAtomically(join(o.out, `${name}.png`), svgToPng(svg));
    figures.push(`<figure>${isolateSvg(svg, name)}</figure>`);
  }
  writeFileAtomically(join(o.out, 'table.md'), `${markdown}\n`);
  writeFileAtomically(join(o.out, 'strategies.json'), `${JSON.stringify({ config: configPath, quick: o.quick ?? false, rejection: s.rejection, digests, seeds: all, backgroundShape: Object.fromEntries([...shapes].map(([k, v]) => [k, { globalThreshold: v, perMassThreshold: perMassShapes.get(k) ?? [] }])) }, null, 1)}\n`);
  const html = join(o.out, 'index.html');
  writeFileAtomically(html, `<!doctype html><meta charset="utf-8"><title>${escapeHtml(configPath)}: mass strategies</title><h1>Mass strategies: ${escapeHtml(configPath)}</h1><pre>${escapeHtml(markdown)}</pre>${figures.join('\n')}\n`);
  return { digests, seeds: all, markdown, html };
}
