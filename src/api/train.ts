// fomlab.train: the trainer (stages, checkpoints, ensembles), a whole run, and the estimator.
export { significanceDue, validationSignificance, type SelectConfig, type SignificanceSplit } from '../train/select.js';
export { significanceSplit } from '../train/run.js';
export { trainNet, type SplitArrays, type TrainNetInput, type TrainedNet, type TrainerState, type StageLog, type EpochLog, type ValidationFigure } from '../train/trainer.js';
export { prepareRun, type PreparedRun, type JudgedSplit, type PrepareOptions } from '../train/prepare.js';
export { trainEnsemble, memberSeed, type EnsembleOptions } from '../train/ensemble.js';
export { trainRun, evaluateRun, searchOf, figureSpecOf, prepareTraining, type TrainRunOptions, type TrainRunResult } from '../train/run.js';
export { readRunRecord, runConfig, configDifferences, assertResumable, kernelsWarning, checkRunDir, type RunRecord } from '../train/run-record.js';
export { saveTrainedNet, loadTrainedNet, saveTrainerState, loadTrainerState } from '../train/checkpoint.js';
export { PunziNet, punziNetOptionsSchema, type PunziNetOptions, type PunziNetSettings } from '../train/estimator.js';
export { gridSearch, gridPoints, modelAt, validationScore, type GridPoint, type GridSelection, type GridSearchInput } from '../train/grid.js';
export { stratifiedFolds, foldRows, subsetSplit } from '../train/folds.js';
export { explainRun, type ExplainOptions } from '../train/explain.js';
export { expandByHypothesis, parameterisedSplits, signalMasses, withMassInput, type ParameterisedSplits, type SignalMasses } from '../train/mass-input.js';
export { balancedOrder, redrawMasses, type MassInputEpoch } from '../train/mass-batches.js';
