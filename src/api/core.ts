// fomlab.core: tensors, autograd, nn, optimisers, kernels, RNG, errors, atomic writes, progress bars.
export * from '../core/index.js';
export { writeAtomically, writeFileAtomically } from '../core/atomic.js';
export { progressBar, type Progress } from '../core/progress.js';
export { didYouMean, nearMatches } from '../core/errors.js';
