import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FomlabError } from '../core/errors.js';
import { writeFileAtomically } from '../core/atomic.js';
import type { FomlabConfig } from '../config/schema.js';
import type { SearchConfig } from '../config/search.js';
import { loadEvents, type LoadedEvents } from '../data/load.js';
import type { EventTable } from '../data/table.js';
import { readResolutionTable } from '../physics/resolution.js';
import { Search, type WindowSpec } from '../physics/search.js';
import { type FigureSpec, figureOf } from '../physics/figures.js';
import { generatedFromColumn } from '../physics/generated.js';
import { processWeight, withLuminosityWeights } from '../physics/weights.js';
import { saveModelFile, savedModel, scoreMatrix, type ModelConfig } from '../models/registry.js';
import { regionCutComparison } from '../evaluate/region-cuts.js';
import { RUN_SUMMARY_SCHEMA, type FeatureImportance, type RegionCutsRecord, type RunSummary } from '../evaluate/summary.js';
import { forestImportance } from '../models/gbdt/importance-summary.js';
import { judge, methodsOf } from '../evaluate/judge.js';
import { modelSchema, stageTerms } from '../config/training.js';
import { trainEnsemble } from './ensemble.js';
import { inputsOf, prepareRun, type PreparedRun } from './prepare.js';
import type { TrainedNet } from './trainer.js';
import type { SignificanceSplit } from './select.js';
import { loadTrainedNet } from './checkpoint.js';
import { chosenGrid, checkGridPoints, type ChosenGrid } from './grid-run.js';
import { writeSplitScores, writeTestScores } from './test-scores.js';
import { assertResumable, checkRunDir, makeRunDir, readRunRecord, writeRunRecord } from './run-record.js';

/** The whole validation split as the significance selection reads it (train/select.ts). */
export function significanceSplit(prep: PreparedRun): SignificanceSplit {
  const v = prep.validationJudged;
  return { x: v.x, labels: v.table.labels(), weights: v.weights, mass: v.table.mass() };
}

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

/** The data section that also reads the column the background's mass comes from (parameterised.column). */
export function withParameterColumn(data: FomlabConfig['data'], cfg: FomlabConfig): FomlabConfig['data'] & { extraColumns?: string[] } {
  const column = cfg.parameterised?.column;
  if (column === undefined) return data;
  const extra = (data as { extraColumns?: string[] }).extraColumns ?? [];
  return { ...data, extraColumns: [...extra, column] };
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
  /** continue a stopped run from its checkpoints (refused when the config differs from the run's) */
  resume?: boolean;
  /** the config file, copied to RUN/config.yaml once every check has passed (before the first epoch) */
  configFile?: string;
  /** set stop[0] = 1 to stop after the current epoch (Ctrl-C) */
  stop?: Int32Array;
  /** events already in memory (the demo), instead of reading data.files */
  events?: EventTable;
  log?: (line: string) => void;
  durations?: Record<string, number>;
  /** write each net's checkpoint every this many epochs (default 25; always on Ctrl-C) */
  checkpointEvery?: number;
  /** with region cuts: write the test split's scores and events (RUN/test-scores.f32, test-events.*; train/test-scores.ts) */
  saveTestScores?: boolean;
  /** write the test and validation splits' scores of the last method's best net with their windows (RUN/test-*, RUN/validation-*; train/test-scores.ts) */
  saveScores?: boolean;
}

export interface TrainRunResult {
  summary: RunSummary;
  /** true when stopped by Ctrl-C: run again with resume to continue */
  interrupted: boolean;
}

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * `fomlab train`: reads the events, defines the search, splits and prepares the data (all checks
 * before any training starts), trains the ensemble (BCE pre-training then Punzi fine-tuning, in
 * parallel over the cores, checkpointed), judges every net on the test split, and writes
 * RUN/summary.json and RUN/models/*.json (the best nets, with their feature scaling).
 */
