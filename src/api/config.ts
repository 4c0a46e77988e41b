// fomlab.config: the YAML config, its sections' schemas and their validation.
export { loadConfig, parseConfig } from '../config/load.js';
export { configSchema, type FomlabConfig } from '../config/schema.js';
export { dataSchema, type DataConfig, type FileEntry, type NanPolicy } from '../config/data.js';
export { searchSchema, type SearchConfig } from '../config/search.js';
export { modelSchema, stageSchema, trainingSchema, stageTerms, stageName, type ModelConfig, type StageConfig, type TrainingConfig } from '../config/training.js';
export { section, oneOf, numberBetween, formatIssues } from '../config/section.js';
export { parameterisedSchema, type ParameterisedConfig } from '../config/parameterised.js';
