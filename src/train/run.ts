import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import type { SearchConfig } from '../config/search.js';
import { loadEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import { readResolutionTable } from '../physics/resolution.js';
import { Search, type WindowSpec } from '../physics/search.js';
import { type FigureSpec, figureOf } from '../physics/figures.js';
import { generatedFromColumn } from '../physics/generated.js';
import { processWeight, withLuminosityWeights } from '../physics/weights.js';
import { saveModelFile, savedModel } from '../models/registry.js';
import { RUN_SUMMARY_SCHEMA, type RunSummary } from '../evaluate/summary.js';
import { trainEnsemble } from './ensemble.js';
import { judge, methodsOf } from '../evaluate/judge.js';
import { modelSchema } from '../config/training.js';
import { prepareRun, type PreparedRun } from './prepare.js';
import type { TrainedNet } from './trainer.js';
import { loadTrainedNet } from './checkpoint.js';
import type { SensitivityParams, SigmaMinForm } from '../physics/fom.js';

/** The search of a config's `search:` section. */
export function searchOf(cfg: SearchConfig): Search {
  const w = cfg.window;
  const window: WindowSpec =
    'resolution' in w ? { kind: 'resolution', table: readResolutionTable(w.resolution, { massUnit: w.massUnit, of: w.of }), nSigma: w.nSigma }
      : 'halfWidth' in w ? { kind: 'fixed', halfWidth: w.halfWidth }
        : 'percentile' in w ? { kind: 'percentile', from: w.percentile[0], to: w.percentile[1] }
          : { kind: 'range', from: w.from, to: w.to };
  return new Search({ hypotheses: cfg.hypotheses, variable: cfg.variable, window });
}

/** The figure of a config's `search:` section (σ_min's parameters from `sensitivity`). */
export function figureSpecOf(cfg: SearchConfig): FigureSpec {
  const { a, b, lumi, form } = cfg.sensitivity;
  const f = cfg.figure;
  return { name: f.name, params: { a, b, lumi, form, halfA: f.halfA }, ...(f.name === 'binnedZ' ? { bins: f.bins } : {}) };
}

/** The data section with each file's σ·L/N_gen as its weight (data.files[i].crossSection, nGenerated, scale). */
export function withFileWeights(data: FomlabConfig['data'], lumi: number): FomlabConfig['data'] {
  const files = data.files.map((f, i) => f.crossSection === undefined ? f
    : { ...f, weight: processWeight({ crossSection: f.crossSection, nGenerated: f.nGenerated, scale: f.scale }, lumi, { process: `data.files[${i}]`, lumi: 'search.sensitivity.lumi' }) });
  const extra = data.columns.nGenerated !== undefined ? [data.columns.nGenerated] : [];
  return { ...data, files, ...(extra.length ? { extraColumns: extra } : {}) };
}

/** The events with the config's process weights (data.processes) and the ε denominator per hypothesis. */
export function searchInputs(table: EventTable, search: Search, cfg: FomlabConfig, searchCfg: SearchConfig): { table: EventTable; generatedPerMass?: number | readonly number[] } {
  const processes = cfg.data.processes;
  const t = processes ? withLuminosityWeights(table, processes, searchCfg.sensitivity.lumi) : table;
  const column = cfg.data.columns.nGenerated;
  const generatedPerMass = searchCfg.generatedPerMass ?? (column !== undefined ? [...generatedFromColumn(search, t, column)] : undefined);
  return { table: t, ...(generatedPerMass !== undefined ? { generatedPerMass } : {}) };
}

function required<T>(v: T | undefined, section: string): T {
  if (v === undefined) throw new FomlabError(`the config has no '${section}:' section, which training needs`);
  return v;
}

export interface TrainRunOptions {
  runDir: string;
  configName: string;
  /** continue a stopped run from its checkpoints */
  resume?: boolean;
  /** set stop[0] = 1 to stop after the current epoch (Ctrl-C) */
  stop?: Int32Array;
  /** events already in memory (the demo), instead of reading data.files */
  events?: EventTable;
  log?: (line: string) => void;
  durations?: Record<string, number>;
}

export interface TrainRunResult {
  summary: RunSummary;
  /** true when stopped by Ctrl-C: run again with resume to continue */
  interrupted: boolean;
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What training and judging share: the validated sections, the search, its figure and the prepared splits. */
interface PreparedContext {
  training: NonNullable<FomlabConfig['training']>;
  model: NonNullable<FomlabConfig['model']>;
  search: Search;
  figure: FigureSpec;
  prep: PreparedRun;
  sensitivity: SensitivityParams & { form: SigmaMinForm };
  durations: Record<string, number>;
}

/** Reads the events, defines the search, splits and prepares the data (all checks before any training starts). */
async function prepareContext(cfg: FomlabConfig, o: TrainRunOptions, log: (line: string) => void): Promise<PreparedContext> {
  const searchCfg = required(cfg.search, 'search');
  const training = required(cfg.training, 'training');
  const model = cfg.model ?? modelSchema.parse({});
  const durations = { ...(o.durations ?? {}) };
  const t = Date.now();
  const loaded = o.events ? null : await loadEvents(withFileWeights(cfg.data, searchCfg.sensitivity.lumi), { progress: true });
  loaded?.notices.forEach((l) => log(l)); // dropped events by reason, negative weights, a file listed twice
  const events = o.events ?? loaded!.table;
  const search = searchOf(searchCfg);
  const { table, generatedPerMass } = searchInputs(events, search, cfg, searchCfg);
  const figure = figureSpecOf(searchCfg);
  const prep: PreparedRun = prepareRun(table, search, { split: cfg.data.split, scaling: cfg.data.scaling, generatedPerMass, signalScale: searchCfg.signalScale });
  durations.prepare = (Date.now() - t) / 1000;
  log(`events: ${prep.counts.train} train, ${prep.counts.validation} validation (in training windows), ${prep.counts.test} test; ${prep.trainHypotheses.length} training hypotheses of ${search.hypotheses.length}`);
  const sensitivity = { a: searchCfg.sensitivity.a, b: searchCfg.sensitivity.b, lumi: searchCfg.sensitivity.lumi, form: searchCfg.sensitivity.form };
  return { training, model, search, figure, prep, sensitivity, durations };
}

/**
 * `fomlab train`: prepares the data, trains the ensemble (BCE pre-training then Punzi fine-tuning, in
 * parallel over the cores, checkpointed), judges every net on the test split, and writes
 * RUN/summary.json and RUN/models/*.json (the best nets, with their feature scaling).
 */
export async function trainRun(cfg: FomlabConfig, o: TrainRunOptions): Promise<TrainRunResult> {
  const log = o.log ?? ((l: string) => console.error(l));
  const c = await prepareContext(cfg, o, log);
  const { training, model, search, figure, prep, sensitivity, durations } = c;
  mkdirSync(join(o.runDir, 'checkpoints'), { recursive: true });
  const stop = o.stop ?? new Int32Array(new SharedArrayBuffer(4));
  const t = Date.now();
  const nets: TrainedNet[] = await trainEnsemble(
    {
      train: prep.train, validation: prep.validation, model, stages: training.stages, sensitivity,
      figure: { x: prep.validationJudged.x, incidence: prep.validationJudged.incidence, weights: prep.validationJudged.weights, include: search.trainMask, ...(figure.name === 'sigmaMin' ? {} : { merit: figure }) },
    },
    { members: training.ensemble, baseSeed: training.seed, workers: training.workers, checkpointDir: join(o.runDir, 'checkpoints'), resume: o.resume ?? false, stop },
  );
  durations.train = (Date.now() - t) / 1000;
  const interrupted = nets.some((n) => n.stopped === 'interrupted');
  for (const [k, n] of nets.entries()) if (n.stopped && n.stopped !== 'interrupted') log(`net ${k}: ${n.stopped}`);
  if (interrupted) return { summary: emptySummary(o.configName, training.seed), interrupted };
  return { summary: judgeAndWrite(c, nets, o), interrupted };
}

/**
 * `fomlab evaluate`: judges a finished run again — reads the events and prepares the splits as
 * `train` did, reloads every trained net from RUN/checkpoints/net-k.safetensors, scores the splits
 * through the model registry and rewrites RUN/summary.json and RUN/models/*.json. No optimiser,
 * trainer or worker pool is involved.
 */
export async function evaluateRun(cfg: FomlabConfig, o: TrainRunOptions): Promise<RunSummary> {
  const log = o.log ?? ((l: string) => console.error(l));
  const c = await prepareContext(cfg, o, log);
  const nets = Array.from({ length: c.training.ensemble }, (_, k) => loadTrainedNet(join(o.runDir, 'checkpoints', `net-${k}.safetensors`)));
  return judgeAndWrite(c, nets, o);
}

/** Judges the nets on the test split (cuts chosen on validation), writes RUN/summary.json and the best models. */
function judgeAndWrite(c: PreparedContext, nets: TrainedNet[], o: TrainRunOptions): RunSummary {
  const { training, model, search, figure, prep, sensitivity, durations } = c;
  const t = Date.now();
  const { dropped, ...judged } = judge({ search, test: prep.test, validation: prep.validationJudged, nets, model, stages: training.stages, sensitivity, figure, compareWithBce: training.compareWithBce });
  durations.evaluate = (Date.now() - t) / 1000;
  const f = figureOf(figure);
  const summary: RunSummary = {
    schema: RUN_SUMMARY_SCHEMA,
    meta: {
      configName: o.configName, seed: training.seed, fomlabVersion: version, createdAt: new Date().toISOString(),
      events: prep.counts, durations, luminosityFb: sensitivity.lumi,
      notes: `σ_min ${sensitivity.form === 'paper' ? '(paper eq. 9)' : '(Punzi 2003 improved form)'}, a = ${sensitivity.a}, b = ${sensitivity.b}; ` +
        (f.name === 'sigmaMin' ? '' : `cuts and nets chosen by ${f.label} (${f.better} is better)${f.name === 'punziFom' ? `, a/2 = ${figure.params.halfA}` : ''}; `) + 'judged on the test split.' +
        (dropped.length ? ` Left out (no test signal passes the optimal or the common cut): ${dropped.join(', ')} GeV.` : ''),
      figure: { name: f.name, label: f.label, unit: f.unit, better: f.better },
    },
    ...judged,
  };
  writeFileAtomically(join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 1));
  saveBestModels(o.runDir, nets, prep, model, training.stages, judged.history, training.compareWithBce);
  return summary;
}

/** RUN/models/<method>.json: the best net of each method with its feature scaling (for apply / export), written by its model kind. */
function saveBestModels(runDir: string, nets: TrainedNet[], prep: PreparedRun, model: NonNullable<FomlabConfig['model']>, stages: NonNullable<FomlabConfig['training']>['stages'], history: RunSummary['history'], compareWithBce: boolean): void {
  const sc = prep.scaler.toJSON();
  const shift = Float32Array.from(sc.offset), scale = Float32Array.from(sc.scale, (s) => 1 / s);
  for (const m of methodsOf(stages, compareWithBce)) {
    const k = history.find((h) => h.method === m.name)?.net ?? 0;
    saveModelFile(savedModel(model, m.params(nets[k]), prep.features, shift, scale), join(runDir, 'models', `${m.name.toLowerCase()}.json`));
  }
}

function emptySummary(configName: string, seed: number): RunSummary {
  return {
    schema: RUN_SUMMARY_SCHEMA, meta: { configName, seed, fomlabVersion: version, createdAt: new Date().toISOString(), events: {}, durations: {} },
    methods: [], masses: [], history: [], outputs: [],
  };
}

export function hasCheckpoints(runDir: string): boolean {
  return existsSync(join(runDir, 'checkpoints'));
}
