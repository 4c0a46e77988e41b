// fomlab.losses: the registry of losses; each a module with its options' schema and a pure function (batch, output) → scalar Tensor.
export { punziLoss, softSigmaMin, type PunziIncidence, type PunziLossOptions } from '../losses/punzi.js';
export { weightedBce, bceWeights, bce } from '../losses/bce.js';
export { punzi } from '../losses/punzi.js';
export { focalLoss, focal } from '../losses/focal.js';
export { registerLoss, lossModule, lossNames, resolveLossTerms, type LossModule, type LossBatch, type LossContext, type LossScope, type LossTerm, type LossTermConfig } from '../losses/registry.js';
