// A small data set and a sweep config over it, shared by the sweep tests.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSimulationConfig, simulateToFile } from '../../src/simulate/index.js';

/** Writes DIR/events.parquet (3 masses, 400 signal events each) once. */
export async function writeSmallEvents(dir: string): Promise<void> {
  await simulateToFile({ ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 400, muonFourVectors: false, seed: 3 }, join(dir, 'events.parquet'));
}

/**
 * DIR/<name>.yaml: a grid of `lrs` × `seeds` small trainings (one net, 3 BCE epochs, `punziEpochs`
 * Punzi epochs), `lrs.length · seeds.length` jobs.
 */
export function writeSweepConfig(dir: string, name: string, lrs: number[], seeds: number[], punziEpochs = 10): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `
data:
  files: [events.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search:
  hypotheses: {masses: [1, 2, 3]}
  window: {halfWidth: 0.3}
  generatedPerMass: 400
training:
  ensemble: 1
  workers: 1
  compareWithBce: false
  stages:
    - {loss: bce, lr: 1, batchSize: 256, epochs: 3}
    - {loss: punzi, lr: 0.002, batchSize: full, epochs: ${punziEpochs}}
sweep:
  grid: {"training.stages[1].lr": ${JSON.stringify(lrs)}}
  seeds: ${JSON.stringify(seeds)}
  retries: 2
`);
  return path;
}
