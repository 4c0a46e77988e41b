// fomlab.data: events, readers, writers, selection, splits, scaling, loading.
export { EventTable } from '../data/table.js';
export type { ColumnRoles, RoleName } from '../data/table.js';
export { readColumns, describeFile, detectFormat, summarizeFile, summarizeColumn } from '../data/readers/index.js';
export type { ReadOptions, ColumnData, ColumnInfo, FileDescription, FileFormat, ColumnSummary, FileSummary, TreeSummary } from '../data/readers/index.js';
export { openTableWriter, writeTable, type TableWriter } from '../data/writers/index.js';
export { compileExpression, columnsUsed, selectionMask, applySelection, type CompiledExpression } from '../data/select.js';
export { splitByFractions, splitByColumn, splitIndices, splitTable, type SplitConfig, type SplitIndices, type SplitTables } from '../data/split.js';
export { FeatureScaler, SCALING_KINDS, type ScalingKind, type FeatureScalerJSON } from '../data/scale.js';
export { loadEvents, summarizeEvents } from '../data/load.js';
export type { LoadSpec, FileSpec, LoadOptions, LoadedEvents, FileCounts, EventSummary } from '../data/load.js';
