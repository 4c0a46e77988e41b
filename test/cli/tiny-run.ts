// A tiny training problem for the CLI tests: 3 Z′ masses × 500 signal events and the built-in
// backgrounds at 20 fb⁻¹ (≈ 12 k events, 0.2 s to simulate), in a folder of its own with a
// config whose file paths are relative to it (the README's style).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, formatResolutionTable, simulateToFile } from '../../src/simulate/index.js';

export interface TinyRun {
  dir: string;
  /** writes dir/NAME.yaml with `stages` (YAML flow lines) and returns its path */
  config: (name: string, o?: { stages?: string[]; hidden?: string; hypotheses?: string; ensemble?: number; workers?: number; window?: string; selection?: string }) => string;
}

export const defaultStages = [
  '{name: bce, loss: bce, optimizer: sgd, momentum: 0.9, lr: 0.5, batchSize: 512, epochs: 2, plateau: {factor: 0.5, patience: 0}}',
  '{name: punzi, loss: punzi, optimizer: adam, lr: 0.01, batchSize: 2000, epochs: 2, sharpness: {from: 1, to: 4}, plateau: {factor: 0.5, patience: 0}}',
];

export async function tinyRun(): Promise<TinyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-tiny-'));
  const sim = await simulateToFile(
    { ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 500, backgroundLuminosity: 20, muonFourVectors: false, seed: 4 },
    join(dir, 'events.parquet'), { resolution: true },
  );
  writeFileSync(join(dir, 'resolution.txt'), formatResolutionTable(sim.resolution ?? []));
  const config: TinyRun['config'] = (name, o = {}) => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, `data:
  files: [events.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
${o.selection ? `  selection: "${o.selection}"\n` : ''}search:
  hypotheses: ${o.hypotheses ?? '{masses: [1, 2, 3], train: all}'}
  window: ${o.window ?? '{resolution: resolution.txt, nSigma: 2}'}
  generatedPerMass: 500
model: {hidden: ${o.hidden ?? '[6, 3]'}}
training:
  seed: 3
  ensemble: ${o.ensemble ?? 1}
${o.workers ? `  workers: ${o.workers}\n` : ''}  stages:
${(o.stages ?? defaultStages).map((s) => `    - ${s}`).join('\n')}
`);
    return path;
  };
  return { dir, config };
}
