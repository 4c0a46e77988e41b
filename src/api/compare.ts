// fomlab.compare: several methods on one data set with repeated random subsampling (the H→Zγ study's Table 1).
export { runCompare, runCompareCell, cellName, type CompareOptions, type CompareResult, type CellEntry } from '../compare/run.js';
export { compareJobs, runCompareJobs, isCompareConfig } from '../compare/jobs.js';
export { planCompare, compareSchema, type ComparePlan, type CompareMethod, type CompareSection } from '../compare/config.js';
export { tableNumbers, type TableNumbers, type TestEvents } from '../compare/metrics.js';
export { tableRows, tableCsv, tableMarkdown, meanSpread, type TableRow } from '../compare/table.js';
export { cellFile, scoresFile, testFile, testWindowsFile, type CellResult } from '../compare/cell.js';
export { thesisNumbers, thesisRows, thesisCsv, thesisMarkdown, pooledWindowRows, type ThesisNumbers, type ThesisRow } from '../compare/thesis.js';
// fomlab.compare: the dark-photon slides' comparison (issue 17): methods trained by the train pipeline, the figure per mass at a cut of 0.5 and per region.
export { runMassCompare, type MassCompareOptions, type MassCompareResult } from '../compare/mass-scan.js';
export { planMassCompare, massCompareSchema, type MassComparePlan, type MassCompareMethod, type MassCompareSection } from '../compare/mass-scan-config.js';
export { massCompareRows, massCompareMarkdown, methodDigests, fomVsMassSpec, type MassCompareRow, type MethodDigest } from '../compare/mass-scan-table.js';
// fomlab.compare: the mass strategies of the mass-unspecific-classifier study (issue 15): strategies × seeds, best seed by validation AUC, judged per mass on test.
export { runStrategies, type StrategiesOptions, type StrategiesResult } from '../compare/strategies.js';
export { planStrategies, strategiesSchema, isStrategiesConfig, type StrategiesPlan, type StrategyMethod, type StrategiesSection } from '../compare/strategies-config.js';
export { windowRoc, efficiencyAtRejection, backgroundShapes, heldOutOverNeighbours, type BackgroundShape } from '../compare/strategies-metrics.js';
export { strategyDigest, strategiesMarkdown, type StrategyDigest, type StrategySeed, type StrategyMassPoint } from '../compare/strategies-table.js';
