// fomlab.losses: pure loss functions (batch, output) → scalar Tensor.
export { punziLoss, softSigmaMin, type PunziIncidence, type PunziLossOptions } from '../losses/punzi.js';
export { weightedBce, bceWeights } from '../losses/bce.js';
