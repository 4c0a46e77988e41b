// A hand-countable event sample for the training-split options (data.trainFraction, data.trainWeights):
// 1000 signal events at 1 GeV (M² = 1, all inside the ±0.3 window of the 1 GeV hypothesis) and 4000
// background, 2000 in the window (M² = 1.1) and 2000 outside (M² = 3); the weights per class are given.
import { EventTable } from '../../src/data/table.js';
import { Search } from '../../src/physics/search.js';

export const nS = 1000, nB = 4000, n = nS + nB;
export const label = Float32Array.from({ length: n }, (_, i) => (i < nS ? 1 : 0));
export const search = new Search({ hypotheses: { masses: [1] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.3 } });
export const split = { train: 0.6, validation: 0.2, test: 0.2, seed: 3 };

/** The sample with every signal event weighing `signalWeight` and every background event `backgroundWeight`. */
export function handSample(signalWeight: number, backgroundWeight: number): EventTable {
  return new EventTable({
    f: Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
    M2: Float32Array.from({ length: n }, (_, i) => (i < nS ? 1 : i % 2 ? 1.1 : 3)),
    labels: label,
    gen: Float32Array.from(label, (l) => (l ? 1 : NaN)),
    w: Float32Array.from(label, (l) => (l ? signalWeight : backgroundWeight)),
  }, { features: ['f'], label: 'labels', mass: 'M2', genMass: 'gen', weight: 'w' }, 'hand-made');
}
