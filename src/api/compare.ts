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
