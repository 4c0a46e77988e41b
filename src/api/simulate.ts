// fomlab.simulate: the built-in Belle II-like e⁺e⁻ → μ⁺μ⁻Z′ (invisible) data set.
export {
  simulateEvents, simulateToFile, simulateTable, defaultSimulationConfig, defaultZprimeMasses, fitResolution, fitGaussianCore,
  formatResolutionTable, defaultDetector, FEATURE_NAMES, FEATURE_DESCRIPTIONS, FEATURE_COLUMNS, COLUMN_NAMES, CATEGORY, CATEGORY_NAMES,
  DEFAULT_BACKGROUND_SCALE, SIMULATION_ROLES,
} from '../simulate/index.js';
export type { SimulationConfig, DetectorConfig, ResolutionPoint, BackgroundName } from '../simulate/index.js';
