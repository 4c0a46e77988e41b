// fomlab.physics: the search (mass hypotheses, windows), figures of merit, luminosity weights.
export * from '../physics/fom.js';
export { parseResolutionTable, readResolutionTable, resolutionAt, type ResolutionTable, type ResolutionTableOptions } from '../physics/resolution.js';
export { Search, massHypotheses, windowColumns } from '../physics/search.js';
export type { SearchDefinition, HypothesisSpec, WindowSpec, TrainSelection, Hypothesis } from '../physics/search.js';
export { resolutionWindows, fixedWindows, percentileWindows, rangeWindows, generatedHypothesis, windowIncidence } from '../physics/windows.js';
export type { MassWindows, ScannedVariable, WindowColumns, WindowIncidence } from '../physics/windows.js';
export { processWeight, luminosityWeights, withLuminosityWeights, type ProcessWeight, type WeightKeys } from '../physics/weights.js';
export { FIGURE_NAMES, figureOf, sigmaMinFigure, isBetter, relativeLoss, worstValue, DEFAULT_FIGURE_PARAMS } from '../physics/figures.js';
export type { FigureName, FigureOfMerit, FigureParams, FigureSpec, SelectionCounts } from '../physics/figures.js';
export { generatedFromColumn } from '../physics/generated.js';
