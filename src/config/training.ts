import { z } from 'zod';
import { DEFAULT_MODEL_KIND, modelKind, modelKindNames, type ModelConfig } from '../models/registry.js';
import { resolveLossTerms, termsName, type LossTerm } from '../losses/registry.js';
import { FomlabError } from '../core/errors.js';
import { numberBetween, oneOf, section } from './section.js';
import { gridSchema } from './grid.js';

/**
 * The `model:` and `training:` sections. The default stages are the seed study's recipe:
 * BCE pre-training (SGD lr 1, batch 2048, 200 epochs) then Punzi fine-tuning (SGD lr 5e-4,
 * 2000 epochs, batches of 50,000 with scale factors), ReduceLROnPlateau(factor 0.5, patience 10).
 *
 * The model's options and the losses' options are validated by their modules, looked up in the
 * registries (src/models/registry.ts, src/losses/registry.ts): this file names no kind or loss.
 */
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const count = z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected a whole number ≥ 1' });

type Path = Array<string | number>;
const issue = (ctx: z.core.$RefinementCtx, value: unknown, path: Path, message: string): void => {
  ctx.addIssue({ code: 'custom', input: value, path, message });
};

/** `model: {kind, …options of the kind}` — kind default DEFAULT_MODEL_KIND, options checked by the kind's schema. */
export const modelSchema = z
  .looseObject({ kind: z.string({ error: 'expected a model kind' }).default(DEFAULT_MODEL_KIND) }, { error: 'expected a mapping {kind, …}' })
  .transform((m, ctx): ModelConfig => {
    const { kind, ...rest } = m;
    if (!modelKindNames().includes(kind)) {
      issue(ctx, kind, ['kind'], `expected one of ${modelKindNames().join(', ')}`);
      return z.NEVER;
    }
    const r = modelKind(kind).options.safeParse(rest);
    if (!r.success) {
      for (const i of r.error.issues) {
        if (i.code === 'unrecognized_keys') for (const line of i.message.split('\n')) issue(ctx, rest, [line.slice(0, line.indexOf(':'))], line.slice(line.indexOf(':') + 2));
        else issue(ctx, rest, i.path.map((p) => (typeof p === 'number' ? p : String(p))), i.message);
      }
      return z.NEVER;
    }
    return { kind, ...(r.data as Record<string, unknown>) };
  });

const plateau = section({
  factor: numberBetween(0, 1).default(0.5),
  patience: z.number().int().min(0).default(10),
  threshold: z.number().min(0).default(1e-4),
  minLr: z.number().min(0).default(0),
});

/** The keys of a stage that are not its loss's options. */
const stageShape = {
  name: z.string().min(1).optional(),
  /** a loss name (its options are keys of the stage) or a list of terms {loss, weight, scope, …options} */
  loss: z.union([z.string(), z.array(z.looseObject({ loss: z.string({ error: 'expected a loss name' }) }))], { error: 'expected a loss name or a list of terms {loss, weight, scope, …}' }),
  optimizer: oneOf(['sgd', 'adam', 'adamw']).default('sgd'),
  lr: positive,
  momentum: numberBetween(0, 1).default(0),
  /** L2 (sgd, adam) or decoupled (adamw) weight decay; default 0, for adamw PyTorch's 0.01 */
  weightDecay: z.number().min(0).optional(),
  /** events per batch, or 'full' for the whole training set */
  batchSize: z.union([count, z.literal('full')]).default(2048),
  epochs: count,
  plateau: z.union([plateau, z.literal(false)]).default({ factor: 0.5, patience: 10, threshold: 1e-4, minLr: 0 }),
  /** stop when the validation figure has not improved for this many epochs */
  earlyStopping: z.number().int().min(1).optional(),
  /**
   * which parameters the stage ends with: 'best' (default) the epoch with the best validation
   * figure; 'last' the parameters after its last epoch (fixed epoch counts, as the seed paper trains)
   */
  checkpoint: oneOf(['best', 'last']).optional(),
  /**
   * the name of an earlier stage whose final parameters this stage starts from (default: the
   * previous stage's). Two stages from the same one are variants judged side by side, e.g. the
   * seed paper's unbatched and batched Punzi-nets fine-tuned from one BCE pre-training.
   */
  from: z.string({ error: 'expected the name of an earlier stage' }).min(1).optional(),
};
const STAGE_KEYS = new Set(Object.keys(stageShape));

/** The stage's keys that belong to its (single) loss. */
function lossOptionsOf(stage: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stage).filter(([k]) => !STAGE_KEYS.has(k)));
}

/** A stage; its loss's options are validated by the loss's module and written out with their defaults. */
export const stageSchema = z.looseObject(stageShape).transform((s, ctx): typeof s => {
  const { terms, issues } = resolveLossTerms(s.loss, lossOptionsOf(s));
  for (const i of issues) issue(ctx, s, i.path, i.message);
  if (issues.length) return z.NEVER;
  if (typeof s.loss === 'string') return { ...s, ...(terms[0].options as Record<string, unknown>) };
  return { ...s, loss: terms.map((t) => ({ loss: t.module.name, weight: t.weight, scope: t.scope, ...(t.options as Record<string, unknown>) })) };
});

/** `select: {by, every, bins}`: model selection by the validation significance or loss (train/select.ts) */
const selectSchema = section({
  by: oneOf(['significance', 'loss']).default('significance'),
  every: z
    .array(z.tuple([z.union([count, z.null()]), count], { error: 'expected [until epoch (or null), every k epochs]' }), { error: 'expected a list [[until, k], …], e.g. [[50, 5], [null, 10]]' })
    .min(1)
    .default([[50, 5], [null, 10]]),
  bins: count.default(8),
});

export const trainingSchema = section({
  /** choose each stage's checkpoint by the validation significance (the H→Zγ study) or loss; default: the search's figure */
  select: selectSchema.optional(),
  seed: z.number().int().default(1),
  /** number of nets with different seeds (the seed study used 25) */
  ensemble: count.default(1),
  /** worker threads for the ensemble (default: all cores) */
  workers: count.optional(),
  stages: z.array(stageSchema).min(1),
  /** also train a BCE-only ensemble (the stages with loss bce) for comparison */
  compareWithBce: z.boolean().default(true),
  /** a grid search over model options before training (src/train/grid.ts); the run trains the chosen point */
  grid: gridSchema.optional(),
}).superRefine((t, ctx) => {
  const names = t.stages.map(stageName);
  t.stages.forEach((s, i) => {
    if (s.from !== undefined && !names.slice(0, i).includes(s.from)) {
      issue(ctx, s.from, ['stages', i, 'from'], `expected the name of an earlier stage (${names.slice(0, i).join(', ') || 'none before this one'}), got '${s.from}'`);
    }
  });
  if (new Set(names).size !== names.length) issue(ctx, names, ['stages'], `stage names must differ, got ${names.join(', ')} (give each a name)`);
});

export type { ModelConfig };
export type StageConfig = z.infer<typeof stageSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;

/** The resolved loss terms of a stage (its loss's options validated; throws on a stage the schema would reject). */
export function stageTerms(stage: StageConfig): LossTerm[] {
  const { terms, issues } = resolveLossTerms(stage.loss, lossOptionsOf(stage));
  if (issues.length) throw new FomlabError(`training stage ${stage.name ?? JSON.stringify(stage.loss)}: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return terms;
}

/** A stage's name: its `name`, else its loss (with the stage's index after the first). */
export function stageName(s: StageConfig, i: number): string {
  return s.name ?? `${typeof s.loss === 'string' ? s.loss : termsName(stageTerms(s))}${i === 0 ? '' : `-${i}`}`;
}
