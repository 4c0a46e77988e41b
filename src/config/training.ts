import { z } from 'zod';
import { numberBetween, oneOf, section } from './section.js';

/**
 * The `model:` and `training:` sections. The default stages are the seed study's recipe:
 * BCE pre-training (SGD lr 1, batch 2048, 200 epochs) then Punzi fine-tuning (SGD lr 5e-4,
 * 2000 epochs, batches of 50,000 with scale factors), ReduceLROnPlateau(factor 0.5, patience 10).
 */
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });

/** a steepness k ≥ 1 (k < 1 would soften the selection, with unbounded gradients at p = 0 or 1) */
const steepness = z.number({ error: 'expected a number ≥ 1' }).min(1, { error: 'expected a number ≥ 1' });

export const modelSchema = section({
  kind: oneOf(['mlp']).default('mlp'),
  /** hidden layer widths; the seed study's Punzi-net is 4-8-4-1 */
  hidden: z.array(count).default([8, 4]),
  activation: oneOf(['tanh', 'relu', 'leaky_relu', 'gelu', 'mish', 'sigmoid']).default('tanh'),
  /** weight initialisation of the public reference code: Kaiming normal weights, N(0,1) biases */
  init: oneOf(['kaiming_normal', 'pytorch']).default('kaiming_normal'),
});

const plateau = section({
  factor: numberBetween(0, 1).default(0.5),
  patience: z.number().int().min(0).default(10),
  threshold: z.number().min(0).default(1e-4),
  minLr: z.number().min(0).default(0),
});

export const stageSchema = section({
  name: z.string().min(1).optional(),
  loss: oneOf(['bce', 'punzi']),
  /** bce: weight signal and background to equal sums (class balance) on top of the event weights */
  balance: z.boolean().default(true),
  optimizer: oneOf(['sgd', 'adam', 'adamw']).default('sgd'),
  lr: positive,
  momentum: numberBetween(0, 1).default(0),
  weightDecay: z.number().min(0).default(0),
  /** events per batch, or 'full' for the whole training set */
  batchSize: z.union([count, z.literal('full')]).default(2048),
  epochs: count,
  plateau: z.union([plateau, z.literal(false)]).default({ factor: 0.5, patience: 10, threshold: 1e-4, minLr: 0 }),
  /** stop when the validation figure has not improved for this many epochs */
  earlyStopping: z.number().int().min(1).optional(),
  /** punzi: combine hypotheses by the mean of σ_min (seed study) or the mean of ln σ_min */
  aggregate: oneOf(['mean', 'logMean']).default('mean'),
  /**
   * punzi: steepness k of the soft selection, p → σ(k · logit p) (see losses/punzi.ts), a
   * constant or annealed geometrically over the stage {from, to}; absent (= 1) is the seed study.
   */
  sharpness: z.union([steepness, section({ from: steepness, to: steepness })]).optional(),
});

export const trainingSchema = section({
  seed: z.number().int().default(1),
  /** number of nets with different seeds (the seed study used 25) */
  ensemble: count.default(1),
  /** worker threads for the ensemble (default: all cores) */
  workers: count.optional(),
  stages: z.array(stageSchema).min(1),
  /** also train a BCE-only ensemble (the stages with loss bce) for comparison */
  compareWithBce: z.boolean().default(true),
});

export type ModelConfig = z.infer<typeof modelSchema>;
export type StageConfig = z.infer<typeof stageSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
