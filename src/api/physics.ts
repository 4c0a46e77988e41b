// fomlab.physics: the search (mass hypotheses, windows), figures of merit, luminosity weights.
export * from '../physics/fom.js';
export { parseResolutionTable, readResolutionTable, resolutionAt, type ResolutionTable, type ResolutionTableOptions } from '../physics/resolution.js';
export { Search, massHypotheses, windowColumns } from '../physics/search.js';
export type { SearchDefinition, HypothesisSpec, WindowSpec, TrainSelection, Hypothesis } from '../physics/search.js';
export { resolutionWindows, fixedWindows, percentileWindows, generatedHypothesis, windowIncidence } from '../physics/windows.js';
export type { MassWindows, ScannedVariable, WindowColumns, WindowIncidence } from '../physics/windows.js';
export { processWeight, luminosityWeights, withLuminosityWeights, type ProcessWeight } from '../physics/weights.js';
