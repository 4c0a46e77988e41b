import { defaultDetector, defaultSimulationConfig, simulateTable } from '../../src/simulate/index.js';
import type { EventTable } from '../../src/data/table.js';
import type { DetectorConfig } from '../../src/simulate/index.js';

/** A small simulated run for end-to-end tests: Z′ at 1, 2, 3 GeV (600 signal events each), a thinned background. */
export function tinyEvents(seed: number): EventTable {
  return simulateTable({
    ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 600, muonFourVectors: false, seed,
    backgroundScale: { mumu_gamma: 0.3, tautau: 0.05, eemumu: 0.01 },
    // a training fixture for windows at 1–3 GeV, where the ECL-gap photons (M² ≈ 0) do not reach:
    // kept without them so that its events, and the trainings tested on them, stay as they were
    detector: detectorWithoutGaps(),
  });
}

/**
 * The default detector with the ECL barrel–endcap gaps as blind as the rest of the ECL: no gap μμγ jobs are appended,
 * so a seeded simulation (and the splits and trainings drawn from it) stays as it was before the gaps (issue 19).
 */
export function detectorWithoutGaps(): DetectorConfig {
  const det = defaultDetector();
  return { ...det, gapPhotonInefficiency: det.photonInefficiency };
}

/** Its config: fixed ±0.3 GeV windows, one worker, BCE then Punzi for a few epochs; `model`/`ensemble`/`train` as given. */
export function tinyConfig(o: { model?: string; ensemble?: number; train?: string } = {}): string {
  return `
data:
  files: [unused.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search:
  hypotheses: {masses: [1, 2, 3]${o.train ? `, train: ${o.train}` : ''}}
  window: {halfWidth: 0.3}
  generatedPerMass: 600
${o.model ? `model: ${o.model}\n` : ''}training:
  ensemble: ${o.ensemble ?? 1}
  workers: 1
  stages:
    - {loss: bce, lr: 1, batchSize: 512, epochs: 3}
    - {loss: punzi, lr: 0.002, batchSize: full, epochs: ${o.ensemble ? 3 : 2}}
`;
}
