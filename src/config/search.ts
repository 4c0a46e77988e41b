import { z } from 'zod';
import { numberBetween, oneOf, section } from './section.js';

/**
 * The `search:` section: mass hypotheses, the scanned variable, a window per hypothesis and the
 * sensitivity parameters of σ_min. Example (the seed study):
 *   search:
 *     hypotheses: {from: 0.1, to: 8.7, step: 0.1, train: {every: 2}}
 *     variable: mass2
 *     window: {resolution: width.txt, nSigma: 2}
 *     sensitivity: {a: 3, b: 1.28155, lumi: 50, form: improved}
 */
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });

const train = z.union(
  [z.literal('all'), section({ every: z.number().int().min(1), offset: z.number().int().min(0).optional() }), z.array(z.boolean())],
  { error: "expected 'all', {every: K, offset?: J} or a list of true/false per hypothesis" },
);

const hypotheses = z.union(
  [
    section({ masses: z.array(positive).min(1), train: train.optional() }),
    section({ from: positive, to: positive, step: positive, train: train.optional() }),
  ],
  { error: 'expected {from, to, step, train?} or {masses: [GeV, …], train?}' },
);

const window = z.union(
  [
    section({ resolution: z.string().min(1), nSigma: positive.default(2), massUnit: oneOf(['MeV', 'GeV']).default('MeV'), of: oneOf(['mass', 'mass2']).default('mass2') }),
    section({ halfWidth: positive }),
    section({ percentile: z.tuple([numberBetween(0, 100), numberBetween(0, 100)]) }),
  ],
  { error: 'expected {resolution: FILE, nSigma}, {halfWidth: GeV} or {percentile: [5, 95]}' },
);

export const searchSchema = section({
  hypotheses,
  variable: oneOf(['mass', 'mass2']).default('mass2'),
  window,
  sensitivity: section({
    a: positive.default(3),
    b: positive.default(1.28155),
    lumi: positive.default(50),
    form: oneOf(['paper', 'improved']).default('improved'),
  }).default({ a: 3, b: 1.28155, lumi: 50, form: 'improved' }),
  /** true number of signal events generated per hypothesis (when the file holds only preselected ones) */
  generatedPerMass: z.union([positive, z.array(positive)]).optional(),
});

export type SearchConfig = z.infer<typeof searchSchema>;