export async function trainRun(cfg: FomlabConfig, o: TrainRunOptions): Promise<TrainRunResult> {
  const log = o.log ?? ((l: string) => console.error(l));
  required(cfg.search, 'search');
  const training = required(cfg.training, 'training');
  checkRunDir(o.runDir);
  if (o.resume) assertResumable(o.runDir, cfg, o.configFile ? dirname(o.configFile) : o.runDir);
  const durations = { ...(o.durations ?? {}) };
  const t = Date.now();
  const { prep, search, figure, loaded } = await prepareTraining(cfg, o.events);
  loaded?.notices.forEach((l) => log(l)); // dropped events by reason, negative weights, a file listed twice
  durations.prepare = (Date.now() - t) / 1000;
  log(`events: ${prep.counts.train} train, ${prep.counts.validation} validation (in training windows), ${prep.counts.test} test; ${prep.trainHypotheses.length} training hypotheses of ${search.hypotheses.length}`);
  // every check has passed: only now does the run folder get written to
  const created = makeRunDir(o.runDir);
  try {
    if (o.configFile) copyFileSync(o.configFile, join(o.runDir, 'config.yaml'));
    // a re-judging (resume without a new config file) keeps the record of the session that trained
    if (!o.resume || o.configFile !== undefined || !readRunRecord(o.runDir)) writeRunRecord(o.runDir, cfg);
    return await trainPrepared(cfg, training, prep, search, figure, o, durations, log);
  } catch (e) {
    throw leftBehind(e, o.runDir, created);
  }
}

/**
 * Every check `train` runs before its first epoch — the search (hypotheses, windows, resolution
 * table), the events (files, columns, selection), the split and the hypotheses' signal and
 * background — as one function, so `validate` runs exactly these.
 */
export async function prepareTraining(cfg: FomlabConfig, events?: EventTable): Promise<{ prep: PreparedRun; search: Search; figure: FigureSpec; table: EventTable; loaded: LoadedEvents | null }> {
  const searchCfg = required(cfg.search, 'search');
  const loaded = events ? null : await loadEvents(withParameterColumn(withFileWeights(cfg.data, searchCfg.sensitivity.lumi), cfg), { progress: true });
  const search = searchOf(searchCfg);
  const { table, generatedPerMass } = searchInputs(events ?? loaded!.table, search, cfg, searchCfg);
  const figure = figureSpecOf(searchCfg);
  const scopes = (cfg.training?.stages ?? []).flatMap((st) => stageTerms(st).map((t) => t.scope));
  const prep = prepareRun(table, search, { split: cfg.data.split, scaling: cfg.data.scaling, generatedPerMass, signalScale: searchCfg.signalScale, scopes, trainWeights: cfg.data.trainWeights, ...(cfg.data.trainFraction ? { trainFraction: cfg.data.trainFraction } : {}), ...(cfg.parameterised ? { parameterised: cfg.parameterised } : {}), ...(cfg.data.processes ? { processes: { config: cfg.data.processes, lumi: searchCfg.sensitivity.lumi } } : {}) });
  if (cfg.training?.grid) checkGridPoints(cfg.training.grid, cfg.model ?? modelSchema.parse({}));
  cfg.training?.stages.forEach((st, i) => {
    const t = prep.train.processes ? undefined : stageTerms(st).find((term) => term.module.needsProcesses);
    if (t) throw new FomlabError(`training.stages[${i}].loss: ${t.module.name} weights each event by its process: needs data.processes and columns.category (the process id of each event)`);
  });
  return { prep, search, figure, table, loaded };
}

/**
 * A failed run leaves nothing behind in a run folder it created, unless nets were already trained
 * there (their checkpoints are kept, and the error says so).
 */
function leftBehind(e: unknown, runDir: string, created: boolean): unknown {
  const ckpts = join(runDir, 'checkpoints');
  const nets = existsSync(ckpts) ? readdirSync(ckpts).filter((f) => f.endsWith('.safetensors')) : [];
  if (created && nets.length === 0) {
    rmSync(runDir, { recursive: true, force: true });
    return e;
  }
  if (nets.length > 0 && e instanceof FomlabError) {
    return new FomlabError(`${e.message} (${runDir} keeps ${nets.length} checkpoint file${nets.length > 1 ? 's' : ''} of trained nets; --resume continues from them)`, e.exitCode);
  }
  return e;
}

