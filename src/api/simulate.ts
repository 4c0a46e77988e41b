// fomlab.simulate: the built-in Belle II-like e⁺e⁻ → μ⁺μ⁻Z′ (invisible) data set.
export {
  simulateEvents, simulateToFile, simulateTable, defaultSimulationConfig, defaultZprimeMasses, fitResolution, fitGaussianCore,
  formatResolutionTable, defaultDetector, FEATURE_NAMES, FEATURE_DESCRIPTIONS, FEATURE_COLUMNS, COLUMN_NAMES, CATEGORY, CATEGORY_NAMES,
  DEFAULT_BACKGROUND_SCALE, SIMULATION_ROLES,
} from '../simulate/index.js';
export type { SimulationConfig, DetectorConfig, ResolutionPoint, BackgroundName } from '../simulate/index.js';
// the H → Zγ → ℓℓγ data set of the event classifier transformer study (simulate --channel hzg)
export {
  simulateHzgEvents, simulateHzgTable, simulateHzgToFile, defaultHzgSimulationConfig, HZG_COLUMN_NAMES, HZG_FEATURE_COLUMNS,
  HZG_MASS_CORRELATED, HZG_SELECTION, HZG_SIMULATION_ROLES, HZG_CATEGORY_NAMES,
} from '../simulate/hzg/index.js';
export type { HzgSimulationConfig } from '../simulate/hzg/index.js';
// the visible dark-photon data set, Z′ → μ⁺μ⁻ (simulate --channel zprime-mumu)
export {
  simulateMumuEvents, simulateMumuTable, simulateMumuToFile, defaultMumuSimulationConfig, defaultMumuMasses, mumuBackgroundCrossSections,
  MUMU_COLUMN_NAMES, MUMU_FEATURE_COLUMNS, MUMU_SIMULATION_ROLES, MUMU_CATEGORY, MUMU_CATEGORY_NAMES, belle2MaterialMap,
} from '../simulate/zprime-mumu/index.js';
export type { MumuSimulationConfig, MaterialLayer } from '../simulate/zprime-mumu/index.js';
// the vector-like T quark data set of the mass-unspecific-classifier study (simulate --channel vlq)
export {
  simulateVlqEvents, simulateVlqTable, simulateVlqToFile, defaultVlqSimulationConfig, defaultVlqMasses, vlqSliceEdges, vlqResolution, formatVlqResolution, VLQ_COLUMN_NAMES,
  VLQ_FEATURE_COLUMNS, VLQ_SELECTION, VLQ_SIMULATION_ROLES, VLQ_CATEGORY_NAMES,
} from '../simulate/vlq/index.js';
export type { VlqSimulationConfig, VlqResolutionPoint } from '../simulate/vlq/index.js';
