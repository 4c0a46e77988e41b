/**
 * The rows of `fomlab ablation`: from the Punzi-loss paper's protocol as written
 * (examples/punzinet-protocol.yaml) to the demo's settings (src/cli/commands/demo.ts), one
 * difference at a time, each row keeping every change above it. Every row trains BCE
 * pre-training then one Punzi fine-tuning from it; its figures come from the test split, its
 * choices (cuts, checkpoints, plateau steps) from the validation split.
 */

/** How big the ablation is: what is scaled down from the paper and the demo (stated in the table's header). */
export interface AblationScale {
  nets: number;
  bceEpochs: number;
  punziEpochs: number;
  /** signal events per mass of the protocol's sample (the paper: 20,000) and of the demo's (10,000) */
  paperEvents: number;
  demoEvents: number;
  seed: number;
}

export const FULL_SCALE: AblationScale = { nets: 8, bceEpochs: 30, punziEpochs: 60, paperEvents: 3000, demoEvents: 1500, seed: 1 };
export const QUICK_SCALE: AblationScale = { nets: 2, bceEpochs: 4, punziEpochs: 4, paperEvents: 600, demoEvents: 300, seed: 1 };

/** One row's settings (the paper's protocol, then the demo's values one by one). */
export interface RowSettings {
  checkpoint: 'last' | 'best';
  scaling: 'minmax' | 'standard';
  split: { train: number; validation: number; test: number };
  events: 'paper' | 'demo';
  form: 'paper' | 'improved';
  optimizer: { optimizer: 'sgd' | 'adam'; lr: number };
  sharpness: number | { from: number; to: number };
  aggregate: 'mean' | 'logMean';
  batchSize: number | 'full';
}

export interface AblationRow {
  /** short name, used as the row's run folder */
  name: string;
  /** what this row changes against the row above it */
  change: string;
  settings: RowSettings;
}

const PROTOCOL: RowSettings = {
  checkpoint: 'last', scaling: 'minmax', split: { train: 0.8, validation: 0.1, test: 0.1 }, events: 'paper', form: 'paper',
  optimizer: { optimizer: 'sgd', lr: 0.0005 }, sharpness: 1, aggregate: 'mean', batchSize: 'full',
};

/** The differences between the paper's protocol (unbatched) and the demo, in the order the rows take them. */
const STEPS: Array<{ name: string; change: string; set: Partial<RowSettings> }> = [
  { name: 'batched', change: 'batches of 50,000 (the paper\'s batched Punzi-net; the demo\'s batch size)', set: { batchSize: 50000 } },
  { name: 'checkpoint', change: 'checkpoints chosen by validation σ_min in both stages', set: { checkpoint: 'best' } },
  { name: 'scaling', change: 'standard scaling instead of [0, 1]', set: { scaling: 'standard' } },
  { name: 'split', change: '60/20/20 split instead of 80/10/10', set: { split: { train: 0.6, validation: 0.2, test: 0.2 } } },
  { name: 'sample', change: 'half the signal events per mass (the demo\'s 10,000 against the paper\'s 20,000)', set: { events: 'demo' } },
  { name: 'form', change: 'σ_min in Punzi\'s 2003 form instead of eq. 9', set: { form: 'improved' } },
  { name: 'optimiser', change: 'Adam lr 1e-3 instead of SGD lr 5e-4', set: { optimizer: { optimizer: 'adam', lr: 0.001 } } },
  { name: 'sharpness', change: 'soft selection sharpened 1 → 20 over the stage', set: { sharpness: { from: 1, to: 20 } } },
  { name: 'aggregate', change: 'ln-mean of σ_min over masses instead of the mean (= the demo)', set: { aggregate: 'logMean' } },
];

export function ablationRows(): AblationRow[] {
  const rows: AblationRow[] = [{ name: 'protocol', change: 'the paper\'s protocol as written (unbatched Punzi-net)', settings: PROTOCOL }];
  for (const s of STEPS) rows.push({ name: s.name, change: s.change, settings: { ...rows[rows.length - 1].settings, ...s.set } });
  return rows;
}

/** The row's config (plain data, validated by parseConfig like any config file), on the data set `events` with its resolution table. */
export function rowConfig(row: AblationRow, scale: AblationScale, files: { events: string; resolution: string }): Record<string, unknown> {
  const s = row.settings;
  const common = { checkpoint: s.checkpoint, plateau: { factor: 0.5, patience: 10 } };
  return {
    data: {
      files: [files.events],
      columns: { features: ['feature_1', 'feature_2', 'feature_3', 'feature_4'], label: 'labels', mass: 'M2', genMass: 'gen_mass', weight: 'weights', category: 'category', nGenerated: 'n_gen' },
      split: { ...s.split, seed: scale.seed },
      scaling: s.scaling,
    },
    search: {
      hypotheses: { from: 0.1, to: 8.7, step: 0.1, train: { every: 2 } },
      variable: 'mass2',
      window: { resolution: files.resolution, nSigma: 2 },
      sensitivity: { a: 3, b: 1.28155, lumi: 50, form: s.form },
    },
    model: { hidden: [8, 4], activation: 'tanh', init: 'kaiming_normal' },
    training: {
      seed: scale.seed,
      ensemble: scale.nets,
      stages: [
        { name: 'bce', loss: 'bce', optimizer: 'sgd', lr: 1, batchSize: 2048, epochs: scale.bceEpochs, ...common },
        { name: 'punzi', loss: 'punzi', aggregate: s.aggregate, ...s.optimizer, batchSize: s.batchSize, epochs: scale.punziEpochs, ...(s.sharpness === 1 ? {} : { sharpness: s.sharpness }), ...common },
      ],
    },
  };
}