async function trainPrepared(
  cfg: FomlabConfig, training: NonNullable<FomlabConfig['training']>, prep: PreparedRun, search: Search, figure: FigureSpec, o: TrainRunOptions,
  durations: Record<string, number>, log: (line: string) => void,
): Promise<TrainRunResult> {
  const searchCfg = cfg.search!;
  mkdirSync(join(o.runDir, 'checkpoints'), { recursive: true });
  for (const d of ['', 'checkpoints', 'models']) removeStaleTemporaries(join(o.runDir, d));
  const stop = o.stop ?? new Int32Array(new SharedArrayBuffer(4));
  const sensitivity = { a: searchCfg.sensitivity.a, b: searchCfg.sensitivity.b, lumi: searchCfg.sensitivity.lumi, form: searchCfg.sensitivity.form };
  const tGrid = Date.now();
  const grid = training.grid ? chosenGrid(cfg, { prep, figure, runDir: o.runDir, resume: o.resume ?? false, log }) : undefined;
  if (grid) durations.grid = (Date.now() - tGrid) / 1000;
  const model = grid?.model ?? cfg.model ?? modelSchema.parse({});
  const t = Date.now();
  const nets: TrainedNet[] = await trainEnsemble(
    {
      train: prep.train, validation: prep.validation, model, stages: training.stages, sensitivity, inputs: inputsOf(prep),
      ...(training.select ? { select: training.select, significance: significanceSplit(prep) } : {}),
      figure: { x: prep.validationJudged.x, incidence: prep.validationJudged.incidence, weights: prep.validationJudged.weights, include: search.trainMask, ...(figure.name === 'sigmaMin' ? {} : { merit: figure }) },
    },
    {
      members: training.ensemble, baseSeed: training.seed, workers: training.workers, checkpointDir: join(o.runDir, 'checkpoints'),
      resume: o.resume ?? false, stop, checkpointEvery: o.checkpointEvery,
    },
  );
  durations.train = (Date.now() - t) / 1000;
  const interrupted = nets.some((n) => n.stopped === 'interrupted');
  for (const [k, n] of nets.entries()) if (n.stopped && n.stopped !== 'interrupted') log(`net ${k}: ${n.stopped}`);
  if (interrupted) return { summary: emptySummary(o.configName, training.seed), interrupted };
  return { summary: judgeAndWrite(cfg, { prep, search, figure, grid }, nets, o, durations), interrupted };
}

/**
 * `fomlab evaluate`: judges a finished run again — runs train's checks and data preparation,
 * reloads every trained net from RUN/checkpoints/net-k.safetensors, scores the splits through the
 * model registry and rewrites RUN/summary.json and RUN/models/*.json. No optimiser, trainer or
 * worker pool is involved.
 */
export async function evaluateRun(cfg: FomlabConfig, o: TrainRunOptions): Promise<RunSummary> {
  const log = o.log ?? ((l: string) => console.error(l));
  const training = required(cfg.training, 'training');
  const durations = { ...(o.durations ?? {}) };
  const t = Date.now();
  const prepared = await prepareTraining(cfg, o.events);
  prepared.loaded?.notices.forEach((l) => log(l));
  durations.prepare = (Date.now() - t) / 1000;
  const nets = Array.from({ length: training.ensemble }, (_, k) => loadTrainedNet(join(o.runDir, 'checkpoints', `net-${k}.safetensors`)));
  const grid = training.grid ? chosenGrid(cfg, { prep: prepared.prep, figure: prepared.figure, runDir: o.runDir, resume: true, log }) : undefined;
  return judgeAndWrite(cfg, { ...prepared, grid }, nets, o, durations);
}

/** Judges the nets on the test split (cuts chosen on validation), writes RUN/summary.json and the best models. */
function judgeAndWrite(cfg: FomlabConfig, p: { prep: PreparedRun; search: Search; figure: FigureSpec; grid?: ChosenGrid }, nets: TrainedNet[], o: TrainRunOptions, durations: Record<string, number>): RunSummary {
  const { prep, search, figure } = p;
  const training = cfg.training!, searchCfg = cfg.search!;
  const model = p.grid?.model ?? cfg.model ?? modelSchema.parse({});
  const sensitivity = { a: searchCfg.sensitivity.a, b: searchCfg.sensitivity.b, lumi: searchCfg.sensitivity.lumi, form: searchCfg.sensitivity.form };
  const t = Date.now();
  const { dropped, ...judged } = judge({ search, test: prep.test, validation: prep.validationJudged, nets, model, stages: training.stages, sensitivity, figure, compareWithBce: training.compareWithBce, train: prep.train });
  durations.evaluate = (Date.now() - t) / 1000;
  const f = figureOf(figure);
  const trainedBy = [...new Set(nets.flatMap((n) => n.kernels))].sort(); // empty for nets of an older fomlab
  const summary: RunSummary = {
    schema: RUN_SUMMARY_SCHEMA,
    meta: {
      configName: o.configName, seed: training.seed, fomlabVersion: version, createdAt: new Date().toISOString(),
      events: prep.counts, durations, luminosityFb: sensitivity.lumi,
      ...(trainedBy.length ? { kernels: trainedBy } : {}),
      notes: `σ_min ${sensitivity.form === 'paper' ? '(paper eq. 9)' : '(Punzi 2003 improved form)'}, a = ${sensitivity.a}, b = ${sensitivity.b}; ` +
        (f.name === 'sigmaMin' ? '' : `cuts and nets chosen by ${f.label} (${f.better} is better)${f.name === 'punziFom' ? `, a/2 = ${figure.params.halfA}` : ''}; `) + 'judged on the test split.' +
        (dropped.length ? ` Left out (no test signal passes the optimal or the common cut): ${dropped.join(', ')} GeV.` : ''),
      figure: { name: f.name, label: f.label, unit: f.unit, better: f.better },
    },
    ...judged,
    ...(p.grid ? { grid: p.grid.record } : {}),
  };
  const importances = saveBestModels(o.runDir, nets, prep, model, training.stages, judged.history, training.compareWithBce);
  if (importances.length) summary.importances = importances;
  const regional = regionCutsOf(model, searchCfg.regionEdges, nets, p, judged.history, training, figure);
  if (regional) {
    summary.regionCuts = regional.record;
    if (o.saveTestScores) writeTestScores(o.runDir, regional.testScores, prep.test, search.hypotheses.map((h) => h.mass));
  }
  if (o.saveScores) saveSplitScores(o.runDir, model, nets, prep, search, judged.history, training);
  writeFileAtomically(join(o.runDir, 'summary.json'), JSON.stringify(summary, null, 1));
  return summary;
}

