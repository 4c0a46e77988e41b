// fomlab's public library API: the CLI uses nothing that is not exported here.

// core: tensors, autograd, nn, optimisers, kernels, RNG, errors, atomic writes
export * from './core/index.js';
export { writeAtomically, writeFileAtomically } from './core/atomic.js';
export { progressBar, type Progress } from './core/progress.js';
export { didYouMean, nearMatches } from './core/errors.js';

// data: events, readers, writers, selection, splits, scaling, loading
export { EventTable } from './data/table.js';
export type { ColumnRoles, RoleName } from './data/table.js';
export { readColumns, describeFile, detectFormat, summarizeFile, summarizeColumn } from './data/readers/index.js';
export type { ReadOptions, ColumnData, ColumnInfo, FileDescription, FileFormat, ColumnSummary, FileSummary, TreeSummary } from './data/readers/index.js';
export { openTableWriter, writeTable, type TableWriter } from './data/writers/index.js';
export { compileExpression, columnsUsed, selectionMask, applySelection, type CompiledExpression } from './data/select.js';
export { splitByFractions, splitByColumn, splitIndices, splitTable, type SplitConfig, type SplitIndices, type SplitTables } from './data/split.js';
export { FeatureScaler, SCALING_KINDS, type ScalingKind, type FeatureScalerJSON } from './data/scale.js';
export { loadEvents, summarizeEvents } from './data/load.js';
export type { LoadSpec, FileSpec, LoadOptions, LoadedEvents, FileCounts, EventSummary } from './data/load.js';

// config
export { loadConfig, parseConfig } from './config/load.js';
export { configSchema, type FomlabConfig } from './config/schema.js';
export { dataSchema, type DataConfig, type FileEntry, type NanPolicy } from './config/data.js';
export { searchSchema, type SearchConfig } from './config/search.js';
export { modelSchema, stageSchema, trainingSchema, stageTerms, stageName, type ModelConfig, type StageConfig, type TrainingConfig } from './config/training.js';
export { section, oneOf, numberBetween, formatIssues } from './config/section.js';

// physics: search, windows, figures of merit, weights
export * from './physics/fom.js';
export { parseResolutionTable, readResolutionTable, resolutionAt, type ResolutionTable, type ResolutionTableOptions } from './physics/resolution.js';
export { Search, massHypotheses, windowColumns } from './physics/search.js';
export type { SearchDefinition, HypothesisSpec, WindowSpec, TrainSelection, Hypothesis } from './physics/search.js';
export { resolutionWindows, fixedWindows, percentileWindows, generatedHypothesis, windowIncidence } from './physics/windows.js';
export type { MassWindows, ScannedVariable, WindowColumns, WindowIncidence } from './physics/windows.js';
export { processWeight, luminosityWeights, withLuminosityWeights, type ProcessWeight } from './physics/weights.js';

// losses
export { punziLoss, softSigmaMin, type PunziIncidence, type PunziLossOptions } from './losses/punzi.js';
export { weightedBce, bceWeights } from './losses/bce.js';
export { registerLoss, lossModule, lossNames, resolveLossTerms, type LossModule, type LossBatch, type LossContext, type LossScope, type LossTerm, type LossTermConfig } from './losses/registry.js';

// models: feed-forward specs, ONNX export, scoring
export * from './models/spec.js';
export { encodeOnnx, exportOnnx, DEFAULT_OPSET, ONNX_INPUT, ONNX_OUTPUT, type OnnxExportOptions } from './models/onnx.js';
export { loadFeedForwardSpec, saveFeedForwardSpec, feedForwardSpecFromJson, feedForwardSpecToJson, FEEDFORWARD_JSON_FORMAT } from './models/spec-json.js';
export { scoreColumns } from './models/score.js';
export { registerModelKind, modelKind, modelKindNames, buildModel, scoreMatrix, savedModel, saveModelFile, loadModelFile, modelFromJson, stateOf, loadState, type ModelKind, type SavedModel, type TrainableModel } from './models/registry.js';
export { buildMlp, mlpSpec, mlpOptionsSchema, type MlpOptions } from './models/mlp.js';

// train
export { trainNet, type SplitArrays, type TrainNetInput, type TrainedNet, type TrainerState, type StageLog, type EpochLog, type ValidationFigure } from './train/trainer.js';
export { prepareRun, type PreparedRun, type JudgedSplit, type PrepareOptions } from './train/prepare.js';
export { trainEnsemble, memberSeed, type EnsembleOptions } from './train/ensemble.js';
export { judge, methodsOf, scoreSplit, type Method, type JudgeInput, type JudgedSplit as JudgedEvents } from './evaluate/judge.js';
export { trainRun, evaluateRun, searchOf, type TrainRunOptions, type TrainRunResult } from './train/run.js';
export { saveTrainedNet, loadTrainedNet, saveTrainerState, loadTrainerState } from './train/checkpoint.js';

// evaluate
export { optimalCuts, cutsAt, bestCommonCut, aggregateSigmaMin, type HypothesisCuts, type CutOptions, type CutAggregate } from './evaluate/cuts.js';
export { binnedSignificance, type BinnedOptions, type BinnedSignificance, type SignificanceBin } from './evaluate/binned.js';
export { rocCurve, rocAuc, type RocCurve } from './evaluate/roc.js';
export { zCurve, type ZCurve, type ZCurveOptions } from './evaluate/zcurve.js';
export { massSculpting, backgroundDisco, type MassSculpting, type SculptingOptions } from './evaluate/sculpting.js';
export { distanceCorrelation, type DiscoOptions, type DiscoResult } from './evaluate/disco.js';
export { scoredEvents, type ScoredEvents } from './evaluate/scored.js';

// report
export { writeReport, reportPlots, readRunSummary, parseRunSummary, hasPngFont, RUN_SUMMARY_SCHEMA, REPORT_HTML } from './report/index.js';
export type * from './evaluate/summary.js';

// exec
export { runTasks, shareArray, type Task, type PoolOptions } from './exec/pool.js';

// simulate
export {
  simulateEvents, simulateToFile, simulateTable, defaultSimulationConfig, defaultZprimeMasses, fitResolution, fitGaussianCore,
  formatResolutionTable, defaultDetector, FEATURE_NAMES, FEATURE_DESCRIPTIONS, FEATURE_COLUMNS, COLUMN_NAMES, CATEGORY, CATEGORY_NAMES,
  DEFAULT_BACKGROUND_SCALE, SIMULATION_ROLES,
} from './simulate/index.js';
export type { SimulationConfig, DetectorConfig, ResolutionPoint, BackgroundName } from './simulate/index.js';
