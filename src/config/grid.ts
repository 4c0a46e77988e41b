import { z } from 'zod';
import { FIGURE_NAMES } from '../physics/figures.js';
import { section } from './section.js';

/**
 * `training.grid`: a grid search over model options before the run trains (issue 14), e.g. the
 * dark-photon slides' XGBoost grid
 *   grid: {params: {n_estimators: [4, 5, 6], max_depth: [5, 6, 7, 8, 9]}, cv: {folds: 5}, select: punziFom}
 * params: model options (the `model:` section's keys) and their values; cv: k-fold
 * cross-validation of the training split, or `{holdout: validation}`; select: `figure` (the
 * search's), a figure name (search.figure's parameters) or `auc`.
 */
const value = z.union([z.number(), z.string(), z.boolean()], { error: 'expected a number, a word or true/false' });

export const gridSchema = section({
  params: z.record(z.string(), z.array(value, { error: 'expected a list of values' }).min(1, { error: 'expected at least one value' }), { error: 'expected a mapping {option: [values…]}' }),
  cv: z.union([
    section({ folds: z.number({ error: 'expected a whole number ≥ 2' }).int({ error: 'expected a whole number ≥ 2' }).min(2, { error: 'expected a whole number ≥ 2' }) }),
    section({ holdout: z.literal('validation', { error: "expected 'validation' (the run's validation split)" }) }),
  ], { error: "expected {folds: k} or {holdout: validation}" }).default({ folds: 5 }),
  select: z.enum(['figure', 'auc', ...FIGURE_NAMES], { error: `expected figure, auc or one of ${FIGURE_NAMES.join(', ')}` }).default('figure'),
});

export type GridConfig = z.infer<typeof gridSchema>;