/**
 * Models with mass regions (model.edges, the regions kind) or a search with regionEdges: the last
 * method's best net at a cut of 0.5 against one cut per region chosen on validation
 * (evaluate/region-cuts.ts), on the test split; with the test scores it judged.
 */
function regionCutsOf(model: ModelConfig, searchEdges: number[] | undefined, nets: TrainedNet[], p: { prep: PreparedRun; search: Search }, history: RunSummary['history'], training: NonNullable<FomlabConfig['training']>, figure: FigureSpec): { record: RegionCutsRecord; testScores: Float32Array } | undefined {
  const edges = Array.isArray(model.edges) && model.edges.every((e) => typeof e === 'number') ? (model.edges as number[]) : searchEdges;
  if (!edges) return undefined;
  const last = methodsOf(training.stages, training.compareWithBce).at(-1)!;
  const params = last.params(nets[history.find((h) => h.method === last.name)?.net ?? 0]);
  const nf = p.prep.features.length;
  const scored = (s: PreparedRun['test']) => ({ p: scoreMatrix(model, params, s.x, nf), weights: s.weights, incidence: s.incidence });
  const test = scored(p.prep.test);
  return { record: regionCutComparison(p.search.hypotheses.map((h) => h.mass), edges, scored(p.prep.validationJudged), test, figure), testScores: test.p };
}

/** The last method's best net (as judged) scored on the test and the validation split, written with their windows. */
function saveSplitScores(runDir: string, model: ModelConfig, nets: TrainedNet[], prep: PreparedRun, search: Search, history: RunSummary['history'], training: NonNullable<FomlabConfig['training']>): void {
  const last = methodsOf(training.stages, training.compareWithBce).at(-1)!;
  const params = last.params(nets[history.find((h) => h.method === last.name)?.net ?? 0]);
  const masses = search.hypotheses.map((h) => h.mass);
  for (const [name, split] of [['test', prep.test], ['validation', prep.validationJudged]] as const) writeSplitScores(runDir, name, scoreMatrix(model, params, split.x, prep.features.length), split, masses);
}

/** Temporary files of writes that a kill interrupted (`.NAME.PID.TIME.tmp`, see core/atomic.ts). */
function removeStaleTemporaries(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (/^\..+\.\d+\.\d+\.tmp$/.test(f)) rmSync(join(dir, f), { force: true });
}

/**
 * RUN/models/<method>.json: the best net of each method with its feature scaling (for apply / export), written by its
 * model kind. Returns the feature importances of boosted-tree models (on the test split's first events).
 */
function saveBestModels(runDir: string, nets: TrainedNet[], prep: PreparedRun, model: NonNullable<FomlabConfig['model']>, stages: NonNullable<FomlabConfig['training']>['stages'], history: RunSummary['history'], compareWithBce: boolean): FeatureImportance[] {
  const sc = prep.scaler.toJSON();
  const shift = Float32Array.from(sc.offset), scale = Float32Array.from(sc.scale, (s) => 1 / s);
  const out: FeatureImportance[] = [];
  for (const m of methodsOf(stages, compareWithBce)) {
    const k = history.find((h) => h.method === m.name)?.net ?? 0;
    const saved = savedModel(model, m.params(nets[k]), prep.features, shift, scale);
    saveModelFile(saved, join(runDir, 'models', `${m.name.toLowerCase()}.json`));
    if (saved.kind === 'gbdt') out.push(forestImportance(m.name, saved.toJson() as Record<string, unknown>, prep.features, prep.test.x, prep.test.x.length / prep.features.length));
  }
  return out;
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
