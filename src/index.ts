// fomlab's public library API, grouped: `import { data, physics, PunziNet } from 'fomlab'`, then
// `data.readColumns(…)`, `physics.sigmaMin(…)`. Each group is one file of src/api/ (add a new export
// there); the CLI imports those same files, nothing else of the library. The names most used are
// also exported at the top level.
export * as core from './api/core.js';
export * as data from './api/data.js';
export * as config from './api/config.js';
export * as physics from './api/physics.js';
export * as losses from './api/losses.js';
export * as models from './api/models.js';
export * as train from './api/train.js';
export * as evaluate from './api/evaluate.js';
export * as report from './api/report.js';
export * as exec from './api/exec.js';
export * as compare from './api/compare.js';
export * as simulate from './api/simulate.js';

// the most used names, at the top level
export { FomlabError } from './api/core.js';
export { EventTable, readColumns, loadEvents } from './api/data.js';
export { loadConfig, parseConfig, type FomlabConfig } from './api/config.js';
export { Search, sigmaMin } from './api/physics.js';
export { PunziNet, trainRun, type PunziNetOptions } from './api/train.js';
export { writeReport, type RunSummary } from './api/report.js';
export { simulateTable, defaultSimulationConfig } from './api/simulate.js';
