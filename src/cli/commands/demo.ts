import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FomlabError, writeFileAtomically } from '../../api/core.js';
import { parseConfig } from '../../api/config.js';
import { defaultSimulationConfig, formatResolutionTable, simulateToFile, type SimulationConfig } from '../../api/simulate.js';
import { checkRunDir, trainRun } from '../../api/train.js';
import { writeReport } from '../../api/report.js';
import { printSummary } from '../summary-table.js';
import { parseOptions, stopOnInterrupt } from '../args.js';
import type { Command } from '../main.js';

/**
 * The demo's config: the seed study's recipe scaled to a few minutes on two cores — the 4-8-4-1
 * tanh Punzi-net, BCE pre-training then Punzi fine-tuning, every second mass held out, windows
 * ±2σ from the simulation's own resolution fit. The fine-tuning uses Adam with the soft selection
 * sharpened over the stage (see losses/punzi.ts), which is what beat a converged BCE net in the
 * measurements of test/train/run.test.ts; examples/punzinet-paper.yaml is the seed's own recipe.
 */
export function demoConfig(nets: number, quick: boolean): string {
  return `
data:
  files: [events.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights, category: category, nGenerated: n_gen}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
  scaling: standard
search:
  hypotheses: {from: 0.1, to: 8.7, step: 0.1, train: {every: 2}}
  variable: mass2
  window: {resolution: resolution.txt, nSigma: 2}
  sensitivity: {a: 3, b: 1.28155, lumi: 50, form: improved}
model: {hidden: [8, 4], activation: tanh}
training:
  seed: 1
  ensemble: ${nets}
  stages:
    - {name: bce, loss: bce, optimizer: sgd, lr: 1, batchSize: 2048, epochs: ${quick ? 15 : 40}, plateau: {factor: 0.5, patience: 10}}
    - {name: punzi, loss: punzi, aggregate: logMean, optimizer: adam, lr: 0.001, batchSize: 50000, epochs: ${quick ? 20 : 60}, sharpness: {from: 1, to: 20}}
`;
}

/**
 * The demo's simulation: background MC as in the seed study's regime, ττ at 20× the target
 * luminosity (weights 0.05), so that B in a window is not set by a handful of heavy MC events
 * (quick: the simulator's default scales, 2,000 signal events per mass); `fsr` adds μμγ with a lost
 * final-state-radiation photon (src/simulate/fsr.ts).
 */
export function demoSimulation(quick: boolean, fsr: boolean): SimulationConfig {
  return {
    ...defaultSimulationConfig(), muonFourVectors: false,
    ...(quick ? { signalPerMass: 2000 } : { backgroundScale: { mumu_gamma: 1, tautau: 1, eemumu: 0.05 } }),
    ...(fsr ? { finalStateRadiation: true } : {}),
  };
}

export const command: Command = {
  usage: [
    'fomlab demo [--out RUN_DIR] [--nets N] [--quick] [--fsr]',
    '  --out RUN_DIR  where everything goes (default runs/demo)',
    '  --nets N       nets per ensemble (default 4)',
    '  --quick        a smaller data set and fewer epochs (about a minute)',
    '  --fsr          simulate also mu mu gamma with a lost final-state-radiation photon (docs/low-mass-check.md)',
  ].join('\n'),
  async run(args) {
    const { values } = parseOptions('demo', args, { out: { type: 'string' }, nets: { type: 'string' }, quick: { type: 'boolean' }, fsr: { type: 'boolean' } }, { min: 0, max: 0, names: 'no positional arguments' });
    const runDir = resolve(values.out ?? join('runs', 'demo'));
    const quick = values.quick ?? false;
    const nets = values.nets === undefined ? 4 : Number(values.nets);
    if (!Number.isInteger(nets) || nets < 1) throw new FomlabError(`--nets: expected a whole number ≥ 1, got '${values.nets}'`);
    checkRunDir(runDir);
    mkdirSync(runDir, { recursive: true });
    const t0 = Date.now();
    console.error(`fomlab demo → ${runDir}${values.fsr ? ' (with final-state radiation)' : ''}`);
    const sim = demoSimulation(quick, values.fsr ?? false);
    const simulated = await simulateToFile(sim, join(runDir, 'events.parquet'), { resolution: true });
    writeFileAtomically(join(runDir, 'resolution.txt'), formatResolutionTable(simulated.resolution ?? []));
    console.error(`simulated ${simulated.events} events (${Object.entries(simulated.perProcess).map(([k, v]) => `${k} ${v}`).join(', ')}) and fitted σ(M²) per mass`);
    const text = demoConfig(nets, quick);
    writeFileAtomically(join(runDir, 'config.yaml'), text.trimStart());
    const cfg = parseConfig(text, join(runDir, 'config.yaml'), { baseDir: runDir });
    const simulate = (Date.now() - t0) / 1000;
    const { stop, dispose } = stopOnInterrupt(`resume with 'fomlab train ${join(runDir, 'config.yaml')} --out ${runDir} --resume'`);
    try {
      const r = await trainRun(cfg, { runDir, configName: 'demo', stop, durations: { simulate } });
      if (r.interrupted) return 130;
      const report = await writeReport(r.summary, join(runDir, 'report'));
      printSummary(r.summary);
      console.log(`\nreport: ${report.html}\nmodels: ${join(runDir, 'models')} (fomlab apply / fomlab export)\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return 0;
    } finally {
      dispose();
    }
  },
};
